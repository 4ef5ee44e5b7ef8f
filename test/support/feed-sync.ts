/** One sync of a named source against the test feed server, with fast retries (tests only). */
import type { Db } from '../../src/domain/db/open.ts';
import { feedRepo } from '../../src/domain/feed/repo.ts';
import { syncSource } from '../../src/domain/feed/sync-source.ts';
import { accountIdSet } from '../../src/domain/ingest/counts.ts';

export function syncOnce(db: Db, source: string, token: string, now: Date) {
  return syncSource(db, feedRepo(db).get(source)!, {
    token,
    now: () => now,
    changed: accountIdSet(),
    retry: { baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 1_000, maxAttempts: 1 },
    pageSize: 2,
  });
}
