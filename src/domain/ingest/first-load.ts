/**
 * What a file's transaction does differently when its table starts empty (a new book's first
 * import, docs/performance.md "The import's own part"), each undone or completed before the
 * transaction commits, so a failed file leaves the book as it was:
 *
 * - accounts: their secondary indexes and triggers are set aside and rebuilt after the rows
 *   (bulk-load.ts), then what the fingerprint triggers (migration 7's) and the book's change
 *   counter (migration 29's) would have done is done;
 * - events: their id index is built after the rows, repeated ids settled as the upsert would
 *   (event-key.ts);
 *
 * (The book's first metric day on a first load is kept by the writer's own metrics hook,
 * series-cache-hooks.ts, for every writer, so it needs nothing here.)
 */
import type { RecordKind } from '../../shared/dto/core.ts';
import type { Db } from '../db/open.ts';
import { countBookChanges } from '../risk/fingerprint.ts';
import { setAsideWhileEmpty } from './bulk-load.ts';
import { setAsideEventKey } from './event-key.ts';
import type { RecordWriter } from './writer.ts';

export interface FirstLoad {
  /** The kind the writer inserts plainly (its key index is set aside), if any. */
  plainInsert: RecordKind | null;
  /** After the writer's last flush. */
  finish(writer: RecordWriter): void;
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
        if (writer.counts.accepted.accounts > 0) {
          forgetFingerprints();
          countBookChanges(db, writer.counts.accepted.accounts);
        }
      },
    };
  }
  if (kind === 'events') {
    const eventKey = setAsideEventKey(db);
    return { plainInsert: eventKey ? 'events' : null, finish: (writer) => eventKey?.restore(writer) };
  }
  return { plainInsert: null, finish() {} };
}
