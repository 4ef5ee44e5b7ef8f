import { describe, expect, it } from 'vitest';
import { passReclaimer, RECLAIM_EVERY, RECLAIM_MIN_ACCOUNTS, reclaimMemory } from '../../src/domain/risk/reclaim.ts';

describe('reclaiming memory between the phases of a whole-book run', () => {
  it('collects garbage now, without --expose-gc', async () => {
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
    const ref = (() => new WeakRef({ rows: new Float64Array(1000) }))();
    // A WeakRef keeps its target until the job that made it ends.
    await new Promise((resolve) => setImmediate(resolve));
    reclaimMemory(RECLAIM_MIN_ACCOUNTS);
    expect(ref.deref()).toBeUndefined();
    // The flag is off again: no new context sees a gc global.
    const { runInNewContext } = await import('node:vm');
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });

  it('collects after the plan, every RECLAIM_EVERY accounts of the pass, and at its end', () => {
    const calls: string[] = [];
    const total = 2 * RECLAIM_EVERY + 1_500;
    const reclaim = passReclaimer(total, (n) => calls.push(`collect ${n}`));
    const progress = reclaim.progress((processed, all) => calls.push(`${processed}/${all}`));
    for (let processed = 1_000; processed < total + 1_000; processed += 1_000)
      progress?.(Math.min(processed, total), total);
    reclaim.now();
    const collectedAfter = calls.flatMap((c, i) => (c.startsWith('collect') ? [calls[i - 1] ?? 'start'] : []));
    expect(collectedAfter).toEqual([
      'start',
      `${RECLAIM_EVERY - 1_000}/${total}`,
      `${2 * RECLAIM_EVERY - 1_000}/${total}`,
      `${total}/${total}`,
    ]);
    // The run's own progress callback still sees every chunk.
    expect(calls.filter((c) => !c.startsWith('collect'))).toHaveLength(Math.ceil(total / 1_000));
  });
});
