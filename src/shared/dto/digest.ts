/** The morning digest (`foresight digest`): what is new, what is due, what renews this month. */
export interface MorningDigest {
  asOf: string;
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
