/** Whether the book changed behind the engine's back (see snapshotStaleness in rescore.ts). */
import type { Db } from '../db/open.ts';
import { cachedUntilDataChanges } from '../db/data-version.ts';
import { META_KEYS, metaRepo } from '../db/repos/meta.ts';

export const FINGERPRINT_KEY = 'risk.book_fingerprint';

/**
 * A summary of the book that changes when accounts are added, removed or replaced (a new demo
 * book, a cleared book, an import that skipped the after-data-change pipeline): the accounts
 * table's change counter, which its triggers move on every insert and delete and every change of
 * an account's status, ARR or update time (migration 29), and the demo seed. Every file, feed page
 * or quarantine re-check that writes rows moves the counter too, in the transaction of its rows
 * (markDataChanged): the rescore after it records the new value when it is done, so a process
 * killed between the commit and the end of that rescore leaves the list out of date, and the next
 * list or data change scores the book again (QA 5 #1: it stayed on the old data for good).
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

/**
 * Called inside the transaction that wrote the rows (a file, a feed page, a quarantine re-check)
 * when it wrote any: the fingerprint moves with them, so the book counts as changed until a rescore
 * records it. Nothing written (a re-import of the same rows) moves nothing (issue 16).
 */
export function markDataChanged(db: Db, accepted: number): void {
  if (accepted > 0) countBookChanges(db, 1);
}

/**
 * `seen`: the fingerprint read before the run read the data, so a change committed by another
 * process while the run scored is not recorded as scored. Absent: the book as it is now.
 */
export function recordFingerprint(db: Db, seen: string = bookFingerprint(db)): void {
  metaRepo(db).set(FINGERPRINT_KEY, seen);
}

/**
 * Whether the book changed since its last recorded scoring (a rescore interrupted after its data
 * committed, an edit that rescored nothing): a data change then rescores the whole book, not only
 * the accounts it changed itself, and a re-import that changes nothing still scores it.
 */
export function rescoreOwed(db: Db): boolean {
  const recorded = metaRepo(db).get(FINGERPRINT_KEY);
  return recorded !== null && recorded !== bookFingerprint(db);
}
