/**
 * Writers wait their turn. SQLite lets one connection write at a time; a CLI import or a feed
 * sync holds the write lock for a file's whole transaction, which can be longer than the
 * connection's busy timeout (5 s). A call that meets the lock is tried again, with a progress event
 * saying what it waits for, until the lock is free or `maxWaitMs` has passed; only then does the
 * caller get DB_BUSY (as a sentence, failure-sentence.ts), never INTERNAL.
 */
import { randomUUID } from 'node:crypto';
import type { ApiEvent } from '../shared/events.ts';

export const DEFAULT_BUSY_WAIT_MS = 120_000;

export interface WaitOptions {
  /** What is waiting, for the progress label: "Saving". */
  what: string;
  emit?: (event: ApiEvent) => void;
  maxWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Monotonic milliseconds. */
  clock?: () => number;
}

export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

export async function retryWhileBusy<T>(run: () => T | Promise<T>, options: WaitOptions): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_BUSY_WAIT_MS;
  const jobId = `wait-${randomUUID()}`;
  const progress = (done: boolean) =>
    options.emit?.({
      type: 'progress',
      jobId,
      title: options.what,
      label: `${options.what}: waiting for another import or sync to finish writing`,
      // Seconds waited, said as such: read as a count of work it was "8 items so far" (QA 5 #15).
      processed: Math.round((clock() - started) / 1000),
      unit: 'seconds',
      total: null,
      ratePerSecond: null,
      done,
    });
  for (let attempt = 0; ; attempt++) {
    try {
      const value = await run();
      if (attempt > 0) progress(true);
      return value;
    } catch (error) {
      if (!isBusy(error) || clock() - started >= maxWaitMs) {
        if (attempt > 0) progress(true);
        throw error;
      }
      progress(false);
      await sleep(Math.min(1000, 50 * 2 ** attempt));
    }
  }
}
