import type { Db } from '../db/open.ts';
import { DEFAULT_TRIGGERS, isTriggerId } from '../risk/catalog.ts';
import type {
  OutcomeGrouping,
  OutcomeReport,
  OutcomeRow,
  RetentionComparison,
} from '../../shared/dto/interventions.ts';
import { arrOf, compare, episodes, MIN_GROUP_SIZE, upliftOf } from './comparison.ts';
import { isDecided, loadOutcomeFacts, type OutcomeFact } from './facts.ts';
import { deflection, resolutionTimes, responseRate } from './measures.ts';
import { median } from './stats.ts';
import { tallyStatuses } from '../../shared/intervention-tally.ts';
import { configRepo } from '../risk/config-repo.ts';
import { fxRate } from '../risk/config.ts';

export { MIN_GROUP_SIZE } from './comparison.ts';

export interface ReportQuery {
  asOf: string;
  by: OutcomeGrouping;
  from?: string | null;
  to?: string | null;
  includeImported?: boolean;
  /** Count manual overrides in the uplift (default false: they are shown, not counted). */
  includeOverrides?: boolean;
  /**
   * USD per unit of each currency (the scoring configuration's `fxToUsd`, as the Accounts grid
   * uses): every ARR figure of the report is a USD equivalent. Absent: amounts count at par.
   */
  fxToUsd?: Record<string, number>;
}

/** The configured rates, for a report read from this database. */
export function reportRates(db: Db): Record<string, number> {
  return configRepo(db).active().config.fxToUsd;
}

/** Facts with ARR in USD (as the Accounts grid converts it), so accounts in other currencies add up. */
function inUsd(facts: OutcomeFact[], fxToUsd: Record<string, number>): OutcomeFact[] {
  return facts.map((f) =>
    f.arr === null
      ? { ...f, currency: 'USD' }
      : { ...f, arr: f.arr * fxRate({ fxToUsd }, f.currency ?? 'USD').rate, currency: 'USD' },
  );
}

export function triggerLabel(triggerId: string): string {
  return isTriggerId(triggerId) ? DEFAULT_TRIGGERS[triggerId].label : triggerId;
}

/** Firing month: the ITT rows, and the tracker rows of the month view, count by the firing. */
const firingMonth = (fact: OutcomeFact) => (fact.fired_on ?? fact.start_on).slice(0, 7);

function groupKey(fact: OutcomeFact, by: OutcomeGrouping): string {
  switch (by) {
    case 'trigger':
      return fact.trigger_id;
    case 'template':
      return fact.template_id
        ? `${fact.template_id}${fact.template_version != null ? ` v${fact.template_version}` : ''}`
        : '(no template)';
    case 'channel':
      return fact.channel ?? '(none)';
    case 'owner':
      return fact.owner_email ?? '(unassigned)';
    case 'month':
      return firingMonth(fact);
  }
}

/**
 * Which template or channel a touch used is the CSM's choice, not randomised, and a firing nobody
 * contacted has neither: uplift is measured by play, month and owner only.
 */
const randomisedBy = (by: OutcomeGrouping) => by === 'trigger' || by === 'month' || by === 'owner';
const notRandomised =
  'Which template or channel a touch used is not randomised, so uplift is measured by play, month or owner only.';

function groupLabel(key: string, by: OutcomeGrouping): string {
  return by === 'trigger' ? triggerLabel(key) : key;
}

function summarise(
  key: string,
  label: string,
  groups: { treated: OutcomeFact[]; eligible: OutcomeFact[]; control: OutcomeFact[] },
  options: { asOf: string; randomised: boolean },
): OutcomeRow {
  const { treated } = groups;
  const succeeded = treated.filter((f) => f.status === 'succeeded');
  const tally = tallyStatuses(treated.map((f) => f.status));
  const efforts = treated.map((f) => f.effort_rating).filter((r): r is number => r !== null);
  const itt = compare(groups.eligible, groups.control, treated);
  return {
    ...itt,
    ...(options.randomised
      ? {}
      : { uplift: null, per_contacted: null, incremental_arr: null, no_control: false, uplift_note: notRandomised }),
    key,
    label,
    n: treated.length,
    succeeded: tally.succeeded,
    failed: tally.failed,
    expired: tally.expired,
    pending: tally.open,
    success_rate: tally.succeeded + tally.failed > 0 ? tally.succeeded / (tally.succeeded + tally.failed) : null,
    median_days_to_success: median(succeeded.map((f) => f.days_to_success).filter((d): d is number => d !== null)),
    arr_retained: arrOf(succeeded),
    // Every amount is a USD equivalent (reportFromFacts converts them).
    currency: 'USD',
    mean_effort: efforts.length ? efforts.reduce((a, b) => a + b, 0) / efforts.length : null,
    response_rate: responseRate(treated, options.asOf).rate,
  };
}

