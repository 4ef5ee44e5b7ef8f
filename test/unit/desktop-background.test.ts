import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { digestSinceDay, isDigestDue, localDay } from '../../src/domain/digest/schedule.ts';
import { createSyncScheduler } from '../../src/app/services/periodic-sync.ts';
import { createInFlightTracker, createShutdown } from '../../src/main/lifecycle/shutdown.ts';

const MINUTE = 60_000;

describe('background sync scheduler', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2025-03-02T09:00:00Z') }));
  afterEach(() => vi.useRealTimers());

  function scheduler(overrides: Partial<Parameters<typeof createSyncScheduler>[0]> = {}) {
    const runs: number[] = [];
    let online = true;
    let interval = 15 * MINUTE;
    const s = createSyncScheduler({
      intervalMs: () => interval,
      enabled: () => true,
      isOnline: () => online,
      runSync: async () => void runs.push(Date.now()),
      initialDelayMs: MINUTE,
      offlineRetryMs: MINUTE,
      ...overrides,
    });
    return { s, runs, setOnline: (value: boolean) => (online = value), setInterval: (ms: number) => (interval = ms) };
  }

  it('syncs shortly after start, then every interval', async () => {
    const { s, runs } = scheduler();
    s.start();
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(15 * MINUTE);
    expect(runs).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    expect(runs).toHaveLength(4);
    await s.stop();
  });

  it('pauses while offline and syncs as soon as the network is back', async () => {
    const { s, runs, setOnline } = scheduler();
    setOnline(false);
    s.start();
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(runs).toHaveLength(0);
    expect(s.state).toBe('paused-offline');
    setOnline(true);
    s.notifyOnline();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toHaveLength(1);
    expect(s.state).toBe('waiting');
    await s.stop();
  });

  it('also notices the network coming back by itself (no online event in main)', async () => {
    const { s, runs, setOnline } = scheduler();
    setOnline(false);
    s.start();
    await vi.advanceTimersByTimeAsync(3 * MINUTE);
    setOnline(true);
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(runs).toHaveLength(1);
    await s.stop();
  });

  it('never runs two syncs at once, however long one takes', async () => {
    let active = 0;
    let maxActive = 0;
    const { s } = scheduler({
      intervalMs: () => MINUTE,
      runSync: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise((resolve) => setTimeout(resolve, 5 * MINUTE));
        active--;
      },
    });
    s.start();
    s.notifyOnline();
    s.reschedule();
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    expect(maxActive).toBe(1);
    await s.stop();
  });

  it('keeps going after a failed sync, and reports it', async () => {
    const log = vi.fn();
    let calls = 0;
    const { s } = scheduler({
      runSync: async () => {
        calls++;
        throw new Error('feed down');
      },
      log,
    });
    s.start();
    await vi.advanceTimersByTimeAsync(MINUTE + 15 * MINUTE);
    expect(calls).toBe(2);
    expect(log).toHaveBeenCalledWith('[sync] background sync failed: feed down');
    await s.stop();
  });

  it('follows a changed interval from the last run, and stops when disabled', async () => {
    let enabled = true;
    const { s, runs, setInterval } = scheduler({ enabled: () => enabled });
    s.start();
    await vi.advanceTimersByTimeAsync(MINUTE);
    setInterval(5 * MINUTE);
    s.reschedule();
    await vi.advanceTimersByTimeAsync(5 * MINUTE);
    expect(runs).toHaveLength(2);
    enabled = false;
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(runs).toHaveLength(2);
    expect(s.state).toBe('disabled');
    await s.stop();
  });

  it('stop() waits for a running sync to finish', async () => {
    let finished = false;
    const { s } = scheduler({
      runSync: () => new Promise((resolve) => setTimeout(() => resolve((finished = true)), 2_000)),
    });
    s.start();
    await vi.advanceTimersByTimeAsync(MINUTE);
    const stopped = s.stop();
    await vi.advanceTimersByTimeAsync(2_000);
    await stopped;
    expect(finished).toBe(true);
    expect(s.state).toBe('stopped');
  });
});

describe('daily digest timing (local time)', () => {
  const at = (d: number, h: number, m = 0) => new Date(2025, 2, d, h, m);

  it('is due once a day at or after the configured time', () => {
    expect(isDigestDue(at(2, 8, 59), '09:00', null)).toBe(false);
    expect(isDigestDue(at(2, 9, 0), '09:00', null)).toBe(true);
    expect(isDigestDue(at(2, 17, 0), '09:00', '2025-03-01')).toBe(true);
    expect(isDigestDue(at(2, 17, 0), '09:00', '2025-03-02')).toBe(false);
    expect(isDigestDue(at(3, 9, 30), '09:00', '2025-03-02')).toBe(true);
  });

  it('counts items as new from the day after the last digest, or since yesterday the first time', () => {
    expect(digestSinceDay(at(2, 9), '2025-02-27')).toBe('2025-02-28');
    expect(digestSinceDay(at(2, 9), '2025-02-28')).toBe('2025-03-01');
    expect(digestSinceDay(at(2, 9), null)).toBe('2025-03-01');
    expect(localDay(at(2, 23, 59))).toBe('2025-03-02');
  });
});

describe('graceful quit', () => {
  it('waits for calls in flight, stops background work, then closes the database once', async () => {
    const order: string[] = [];
    const tracker = createInFlightTracker();
    let finishCall!: () => void;
    void tracker.track(
      new Promise<void>((resolve) => (finishCall = resolve)).then(() => void order.push('call finished')),
    );
    const shutdown = createShutdown({
      stopAccepting: () => order.push('stop accepting'),
      stopBackground: async () => void order.push('background stopped'),
      tracker,
      closeDatabase: () => order.push('database closed'),
      log: (m) => order.push(m),
      timeoutMs: 5_000,
    });
    const first = shutdown();
    const second = shutdown();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual(['stop accepting', 'background stopped']);
    finishCall();
    await Promise.all([first, second]);
    expect(order).toEqual(['stop accepting', 'background stopped', 'call finished', 'database closed']);
  });

  it('closes anyway after the timeout, and says so', async () => {
    const tracker = createInFlightTracker();
    void tracker.track(new Promise(() => {}));
    const log = vi.fn();
    const close = vi.fn();
    await createShutdown({
      stopAccepting: () => {},
      stopBackground: async () => {},
      tracker,
      closeDatabase: close,
      log,
      timeoutMs: 30,
    })();
    expect(close).toHaveBeenCalledOnce();
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/1 call\(s\) still running/));
  });
});
