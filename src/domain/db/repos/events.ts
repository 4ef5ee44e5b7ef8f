import type { EventRecord } from '../../contract/records.ts';
import type { Db } from '../open.ts';
import { perConnection } from '../per-connection.ts';
import { prepareUpsert } from '../upsert.ts';
import { EXACT_MARGIN } from './row-estimate.ts';

export const EVENT_COLUMNS = [
  'event_id',
  'account_id',
  'occurred_at',
  'type',
  'value',
  'contact_id',
  'detail',
] as const;

export const eventsRepo = perConnection((db: Db) => {
  const upsert = prepareUpsert<EventRecord>(db, 'events', EVENT_COLUMNS, ['event_id']);
  // The hot read: one account's events in a time window, newest first. Served by events_account_time.
  const window = db.prepare<{ account_id: string; from: string; to: string }, EventRecord>(
    `SELECT * FROM events WHERE account_id = @account_id AND occurred_at >= @from AND occurred_at < @to ORDER BY occurred_at DESC`,
  );
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM events');
  const countUpTo = db.prepare<[number], number>('SELECT count(*) FROM (SELECT 1 FROM events LIMIT ?)').pluck();
  const span = db.prepare<[], { lo: number | null; hi: number | null }>(
    // Two subqueries: SQLite seeks min() or max() only when a query has just one of them.
    'SELECT (SELECT min(rowid) FROM events) AS lo, (SELECT max(rowid) FROM events) AS hi',
  );
  const inRange = db
    .prepare<[number, number], number>('SELECT count(*) FROM events WHERE rowid >= ? AND rowid < ?')
    .pluck();

  /**
   * The row count, exact up to `exactUpTo` rows, else estimated from how densely `samples` evenly
   * spaced runs of `width` row ids are filled (deleted events leave gaps) times the span of ids.
   * Why: an exact count walks a whole index (about a second at 50,000 accounts, 2.3 M events),
   * too slow for a one-shot `foresight status` (issue 16); the caller says the figure is an estimate.
   * The span of ids bounds the count: only a table whose ids or sample put it near the limit is
   * counted exactly, so a large book does not also walk its first 100,001 events (7-10 ms at 50,000).
   */
  function estimate(exactUpTo = 100_000, samples = 64, width = 512): { n: number; estimated: boolean } {
    const { lo, hi } = span.get() ?? { lo: null, hi: null };
    if (lo === null || hi === null) return { n: 0, estimated: false };
    const ids = hi - lo + 1;
    if (ids <= exactUpTo) return { n: countUpTo.get(exactUpTo + 1) ?? 0, estimated: false };
    let present = 0;
    let looked = 0;
    for (let i = 0; i < samples; i++) {
      const start = lo + Math.floor(((ids - width) * i) / Math.max(1, samples - 1));
      present += inRange.get(start, start + width) ?? 0;
      looked += width;
    }
    const estimated = Math.round((present / looked) * ids);
    if (estimated > exactUpTo * EXACT_MARGIN) return { n: estimated, estimated: true };
    const head = countUpTo.get(exactUpTo + 1) ?? 0;
    return head <= exactUpTo ? { n: head, estimated: false } : { n: Math.max(head, estimated), estimated: true };
  }

  return {
    estimate,
    upsert,
    window: (accountId: string, from: string, to: string): EventRecord[] =>
      window.all({ account_id: accountId, from, to }),
    count: (): number => count.get()?.n ?? 0,
  };
});
