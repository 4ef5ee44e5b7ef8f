/**
 * The SQL of the bundle reader (load.ts): which metrics and event types the engine reads, and the
 * statements that read a range or a list of accounts (accounts, contacts, events, each series
 * packed), including the walk of every series a whole-book run folds (`everySeries`), which the fit
 * worker also runs beside the pass (series-prefetch.ts).
 */
import type { Db } from '../db/open.ts';
import type { AccountFacts } from './bundle.ts';
import { TRIGGER_MODULES } from './triggers/index.ts';
import type { WalkedRow } from './walked-series.ts';

const unique = (names: readonly string[]) => [...new Set(names)];

/** The metrics and event types the engine reads; everything else is skipped in SQL. */
export const ENGINE_METRICS = unique([
  'active_users',
  'usage',
  'seats_used',
  'logins',
  'core_feature_uses',
  'latency_ms',
  ...TRIGGER_MODULES.flatMap((m) => m.reads?.metrics ?? []),
]);
export const ENGINE_EVENT_TYPES = unique([
  'setup_completed',
  'onboarding_completed',
  'payment_failed',
  'payment_succeeded',
  'ticket_opened',
  'ticket_escalated',
  'nps_response',
  'champion_left',
  'champion_assigned',
  'csm_touch',
  // Whatever else a trigger module says it reads (`reads` in risk/triggers/<id>.ts).
  ...TRIGGER_MODULES.flatMap((m) => m.reads?.events ?? []),
]);

const ACCOUNT_COLUMNS =
  'account_id, name, owner_email, segment, arr, currency, seats_purchased, usage_limit, renewal_date, created_at, status, churned_at, lifecycle_stage';

export type MetricRow = WalkedRow;
export type EventRow = [
  accountId: string,
  type: string,
  occurredAt: string,
  value: number | null,
  contactId: string | null,
];
export type ContactRow = {
  account_id: string;
  contact_id: string;
  name: string | null;
  is_champion: number;
  active: number;
};

/**
 * `where` selects accounts (as `a`) and contacts (as `c`). CROSS JOIN fixes the loop order so the
 * planner seeks events per account and type rather than scanning the account range. Metrics and events are reached from
 * them by index seeks bounded by the date window, so only the rows inside the window are read:
 * the series keys are the engine's account-level metrics of each account and the `logins` of each
 * of its contacts; the events, the engine's types of each account.
 */
/**
 * With @liveOnly = 1, accounts that churned before @churnedSince are not read (nothing scores them).
 * A churned account without churned_at is read: its `churned` event may date the churn (statusOn).
 */
export const LIVE = (a: string) =>
  `(@liveOnly = 0 OR NOT (${a}.status = 'churned' AND ${a}.churned_at IS NOT NULL AND ${a}.churned_at < @churnedSince))`;

/**
 * A value as group_concat writes it: a whole number as an integer. Performance (issue 16): SQLite
 * formats a REAL with 15 significant digits ("12.0"), the larger part of packing a series; most
 * metric values are counts, whose integer text is cheaper to write and to parse (about 15% of a
 * whole-book read). The same number either way.
 */
const AS_TEXT = (v: string) => `iif(${v} = CAST(${v} AS INTEGER), CAST(${v} AS INTEGER), ${v})`;

