/**
 * Background feed syncs for the app: every minute it syncs the sources that are due — healthy ones
 * every 15 minutes, failing ones when their backoff (1, 2, 4 … 60 minutes, or the feed's own
 * Retry-After) has passed. A rejected token waits for the user. Start it once the app is up:
 *
 *     const stop = startSyncScheduler(app.ctx);   // in src/main/index.ts and src/web/serve.ts
 */
import type { SourceRow } from '../../domain/feed/repo.ts';
import { feedRepo } from '../../domain/feed/repo.ts';
import type { AppContext } from '../context.ts';
import { runSync } from '../handlers/sync.ts';

export interface SchedulerOptions {
  checkEveryMs?: number;
  /** How often a healthy source is synced. */
  periodMs?: number;
  onError?: (error: unknown) => void;
}

export function isDue(source: Pick<SourceRow, 'status' | 'next_retry_at' | 'last_attempt_at'>, now: Date, periodMs: number): boolean {
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

export function startSyncScheduler(ctx: AppContext, options: SchedulerOptions = {}): () => void {
  const { checkEveryMs = 60_000, periodMs = 15 * 60_000, onError = (error) => console.error('[sync] scheduled sync failed:', error) } = options;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    syncDueSources(ctx, periodMs)
      .catch((error: unknown) => {
        // "A sync is already running" simply means the user beat us to it.
        if ((error as { code?: string }).code !== 'SYNC_RUNNING') onError(error);
      })
      .finally(() => {
        running = false;
      });
  }, checkEveryMs);
  timer.unref?.();
  return () => clearInterval(timer);
}
