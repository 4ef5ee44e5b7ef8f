/** Whether the book changed behind the engine's back (see snapshotStaleness in rescore.ts). */
import type { Db } from '../db/open.ts';
import { cachedUntilDataChanges } from '../db/data-version.ts';
import { META_KEYS, metaRepo } from '../db/repos/meta.ts';

export const FINGERPRINT_KEY = 'risk.book_fingerprint';

/**
 * A cheap summary of the book that changes when accounts are added, removed or replaced (a new
 * demo book, a cleared book, an import that skipped the after-data-change pipeline).
 *
 * Not the time of the last sync (META_KEYS.lastSyncAt): every import and feed sync rescores what
 * it changed itself, and then marks the data fresh even when nothing changed, so counting that
 * moment made the next list rescore the whole book after every import (issue 16).
 *
 * Performance (docs/performance.md, "UI: search keystroke"): it reads every account
 * (about 8 ms on 50,000), and risk.list checks it on every call, i.e. every keystroke and page;
 * kept per connection until the data can have changed.
 */
export const bookFingerprint = cachedUntilDataChanges(computeFingerprint);

function computeFingerprint(db: Db): string {
  const row = db
    .prepare<[], { n: number; arr: number; updated: string | null; churned: number }>(
      "SELECT count(*) AS n, total(arr) AS arr, max(updated_at) AS updated, count(*) FILTER (WHERE status = 'churned') AS churned FROM accounts",
    )
    .get()!;
  const meta = metaRepo(db);
  return [row.n, Math.round(row.arr), row.updated ?? '-', row.churned, meta.get(META_KEYS.demoSeed) ?? '-'].join('|');
}

export function recordFingerprint(db: Db): void {
  metaRepo(db).set(FINGERPRINT_KEY, bookFingerprint(db));
}
