import type { MetricRecord } from '../../contract/records.ts';
import type { Db } from '../open.ts';
import { perConnection } from '../per-connection.ts';
import { prepareUpsert } from '../upsert.ts';
import { EXACT_MARGIN, METRICS_EXACT_UP_TO } from './row-estimate.ts';

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
   * comes first: a table it puts over the limit is estimated without walking any rows; one far
   * under it (EXACT_MARGIN times) is counted with count(*); in between, a walk of at most
   * `exactUpTo` + 1 rows counts it, or gives a floor if the sample was low.
   */
  function estimate(exactUpTo = METRICS_EXACT_UP_TO, samples = 128): { n: number; estimated: boolean } {
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
    // Over the limit: the sample is the figure (a walk would stop at the limit anyway, and at one
    // million rows that walk alone costs more than status's budget).
    if (estimated > exactUpTo) return { n: estimated, estimated: true };
    // Far under the limit, the table is under it too: SQLite's own count of the key's pages is
    // several times faster than the bounded walk below (3 ms against 11 ms for 371,078 rows).
    if (estimated * EXACT_MARGIN <= exactUpTo) return { n: count.get()?.n ?? 0, estimated: false };
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
