import type { Db } from './open.ts';
import { perConnection } from './per-connection.ts';

/**
 * A key that changes whenever the database can have changed: `PRAGMA data_version` moves when
 * another connection (a job's worker) commits, `total_changes()` when this one writes.
 */
export function dataVersionKey(db: Db): string {
  return `${db.pragma('data_version', { simple: true }) as number}:${totalChanges(db).get()?.n ?? 0}`;
}

const totalChanges = perConnection((db) => db.prepare<[], { n: number }>('SELECT total_changes() AS n'));

/**
 * Wraps an expensive read whose answer depends only on the data (counts, facets, fingerprints):
 * it is computed once per connection and reused until dataVersionKey moves. Answers are shared,
 * so callers must not mutate them.
 */
export function cachedUntilDataChanges<T>(compute: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, { key: string; value: T }>();
  return (db) => {
    const key = dataVersionKey(db);
    const cached = cache.get(db);
    if (cached && cached.key === key) return cached.value;
    const value = compute(db);
    cache.set(db, { key, value });
    return value;
  };
}
