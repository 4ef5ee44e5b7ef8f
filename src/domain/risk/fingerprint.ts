/** Whether the book changed behind the engine's back (see snapshotStaleness in rescore.ts). */
import type { Db } from '../db/open.ts';
import { META_KEYS, metaRepo } from '../db/repos/meta.ts';

export const FINGERPRINT_KEY = 'risk.book_fingerprint';

/**
 * A key that changes whenever the database can have changed: `PRAGMA data_version` moves when
 * another connection (a job's worker) commits, `total_changes()` when this one writes. Answers
 * derived from the data may be kept per connection under it (as app.status keeps its counts).
 */
export function dataVersionKey(db: Db): string {
  return `${db.pragma('data_version', { simple: true }) as number}:${db.prepare<[], { n: number }>('SELECT total_changes() AS n').get()?.n ?? 0}`;
}

const fingerprints = new WeakMap<Db, { key: string; fingerprint: string }>();

/**
 * A cheap summary of the book that changes when accounts are added, removed or replaced (a new
 * demo book, a cleared book, an import that skipped the after-data-change pipeline).
 *
 * Performance (docs/performance.md, "UI: search keystroke"): it reads every account
 * (about 8 ms on 50,000), and risk.list checks it on every call, i.e. every keystroke and page;
 * kept per connection until the data can have changed.
 */
export function bookFingerprint(db: Db): string {
  const key = dataVersionKey(db);
  const cached = fingerprints.get(db);
  if (cached && cached.key === key) return cached.fingerprint;
  const fingerprint = computeFingerprint(db);
  fingerprints.set(db, { key, fingerprint });
  return fingerprint;
}

function computeFingerprint(db: Db): string {
  const row = db.prepare<[], { n: number; arr: number; updated: string | null; churned: number }>(
    "SELECT count(*) AS n, total(arr) AS arr, max(updated_at) AS updated, count(*) FILTER (WHERE status = 'churned') AS churned FROM accounts",
  ).get()!;
  const meta = metaRepo(db);
  return [row.n, Math.round(row.arr), row.updated ?? '-', row.churned, meta.get(META_KEYS.demoSeed) ?? '-', meta.get(META_KEYS.lastSyncAt) ?? '-'].join('|');
}

export function recordFingerprint(db: Db): void {
  metaRepo(db).set(FINGERPRINT_KEY, bookFingerprint(db));
}