function comparison(triggerId: string, eligible: OutcomeFact[], control: OutcomeFact[]): RetentionComparison {
  const side = (facts: OutcomeFact[]) => {
    const known = facts.filter((f) => f.retained_90d !== null);
    const retained = known.filter((f) => f.retained_90d === 1).length;
    const tickets = facts.map((f) => f.tickets_30d).filter((t): t is number => t !== null);
    return {
      n: known.length,
      retained,
      rate: known.length ? retained / known.length : null,
      tickets_n: tickets.length,
      tickets_per_account: tickets.length ? tickets.reduce((a, b) => a + b, 0) / tickets.length : null,
    };
  };
  const t = side(episodes(eligible));
  const c = side(episodes(control));
  const { uplift } = upliftOf(
    { n: t.n, succeeded: t.retained, success_rate: t.rate, ci_low: null, ci_high: null },
    { n: c.n, succeeded: c.retained, success_rate: c.rate, ci_low: null, ci_high: null },
  );
  return { trigger_id: triggerId, label: triggerLabel(triggerId), treated: t, control: c, retention_uplift: uplift };
}

export function buildOutcomeReport(db: Db, query: ReportQuery): OutcomeReport {
  const facts = loadOutcomeFacts(db, query);
  const report = reportFromFacts(facts, { ...query, fxToUsd: query.fxToUsd ?? reportRates(db) });
  const treated = facts.filter((f) => f.cohort === 'treated' && f.status !== 'planned' && f.source === 'local');
  const from = query.from ?? treated.map((f) => f.start_on).sort()[0] ?? query.asOf;
  return { ...report, resolution: resolutionTimes(db, treated, { from, asOf: query.asOf }) };
}

/** The report from a list of facts: also used for merged files without a database of their own. */
export function reportFromFacts(local: OutcomeFact[], query: ReportQuery): OutcomeReport {
  const facts = inUsd(local, query.fxToUsd ?? {});
  const treated = facts.filter((f) => f.cohort === 'treated' && f.status !== 'planned');
  const eligible = facts.filter((f) => f.cohort === 'eligible');
  const control = facts.filter((f) => f.cohort === 'control');
  const randomised = randomisedBy(query.by);
  const options = { asOf: query.asOf, randomised };

  // Rows: every group with a touch, and in the randomised groupings every group with a firing too
  // (a play nobody worked still belongs in the comparison).
  const groups = new Map<string, { treated: OutcomeFact[]; eligible: OutcomeFact[]; control: OutcomeFact[] }>();
  const groupOf = (key: string) => {
    const group = groups.get(key) ?? { treated: [], eligible: [], control: [] };
    groups.set(key, group);
    return group;
  };
  for (const fact of treated) groupOf(groupKey(fact, query.by)).treated.push(fact);
  if (randomised) {
    for (const fact of eligible) groupOf(groupKey(fact, query.by)).eligible.push(fact);
    for (const fact of control) groupOf(groupKey(fact, query.by)).control.push(fact);
  }
  // A group with no touch and nothing decided yet would be a row of zeros.
  const rows = [...groups.entries()]
    .filter(([, g]) => g.treated.length > 0 || g.eligible.some(isDecided) || g.control.some(isDecided))
    .map(([key, group]) => summarise(key, groupLabel(key, query.by), group, options))
    .sort((a, b) => (query.by === 'month' ? a.key.localeCompare(b.key) : b.n - a.n || a.key.localeCompare(b.key)));

  const triggers = [...new Set([...eligible, ...control].map((f) => f.trigger_id))].sort();
  const comparisons = triggers.map((t) =>
    comparison(
      t,
      eligible.filter((f) => f.trigger_id === t),
      control.filter((f) => f.trigger_id === t),
    ),
  );

  const succeeded = treated.filter((f) => f.status === 'succeeded');
  const arrByMonth = new Map<string, Map<string, number>>();
  for (const f of succeeded) {
    const month = (f.outcome_on ?? f.start_on).slice(0, 7);
    const accounts = arrByMonth.get(month) ?? new Map<string, number>();
    accounts.set(f.account_id, f.arr ?? 0);
    arrByMonth.set(month, accounts);
  }

  return {
    as_of: query.asOf,
    by: query.by,
    from: query.from ?? null,
    to: query.to ?? null,
    min_group_size: MIN_GROUP_SIZE,
    rows,
    totals: summarise('all', 'All', { treated, eligible, control }, { ...options, randomised: true }),
    comparisons,
    days_to_success: succeeded
      .map((f) => f.days_to_success)
      .filter((d): d is number => d !== null)
      .sort((a, b) => a - b),
    arr_by_month: [...arrByMonth.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([month, accounts]) => ({ month, arr: [...accounts.values()].reduce((a, b) => a + b, 0) })),
    imported_rows: facts.filter((f) => f.source === 'imported').length,
    include_overrides: query.includeOverrides === true,
    deflection: deflection(eligible, control),
    response: responseRate(treated, query.asOf),
    resolution: null,
  };
}
