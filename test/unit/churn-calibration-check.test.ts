/**
 * The calibration check measures what the app shows: the horizon's P(churn) on past days whose
 * whole horizon was seen, judged out of sample; otherwise it says it cannot judge.
 */
import { describe, expect, it } from 'vitest';
import { chooseModel, recalibrate } from '../../src/domain/risk/model/fit.ts';
import { DEFAULT_GUARDS } from '../../src/domain/risk/model/fit.ts';
import type { OriginSamples, SampleSet } from '../../src/domain/risk/model/samples.ts';
import { seededRandom } from '../../src/domain/risk/model/stats.ts';

const CURVE = { intercept: 0.5, slope: -0.06 };

function origin(day: string, windowDays: number, n: number, churnEvery: number): OriginSamples {
  const ids = Array.from({ length: n }, (_, i) => `acc_${String(i).padStart(3, '0')}`);
  const scores = ids.map((_, i) => (i * 37) % 100);
  return {
    day,
    windowDays,
    ids,
    rows: ids.map((_, i) => Float64Array.of(scores[i] as number)),
    labels: Uint8Array.from(ids, (_, i) => (i % churnEvery === 0 ? 1 : 0)),
    scores,
    churnDays: ids.map(() => NaN),
  };
}

describe('the calibration check', () => {
  it('is judged on the past days whose whole horizon was seen, not on partial windows', () => {
    const set: SampleSet = {
      names: ['x'],
      origins: [origin('2025-01-01', 90, 60, 6), origin('2025-03-01', 49, 60, 12), origin('2025-03-08', 42, 60, 12)],
    };
    const choice = chooseModel(set, CURVE);
    expect(choice.overall.calibration.reduce((n, b) => n + b.n, 0)).toBe(60);
    expect(choice.calibrationNote).toContain('on the 1 past day whose whole 90-day window was seen');
    expect(choice.calibrationNote).toContain('60 accounts, 60 account-days');
  });

  it('says it cannot judge when no past day has its whole horizon seen', () => {
    const set: SampleSet = {
      names: ['x'],
      origins: [origin('2025-03-01', 49, 60, 6), origin('2025-03-08', 42, 60, 6)],
    };
    const choice = chooseModel(set, CURVE);
    expect(choice.overall.calibration).toEqual([]);
    expect(choice.overall.brier).toBeNull();
    expect(choice.calibrationNote).toContain('cannot be judged yet');
  });

  it("recalibrates each fold's predictions without that fold's outcomes", () => {
    const random = seededRandom(3);
    const n = 400;
    const p = Float64Array.from({ length: n }, () => 0.05 + 0.5 * random());
    const flat = {
      labels: Array.from(p, (q) => (random() < q ? 1 : 0)),
      fold: Array.from({ length: n }, (_, i) => i % DEFAULT_GUARDS.folds),
      offset: Array.from({ length: n }, () => 0),
    };
    const before = recalibrate(flat as never, p, DEFAULT_GUARDS).outOfSample;
    // Fold 0's outcomes all flipped: its own recalibrated predictions must not move.
    const flipped = { ...flat, labels: flat.labels.map((y, i) => (i % DEFAULT_GUARDS.folds === 0 ? 1 - y : y)) };
    const after = recalibrate(flipped as never, p, DEFAULT_GUARDS).outOfSample;
    for (let i = 0; i < n; i += DEFAULT_GUARDS.folds) expect(after[i]).toBeCloseTo(before[i] as number, 12);
    expect(after[1]).not.toBeCloseTo(before[1] as number, 6);
  });
});
