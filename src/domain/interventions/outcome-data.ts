import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';

export interface EventHit {
  occurred_at: string;
  type: string;
  value: number | null;
  contact_id: string | null;
}

export interface MetricPoint {
  date: string;
  value: number;
}

export interface OutcomeAccount {
  account_id: string;
  name: string;
  owner_email: string | null;
  arr: number;
  currency: string;
  seats_purchased: number | null;
  renewal_date: string | null;
  status: 'active' | 'churned';
  churned_at: string | null;
}

/**
 * The reads a success criterion needs, each a range over a primary key or an index:
 * events by (account_id, type, occurred_at), metrics by (account_id, metric, contact_id, date).
 */
export interface OutcomeData {
  account(accountId: string): OutcomeAccount | undefined;
  /** Events of one type with occurred_at in [fromInstant, toInstant). */
  events(accountId: string, type: string, fromInstant: string, toInstant: string): EventHit[];
  /** Values of one account-level or per-contact series with date in [from, to]. */
  metric(accountId: string, metric: string, contactId: string, from: string, to: string): MetricPoint[];
  /** Per-contact series of a metric in [from, to], as contact id → points. */
  metricByContact(accountId: string, metric: string, from: string, to: string): Map<string, MetricPoint[]>;
  /** Whether anything at all (a metric row or an event) arrived for the account in [from, to]. */
  anyData(accountId: string, from: string, to: string): boolean;
}

/** The hot reads, exported for the EXPLAIN QUERY PLAN test. */
export const OUTCOME_SQL = {
  events: `SELECT occurred_at, type, value, contact_id FROM events
     WHERE account_id = ? AND type = ? AND occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at`,
  metric:
    'SELECT date, value FROM metrics WHERE account_id = ? AND metric = ? AND contact_id = ? AND date BETWEEN ? AND ? ORDER BY date',
  metricByContact: `SELECT contact_id, date, value FROM metrics WHERE account_id = ? AND metric = ? AND contact_id <> '' AND date BETWEEN ? AND ? ORDER BY contact_id, date`,
} as const;

export const outcomeData: (db: Db) => OutcomeData = perConnection(build);

function build(db: Db): OutcomeData {
  const account = db.prepare<[string], OutcomeAccount>(
    'SELECT account_id, name, owner_email, arr, currency, seats_purchased, renewal_date, status, churned_at FROM accounts WHERE account_id = ?',
  );
  const events = db.prepare<[string, string, string, string], EventHit>(OUTCOME_SQL.events);
  const metric = db.prepare<[string, string, string, string, string], MetricPoint>(OUTCOME_SQL.metric);
  const byContact = db.prepare<[string, string, string, string], MetricPoint & { contact_id: string }>(
    OUTCOME_SQL.metricByContact,
  );
  const anyMetric = db
    .prepare<[string, string, string], number>(
      'SELECT 1 FROM metrics WHERE account_id = ? AND date BETWEEN ? AND ? LIMIT 1',
    )
    .pluck();
  const anyEvent = db
    .prepare<[string, string, string], number>(
      'SELECT 1 FROM events WHERE account_id = ? AND occurred_at >= ? AND occurred_at < ? LIMIT 1',
    )
    .pluck();
  return {
    account: (id) => account.get(id),
    events: (id, type, from, to) => events.all(id, type, from, to),
    metric: (id, name, contact, from, to) => metric.all(id, name, contact, from, to),
    metricByContact(id, name, from, to) {
      const result = new Map<string, MetricPoint[]>();
      for (const row of byContact.all(id, name, from, to)) {
        const list = result.get(row.contact_id) ?? [];
        list.push({ date: row.date, value: row.value });
        result.set(row.contact_id, list);
      }
      return result;
    },
    anyData: (id, from, to) =>
      anyMetric.get(id, from, to) !== undefined ||
      anyEvent.get(id, `${from}T00:00:00.000Z`, `${nextDay(to)}T00:00:00.000Z`) !== undefined,
  };
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
