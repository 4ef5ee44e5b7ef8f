/**
 * Prepared statements, kept per connection. A repository builds its statements once for each
 * connection it is used with (the app's, a job worker's, a test's) and reuses them on every call,
 * because preparing costs about as much as running a small query. Keyed weakly, so a closed and
 * dropped connection takes its statements with it.
 *
 * Statements are shared by every caller on the connection: a repository must not keep per-call
 * state in what `build` returns, and must not run one statement's `iterate()` inside another
 * iteration of the same statement.
 */
import type { Db } from './open.ts';

export function perConnection<T>(build: (db: Db) => T): (db: Db) => T {
  const built = new WeakMap<Db, T>();
  return (db) => {
    let value = built.get(db);
    if (value === undefined) {
      value = build(db);
      built.set(db, value);
    }
    return value;
  };
}
