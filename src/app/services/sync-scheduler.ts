/**
 * Which feed sources a background tick syncs: healthy ones once per period, failing ones when
 * their backoff (1, 2, 4 … 60 minutes, or the feed's own Retry-After) has passed. A rejected token
 * waits for the user. The tick itself comes from periodic-sync.ts, started by the desktop app and
 * the web preview.
 */
import type { SourceRow } from '../../domain/feed/repo.ts';
import { feedRepo } from '../../domain/feed/repo.ts';
import type { AppContext } from '../context.ts';
import { runSync } from '../handlers/sync.ts';

export function isDue(
  source: Pick<SourceRow, 'status' | 'next_retry_at' | 'last_attempt_at'>,
  now: Date,
  periodMs: number,
): boolean {
  if (source.status === 'unauthorised') return false;
  if (source.next_retry_at) return Date.parse(source.next_retry_at) <= now.getTime();
  if (!source.last_attempt_at) return true;
  return Date.parse(source.last_attempt_at) + periodMs <= now.getTime();
}

/** Runs one round: syncs every due source. Resolves to the names it synced. */
export async function syncDueSources(ctx: AppContext, periodMs: number): Promise<string[]> {
  const now = ctx.now();
  const due = feedRepo(ctx.db)
    .list()
    .filter((source) => isDue(source, now, periodMs))
    .map((source) => source.name);
  if (due.length > 0) await runSync(ctx, due);
  return due;
}
