/** Whether the book changed behind the engine's back (see snapshotStaleness in rescore.ts). */
import type { Db } from '../db/open.ts';
import { cachedUntilDataChanges } from '../db/data-version.ts';
import { META_KEYS, metaRepo } from '../db/repos/meta.ts';

export const FINGERPRINT_KEY = 'risk.book_fingerprint';

/**
 * A summary of the book that changes when accounts are added, removed or replaced (a new demo
 * book, a cleared book, an import that skipped the after-data-change pipeline): the accounts
 * table's change counter, which its triggers move on every insert and delete and every change of
 * an account's status, ARR or update time (migration 29), and the demo seed.
 *
 * Not the time of the last sync (META_KEYS.lastSyncAt): every import and feed sync rescores what
 * it changed itself, and then marks the data fresh even when nothing changed, so counting that
 * moment made the next list rescore the whole book after every import (issue 16).
 *
 * Performance (issue 16): one row, whatever the book's size. It was a scan of every account (count,
 * total ARR, newest update, churned), 11 ms at 100,000 accounts on every `status`, `risks` and
 * `account`; risk.list checks it on every call, so it is still kept per connection until the data
 * can have changed.
 */
export const bookFingerprint = cachedUntilDataChanges(computeFingerprint);

function computeFingerprint(db: Db): string {
  const changes = db.prepare<[], number>('SELECT changes FROM book_changes WHERE id = 1').pluck().get() ?? 0;
  return `changes ${changes}|${metaRepo(db).get(META_KEYS.demoSeed) ?? '-'}`;
}

/**
 * What the accounts triggers of migration 29 do, for a writer that set them aside (a first load
 * into an empty accounts table, ingest/first-load.ts): the fingerprint moves.
 */
export function countBookChanges(db: Db, changes: number): void {
  db.prepare('UPDATE book_changes SET changes = changes + ? WHERE id = 1').run(changes);
}

export function recordFingerprint(db: Db): void {
  metaRepo(db).set(FINGERPRINT_KEY, bookFingerprint(db));
}
