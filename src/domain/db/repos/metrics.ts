import type { MetricRecord } from '../../contract/records.ts';
import type { Db } from '../open.ts';
import { perConnection } from '../per-connection.ts';
import { prepareUpsert } from '../upsert.ts';
import { EXACT_MARGIN } from './row-estimate.ts';

export const METRIC_COLUMNS = ['account_id', 'metric', 'contact_id', 'date', 'value'] as const;

export interface MetricPoint {
  date: string;
  value: number;
}

export const metricsRepo = perConnection((db: Db) => {
  const upsert = prepareUpsert<MetricRecord>(db, 'metrics', METRIC_COLUMNS, [
    'account_id',
    'metric',
    'contact_id',
    'date',
  ]);
  // The hot read: one account's series over a window. Served by the primary key.
  const window = db.prepare<
    { account_id: string; metric: string; contact_id: string; from: string; to: string },
    MetricPoint
  >(
    `SELECT date, value FROM metrics
     WHERE account_id = @account_id AND metric = @metric AND contact_id = @contact_id AND date >= @from AND date <= @to
     ORDER BY date`,
  );
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM metrics');
  const countUpTo = db.prepare<[number], number>('SELECT count(*) FROM (SELECT 1 FROM metrics LIMIT ?)').pluck();
  const accountSpan = db.prepare<[], { n: number; lo: number | null; hi: number | null }>(
    // Subqueries: SQLite seeks min() or max() only when a query has just one of them.
    'SELECT (SELECT count(*) FROM accounts) AS n, (SELECT min(rowid) FROM accounts) AS lo, (SELECT max(rowid) FROM accounts) AS hi',
  );
  const accountAt = db
    .prepare<[number], string>('SELECT account_id FROM accounts WHERE rowid >= ? ORDER BY rowid LIMIT 1')
    .pluck();
  const ofAccount = db.prepare<[string], number>('SELECT count(*) FROM metrics WHERE account_id = ?').pluck();

  /**
   * The row count, exact up to `exactUpTo` rows, else estimated from the accounts at `samples`
   * evenly spaced places of the accounts table (a primary-key range count each) times the number of
   * accounts. Why: an exact count walks every row (seconds at 50,000 accounts), too slow for a
   * one-shot `foresight status` (issue 16); the caller says the figure is an estimate. The sample
   * comes first: only a table it puts near the limit (under EXACT_MARGIN times it) is counted
   * exactly, so a large book does not also walk its first 100,001 rows (7 ms at 50,000 accounts).
   */
  function estimate(exactUpTo = 100_000, samples = 128): { n: number; estimated: boolean } {
    const span = accountSpan.get();
    if (!span || span.n === 0 || span.lo === null || span.hi === null) return exactUpToLimit(exactUpTo);
    const picked = new Set<string>();
    for (let i = 0; i < samples; i++) {
      const id = accountAt.get(span.lo + Math.floor(((span.hi - span.lo + 1) * (i + 0.5)) / samples));
      if (id !== undefined) picked.add(id);
    }
    let rows = 0;
    for (const id of picked) rows += ofAccount.get(id) ?? 0;
    const estimated = Math.round((rows / Math.max(1, picked.size)) * span.n);
    if (estimated > exactUpTo * EXACT_MARGIN) return { n: estimated, estimated: true };
    const counted = exactUpToLimit(exactUpTo);
    return counted.estimated ? { n: Math.max(counted.n, estimated), estimated: true } : counted;
  }

  /** The exact count when it is at most `limit` (a walk of at most limit + 1 rows); flagged as a floor otherwise. */
  function exactUpToLimit(limit: number): { n: number; estimated: boolean } {
    const head = countUpTo.get(limit + 1) ?? 0;
    return { n: head, estimated: head > limit };
  }

  return {
    estimate,
    upsert,
    window: (accountId: string, metric: string, from: string, to: string, contactId = ''): MetricPoint[] =>
      window.all({ account_id: accountId, metric, contact_id: contactId, from, to }),
    count: (): number => count.get()?.n ?? 0,
  };
});
