/** The morning digest (`foresight digest`): what is new, what is due, what renews this month. */
export interface MorningDigest {
  asOf: string;
  /**
   * Active accounts the day could not judge: their data is stale or never arrived, so they have no
   * band and cannot be newly at risk (data-gap.ts). `dataThrough` is the newest data day of the
   * whole day's book. A digest with none new and many here is no "all clear".
   */
  dataGaps: { stale: number; noData: number; dataThrough: string | null };
  /** Accounts with a risk item first fired since yesterday (control-group items left out). */
  newAtRisk: {
    accountId: string;
    name: string;
    owner: string | null;
    /** ARR in the account's own currency, as the ranked list shows it; arrUsd is its USD equivalent. */
    arr: number;
    currency: string;
    arrUsd: number;
    items: string[];
  }[];
  /** Work due today or earlier: snoozes that end, scheduled sends and playbook steps that are due. */
  tasksDue: {
    accountId: string;
    name: string;
    kind: 'snooze_ends' | 'scheduled_send' | 'playbook_task';
    due: string;
    what: string;
  }[];
  /** How many tasks are due in all: `tasksDue` lists at most the first 1,000 playbook steps. */
  tasksDueTotal: number;
  /** Active accounts renewing this calendar month (overdue ones counted apart). */
  renewalsThisMonth: {
    accountId: string;
    name: string;
    renewalDate: string;
    arr: number;
    currency: string;
    arrUsd: number;
    expectedRenewUsd: number | null;
  }[];
  overdueRenewals: number;
}
