/**
 * A source's first pull that has stored pages but not finished (the hub went away, the laptop
 * slept, the process was killed). Half a book is not the book: scoring it would band accounts green
 * from a fraction of their rows and open risk items that the rest would change (QA 5 #2), so every
 * path that scores asks incompleteFirstPulls first. Kept in app_meta, one key per source holding
 * the pages stored so far, written in each page's transaction and removed with the pull's end.
 */
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import { UserFacingError } from '../errors.ts';

const PREFIX = 'feed.first_pull_open:';

const statements = perConnection((db: Db) => ({
  open: db.prepare<[number, string], { key: string; value: string }>(
    'SELECT key, value FROM app_meta WHERE substr(key, 1, ?) = ? ORDER BY key',
  ),
  page: db.prepare<[string]>(
    `INSERT INTO app_meta (key, value) VALUES (?, '1')
     ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`,
  ),
  remove: db.prepare<[string]>('DELETE FROM app_meta WHERE key = ?'),
}));

/** A page of the source's first pull was stored (call in the page's transaction). */
export function countFirstPullPage(db: Db, source: string): void {
  statements(db).page.run(PREFIX + source);
}

/** The first pull completed, or the source was removed or pointed elsewhere. */
export function closeFirstPull(db: Db, source: string): void {
  statements(db).remove.run(PREFIX + source);
}

export interface OpenFirstPull {
  source: string;
  pages: number;
}

export function incompleteFirstPulls(db: Db): OpenFirstPull[] {
  return statements(db)
    .open.all(PREFIX.length, PREFIX)
    .map((row) => ({ source: row.key.slice(PREFIX.length), pages: Number(row.value) || 0 }));
}

/** The sentence every scoring path says while a first pull is open; null when none is. */
export function firstPullSentence(db: Db): string | null {
  const open = incompleteFirstPulls(db);
  if (open.length === 0) return null;
  const what = open
    .map((pull) => `${pull.source} (${pull.pages.toLocaleString('en')} page${pull.pages === 1 ? '' : 's'} kept)`)
    .join(', ');
  return `The first pull of ${what} is not complete, so nothing is scored until a sync completes it: sync again when the source is reachable.`;
}

/** Refuses to score while a first pull is open (score-all.ts). */
export function assertNoOpenFirstPull(db: Db): void {
  const sentence = firstPullSentence(db);
  if (sentence) throw new UserFacingError('FIRST_PULL_INCOMPLETE', sentence);
}
