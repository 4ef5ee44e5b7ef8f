/**
 * Graceful quit: stop starting new work, let the work in progress (API calls, which may be running a
 * job's transaction in a worker, a backup, a sync) finish, then checkpoint the WAL and close the
 * database. Pure: Electron's before-quit handler drives it.
 */

export interface InFlightTracker {
  /** Wraps a promise so shutdown waits for it. */
  track<T>(work: Promise<T>): Promise<T>;
  readonly pending: number;
  /** Resolves when nothing is pending, or after `timeoutMs` with the number still pending. */
  drain(timeoutMs: number): Promise<number>;
}

export function createInFlightTracker(): InFlightTracker {
  const pending = new Set<Promise<unknown>>();
  return {
    track(work) {
      const settled = work.then(
        () => undefined,
        () => undefined,
      );
      pending.add(settled);
      void settled.then(() => pending.delete(settled));
      return work;
    },
    get pending() {
      return pending.size;
    },
    async drain(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (pending.size > 0) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) break;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.all([...pending]),
          new Promise((resolve) => (timer = setTimeout(resolve, remaining))),
        ]);
        clearTimeout(timer);
      }
      return pending.size;
    },
  };
}

export interface ShutdownSteps {
  /** Stop timers and refuse new API calls. */
  stopAccepting(): void;
  /** Background work with its own completion (the sync scheduler). */
  stopBackground(): Promise<void>;
  tracker: InFlightTracker;
  /** closeDatabase: checkpoint(TRUNCATE) and close. */
  closeDatabase(): void;
  log(message: string): void;
  timeoutMs?: number;
}

/** Runs once, however many times quit is requested. */
export function createShutdown(steps: ShutdownSteps): () => Promise<void> {
  let running: Promise<void> | null = null;
  return () => {
    running ??= (async () => {
      steps.stopAccepting();
      const timeoutMs = steps.timeoutMs ?? 15_000;
      await Promise.race([steps.stopBackground(), new Promise((resolve) => setTimeout(resolve, timeoutMs).unref?.())]);
      const left = await steps.tracker.drain(timeoutMs);
      if (left > 0)
        steps.log(
          `[quit] ${left} call(s) still running after ${timeoutMs} ms; closing anyway (SQLite rolls back unfinished transactions).`,
        );
      try {
        steps.closeDatabase();
      } catch (error) {
        steps.log(`[quit] closing the database failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    })();
    return running;
  };
}
