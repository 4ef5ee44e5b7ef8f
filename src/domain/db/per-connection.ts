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

/**
 * A statement (or anything costly to build) made on its first use. For repositories whose
 * statements a one-shot command mostly leaves unused: preparing costs 20-600 µs each (a batched
 * insert of thousands of parameters the most), and `foresight status` used to prepare some fifty
 * statements to run fifteen (issue 16).
 */
export function onFirstUse<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}
