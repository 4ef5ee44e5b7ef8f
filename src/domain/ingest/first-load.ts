/**
 * What a file's transaction does differently when its table starts empty (a new book's first
 * import, docs/performance.md "The import's own part"), each undone or completed before the
 * transaction commits, so a failed file leaves the book as it was:
 *
 * - accounts: their secondary indexes and triggers are set aside and rebuilt after the rows
 *   (bulk-load.ts), then what the fingerprint triggers would have done is done;
 * - events: their id index is built after the rows, repeated ids settled as the upsert would
 *   (event-key.ts);
 * - metrics: the book's first metric day is the first day written, kept at once
 *   (series-cache-hooks.ts), instead of a scan of every row by the first scoring (29 M rows, about
 *   4 s at 50,000 accounts).
 */
import type { RecordKind } from '../../shared/dto/core.ts';
import type { Db } from '../db/open.ts';
import { keepFirstMetricDay } from '../risk/series-cache-hooks.ts';
import { setAsideWhileEmpty, tableIsEmpty } from './bulk-load.ts';
import { setAsideEventKey } from './event-key.ts';
import type { RecordWriter } from './writer.ts';

export interface FirstLoad {
  /** The kind the writer inserts plainly (its key index is set aside), if any. */
  plainInsert: RecordKind | null;
  /** After the writer's last flush: `firstDay` is the first day the written rows date (AccountIdSet.since). */
  finish(writer: RecordWriter, firstDay: string | null | undefined): void;
}

/** `forgetFingerprints`: what migration 7's accounts triggers do on a new account. */
export function startFirstLoad(db: Db, kind: RecordKind | null, forgetFingerprints: () => void): FirstLoad {
  if (kind === 'accounts') {
    const setAside = setAsideWhileEmpty(db, 'accounts');
    return {
      plainInsert: null,
      finish(writer) {
        if (!setAside) return;
        setAside.restore();
        if (writer.counts.accepted.accounts > 0) forgetFingerprints();
      },
    };
  }
  if (kind === 'events') {
    const eventKey = setAsideEventKey(db);
    return { plainInsert: eventKey ? 'events' : null, finish: (writer) => eventKey?.restore(writer) };
  }
  if (kind === 'metrics' && tableIsEmpty(db, 'metrics'))
    return {
      plainInsert: null,
      finish(_writer, firstDay) {
        if (firstDay) keepFirstMetricDay(db, firstDay);
      },
    };
  return { plainInsert: null, finish() {} };
}
