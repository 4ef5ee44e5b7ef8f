import { describe, expect, it } from 'vitest';
import { holdoutDraw, isHoldout } from '../../src/domain/interventions/holdout.ts';

describe('holdout assignment', () => {
  it('is deterministic for the same account, trigger and month', () => {
    expect(isHoldout('acc_1', 'usage_drop', '2026-03-04', 0.5)).toBe(
      isHoldout('acc_1', 'usage_drop', '2026-03-28', 0.5),
    );
    expect(holdoutDraw('acc_1', 'usage_drop', '2026-03')).toBe(holdoutDraw('acc_1', 'usage_drop', '2026-03'));
    expect(holdoutDraw('acc_1', 'usage_drop', '2026-03')).not.toBe(holdoutDraw('acc_1', 'usage_drop', '2026-04'));
    expect(holdoutDraw('acc_1', 'usage_drop', '2026-03')).not.toBe(holdoutDraw('acc_1', 'seat_drop', '2026-03'));
  });

  it('holds out 10% ± 1.5% over 10,000 firings', () => {
    let held = 0;
    for (let i = 0; i < 10_000; i++)
      if (
        isHoldout(
          `acc_${i}`,
          i % 2 ? 'usage_drop' : 'payment_failing',
          `2026-${String((i % 12) + 1).padStart(2, '0')}-01`,
          0.1,
        )
      )
        held++;
    expect(held / 10_000).toBeGreaterThanOrEqual(0.085);
    expect(held / 10_000).toBeLessThanOrEqual(0.115);
  });

  it('holds out nobody at share 0 and everybody at share 1', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `acc_${i}`);
    expect(ids.filter((id) => isHoldout(id, 'detractor', '2026-01-01', 0)).length).toBe(0);
    expect(ids.filter((id) => isHoldout(id, 'detractor', '2026-01-01', 1)).length).toBe(500);
  });
});
