/**
 * Whether the stored snapshot of a day is still current, and what it knows about the book's newest
 * data day. Light on purpose (issue 16): `status`, `risks` and `account` ask this on every start, so
 * it imports no scoring engine, trigger catalog or zod schema (rescore.ts, which scores, re-exports
 * it). The active configuration's version is read as a number, without parsing the configuration.
 */
import type { Db } from '../db/open.ts';
import { metaRepo } from '../db/repos/meta.ts';
import { perConnection } from '../db/per-connection.ts';
import { bookFingerprint, FINGERPRINT_KEY } from './fingerprint.ts';
import { riskStore } from './store.ts';

export type Staleness = 'current' | 'missing' | 'config_changed' | 'book_changed';

const statements = perConnection((db: Db) => ({
  // configRepo(db).active().version without parsing the document: 0 is the built-in default.
  version: db.prepare<[], number>('SELECT coalesce(max(version), 0) FROM risk_config').pluck(),
  anySnapshot: db.prepare<[string], number>('SELECT 1 FROM risk_snapshots WHERE as_of = ? LIMIT 1').pluck(),
  newest: db.prepare<[string], string | null>('SELECT max(data_through) FROM risk_snapshots WHERE as_of = ?').pluck(),
}));

/** The version of the score configuration in use (the highest stored; 0 for the built-in defaults). */
export function activeConfigVersion(db: Db): number {
  return statements(db).version.get() ?? 0;
}

/** Whether the stored snapshot for `asOf` reflects the current configuration and book. */
export function snapshotStaleness(db: Db, asOf: string): Staleness {
  const run = riskStore(db).fullRun(asOf);
  if (!run) return 'missing';
  // Snapshots of days looked at earlier are pruned (never the live day's); the run record outlives them.
  if (run.accounts > 0 && statements(db).anySnapshot.get(asOf) === undefined) return 'missing';
  if (run.config_version !== activeConfigVersion(db)) return 'config_changed';
  if (metaRepo(db).get(FINGERPRINT_KEY) !== bookFingerprint(db)) return 'book_changed';
  return 'current';
}

/**
 * The newest data day of the active accounts as the current snapshot of `day` recorded it (a range
 * read of one day's rows); null when the day has no current snapshot or it recorded none, in which
 * case the book itself must be asked (newestDataOn in rescore.ts).
 */
export function snapshotNewestData(db: Db, day: string): string | null {
  if (snapshotStaleness(db, day) !== 'current') return null;
  return statements(db).newest.get(day) ?? null;
}
