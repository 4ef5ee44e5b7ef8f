import type { EventRecord } from '../../contract/records.ts';
import type { Db } from '../open.ts';
import { perConnection } from '../per-connection.ts';
import { prepareUpsert } from '../upsert.ts';

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
  return {
    upsert,
    window: (accountId: string, from: string, to: string): EventRecord[] =>
      window.all({ account_id: accountId, from, to }),
    count: (): number => count.get()?.n ?? 0,
  };
});
