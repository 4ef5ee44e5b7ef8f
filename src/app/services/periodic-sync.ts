/**
 * The clock behind background sync: a tick every `intervalMs`, never two at once, paused while
 * offline and resumed as soon as the network is back. What a tick does (which sources are due,
 * per-source backoff) is `syncDueSources` in sync-scheduler.ts. Pure: timers, clock and the online
 * check are injected, so the desktop app and the web preview share it and tests use fake timers.
 */

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface SyncSchedulerOptions {
  intervalMs(): number;
  enabled(): boolean;
  isOnline(): boolean;
  runSync(): Promise<unknown>;
  /** Delay of the first run after start-up. */
  initialDelayMs?: number;
  /** How often to look again while offline (Electron's main process has no online event). */
  offlineRetryMs?: number;
  timers?: Timers;
  now?: () => number;
  log?: (message: string) => void;
}

export type SyncSchedulerState = 'stopped' | 'waiting' | 'running' | 'paused-offline' | 'disabled';

export interface SyncScheduler {
  start(): void;
  /** Stops scheduling; resolves when a run in progress has finished. */
  stop(): Promise<void>;
  /** Preferences changed: plan the next run from the last one with the new interval. */
  reschedule(): void;
  /** The network came back (renderer 'online' event, or a poll): run now if a run was skipped. */
  notifyOnline(): void;
  readonly state: SyncSchedulerState;
  readonly lastRunAt: number | null;
  readonly nextRunAt: number | null;
}

const defaultTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export function createSyncScheduler(options: SyncSchedulerOptions): SyncScheduler {
  const timers = options.timers ?? defaultTimers;
  const now = options.now ?? Date.now;
  const offlineRetryMs = options.offlineRetryMs ?? 60_000;
  const log = options.log ?? (() => {});
  let state: SyncSchedulerState = 'stopped';
  let timer: unknown = null;
  let lastRunAt: number | null = null;
  let nextRunAt: number | null = null;
  let inFlight: Promise<void> | null = null;

  const clear = () => {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    nextRunAt = null;
  };
  const schedule = (delay: number) => {
    clear();
    const ms = Math.max(0, delay);
    nextRunAt = now() + ms;
    timer = timers.setTimeout(() => void tick(), ms);
  };

  async function tick(): Promise<void> {
    timer = null;
    nextRunAt = null;
    if (state === 'stopped' || inFlight) return;
    if (!options.enabled()) {
      state = 'disabled';
      schedule(options.intervalMs());
      return;
    }
    if (!options.isOnline()) {
      state = 'paused-offline';
      schedule(offlineRetryMs);
      return;
    }
    state = 'running';
    inFlight = options
      .runSync()
      .then(
        () => undefined,
        (error: unknown) =>
          log(`[sync] background sync failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => {
        inFlight = null;
        lastRunAt = now();
      });
    await inFlight;
    if ((state as SyncSchedulerState) === 'stopped') return;
    state = 'waiting';
    schedule(options.intervalMs());
  }

  return {
    start() {
      if (state !== 'stopped') return;
      state = 'waiting';
      schedule(options.initialDelayMs ?? 30_000);
    },
    async stop() {
      state = 'stopped';
      clear();
      await inFlight;
    },
    reschedule() {
      if (state === 'stopped' || state === 'running') return;
      const due = lastRunAt === null ? now() + options.intervalMs() : lastRunAt + options.intervalMs();
      state = 'waiting';
      schedule(due - now());
    },
    notifyOnline() {
      if (state === 'paused-offline') schedule(0);
    },
    get state() {
      return state;
    },
    get lastRunAt() {
      return lastRunAt;
    },
    get nextRunAt() {
      return nextRunAt;
    },
  };
}
