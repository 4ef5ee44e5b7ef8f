/**
 * Removes the demo book: every account marked is_demo = 1 and, through the foreign keys' ON DELETE
 * CASCADE, their contacts, metrics, events, risk items and interventions. Real accounts stay.
 *
 * A large book holds tens of millions of rows, so accounts go in batches, one transaction each:
 * the write-ahead log stays small and other connections get a turn between batches. An
 * interrupted clear leaves a smaller demo book that the next clear finishes.
 */
import type { Db } from '../db/open.ts';
import { META_KEYS, metaRepo } from '../db/repos/meta.ts';

export interface ClearDemoOptions {
  /** Accounts per transaction. Default 1,000. */
  batchSize?: number;
  /** Called after each batch with the demo accounts removed so far and the total to remove. */
  onProgress?: (processed: number, total: number) => void;
}

/** Returns how many demo accounts were removed. */
export function clearDemoBook(db: Db, options: ClearDemoOptions = {}): number {
  if (db.pragma('foreign_keys', { simple: true }) !== 1) {
    // Without enforcement the cascade would silently leave orphans behind.
    throw new Error('clearDemoBook needs a connection with foreign_keys = ON (use openDatabase).');
  }
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 1_000));
  const total = db.prepare<[], number>('SELECT count(*) FROM accounts WHERE is_demo = 1').pluck().get() ?? 0;
  const removeBatch = db.prepare<[number]>(
    'DELETE FROM accounts WHERE account_id IN (SELECT account_id FROM accounts WHERE is_demo = 1 ORDER BY account_id LIMIT ?)',
  );
  const step = db.transaction(() => removeBatch.run(batchSize).changes);

  let removed = 0;
  for (;;) {
    const changes = step.immediate();
    if (changes === 0) break;
    removed += changes;
    options.onProgress?.(removed, total);
  }
  metaRepo(db).remove(META_KEYS.demoSeed);
  return removed;
}