export function bundleStatements(db: Db, where: (alias: string) => string) {
  const metricKeys = `json_each('${JSON.stringify(ENGINE_METRICS)}')`;
  const eventTypes = `json_each('${JSON.stringify(ENGINE_EVENT_TYPES)}')`;
  return {
    accounts: db.prepare<Record<string, string>, AccountFacts>(
      `SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE ${where('a')} ORDER BY account_id`,
    ),
    contacts: db.prepare<Record<string, string>, ContactRow>(
      `SELECT account_id, contact_id, name, is_champion, active FROM contacts c WHERE ${where('c')} ORDER BY account_id, contact_id`,
    ),
    events: db
      .prepare<Record<string, string | number>, EventRow>(
        `SELECT e.account_id, e.type, e.occurred_at, e.value, e.contact_id
         FROM accounts a CROSS JOIN ${eventTypes} t CROSS JOIN events e
         WHERE ${where('a')} AND ${LIVE('a')} AND e.account_id = a.account_id AND e.type = t.value AND e.occurred_at >= @eventsFrom AND e.occurred_at < @eventsTo`,
      )
      .raw(true),
    metrics: db
      .prepare<Record<string, string | number>, MetricRow>(
        `WITH keys (account_id, metric, contact_id) AS (
           SELECT a.account_id, m.value, '' FROM accounts a, ${metricKeys} m WHERE ${where('a')} AND ${LIVE('a')}
           UNION ALL
           SELECT c.account_id, 'logins', c.contact_id FROM contacts c JOIN accounts a ON a.account_id = c.account_id WHERE ${where('c')} AND ${LIVE('a')}
         )
         SELECT k.account_id, k.metric, k.contact_id,
           (SELECT count(*) || ' ' || min(x.date) || ' ' || max(x.date) || ' [' || group_concat(${AS_TEXT('x.value')}) || ']' FROM metrics x
            WHERE x.account_id = k.account_id AND x.metric = k.metric AND x.contact_id = k.contact_id AND x.date >= @metricsFrom AND x.date <= @metricsTo)
         FROM keys k`,
      )
      .raw(true),
  };
}

/** The accounts (as `a`) a series read covers: an id range, or a list of ids (a rescore of a few accounts). */
export const RANGE = 'a.account_id >= @lo AND a.account_id <= @hi';
export const LISTED = 'a.account_id IN (SELECT value FROM json_each(@ids))';

/**
 * Every series of the accounts in @lo…@hi (or listed in @ids), whatever its metric or contact, packed as in `metrics`:
 * one walk of the accounts' primary-key ranges in key order (the dates filtered as rows go by), for
 * a whole-book run that also folds the churn model's metric aggregates (series-aggregates.ts).
 * Grouped by a.account_id, the loop's own order, so SQLite streams the groups instead of sorting
 * them in a temporary B-tree (x.account_id, equal but not the loop variable, made it sort).
 * Performance (issue 16): each series' first and last day are two primary-key seeks once its group
 * is done, not min() and max() over every row (max() copied the date of each row, all of them
 * newer than the last): about a quarter less CPU for the walk, the same text.
 */
export function everySeries(db: Db, besideCache = false, accounts = RANGE) {
  const edge = (bound: string, order: string) =>
    `(SELECT y.date FROM metrics y WHERE y.account_id = g.account_id AND y.metric = g.metric AND y.contact_id = g.contact_id AND ${bound} ORDER BY y.date ${order} LIMIT 1)`;
  // Beside the series cache: only accounts it cannot serve, and whether a series has rows after
  // the day (such an account is not cached, since a series with only later rows would not be).
  // Performance (issue 13): that is its newest row's date, one seek per series, not a max() over
  // every row of the walk (about 1 CPU-s of a first run's 9–11 at 50,000 accounts).
  const upTo = besideCache ? '' : ' AND x.date <= @metricsTo';
  const inWindow = besideCache ? ' FILTER (WHERE x.date <= @metricsTo)' : '';
  return db
    .prepare<Record<string, string | number>, MetricRow>(
      `SELECT g.account_id, g.metric, g.contact_id,
         g.n || ' ' || ${edge('y.date >= @metricsFrom', 'ASC')} || ' ' || ${edge('y.date <= @metricsTo', 'DESC')} || ' [' || g.vals || ']'
         ${besideCache ? `, ${edge('1', 'DESC')} > @metricsTo` : ''}
       FROM (
         SELECT a.account_id, x.metric, x.contact_id, count(*)${inWindow} AS n, group_concat(${AS_TEXT('x.value')})${inWindow} AS vals
         FROM accounts a CROSS JOIN metrics x
         WHERE ${accounts} AND ${LIVE('a')}
           ${besideCache ? 'AND NOT EXISTS (SELECT 1 FROM series_cache s WHERE s.account_id = a.account_id AND s.from_day <= @metricsFrom)' : ''}
           AND x.account_id = a.account_id AND x.date >= @metricsFrom${upTo}
         GROUP BY a.account_id, x.metric, x.contact_id
       ) g`,
    )
    .raw(true);
}
