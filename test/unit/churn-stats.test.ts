import { describe, expect, it } from 'vitest';
import { contributions, fitRidgeLogistic, predict } from '../../src/domain/risk/model/logistic.ts';
import {
  aucOf,
  aucWithInterval,
  binomialTails,
  calibrationTable,
  seededRandom,
  topDecileOf,
  type Scored,
} from '../../src/domain/risk/model/stats.ts';

const s = (p: number, label: 0 | 1, group?: number): Scored => ({ p, label, group });

describe('backtest statistics', () => {
  it('AUC counts churner–survivor pairs ranked right, ties half, and compares within a day only', () => {
    expect(aucOf([s(0.9, 1), s(0.1, 0)])).toBe(1);
    expect(aucOf([s(0.1, 1), s(0.9, 0)])).toBe(0);
    expect(aucOf([s(0.5, 1), s(0.5, 0)])).toBe(0.5);
    expect(aucOf([s(0.9, 1), s(0.4, 0), s(0.6, 1), s(0.7, 0)])).toBe(0.75);
    expect(aucOf([s(0.3, 0), s(0.2, 0)])).toBeNull();
    // Day 1 has more churn and higher predictions than day 2, but within each day the ranking is
    // random: pooled, that would look like skill; within days it is 0.5.
    const days = [s(0.8, 1, 1), s(0.8, 0, 1), s(0.2, 1, 2), s(0.2, 0, 2), s(0.2, 0, 2)];
    expect(aucOf(days)).toBe(0.5);
    expect(aucOf(days.map((x) => ({ ...x, group: undefined })))).toBeCloseTo(3.5 / 6, 10);
  });

  it('gives a bootstrap interval around the AUC, the same every time', () => {
    const random = seededRandom(1);
    const samples = Array.from({ length: 400 }, () => {
      const p = random();
      return s(p, random() < p ? 1 : 0);
    });
    const a = aucWithInterval(samples);
    expect(a.auc).toBeGreaterThan(0.7);
    expect(a.ci![0]).toBeLessThan(a.auc!);
    expect(a.ci![1]).toBeGreaterThan(a.auc!);
    expect(aucWithInterval(samples)).toEqual(a);
  });

  it('takes the riskiest tenth, splitting ties at the cut proportionally', () => {
    const samples = [...Array.from({ length: 18 }, () => s(0.1, 0)), s(0.9, 1), s(0.8, 0)];
    expect(topDecileOf(samples)).toEqual({ share: 0.5, recall: 1 });
  });

  it('calls a table calibrated when each tenth is plausible under its prediction', () => {
    expect(binomialTails(0, 10, 0.5).below).toBeCloseTo(1 / 1024, 10);
    expect(binomialTails(10, 10, 0.5).above).toBeCloseTo(1 / 1024, 10);
    const random = seededRandom(4);
    const honest = Array.from({ length: 3000 }, () => {
      const p = random() * 0.5;
      return s(p, random() < p ? 1 : 0);
    });
    expect(calibrationTable(honest).every((b) => b.agrees)).toBe(true);
    const doubled = honest.map((x) => ({ ...x, p: Math.min(1, x.p * 2) }));
    expect(calibrationTable(doubled).some((b) => !b.agrees)).toBe(true);
  });
});

describe('ridge logistic regression', () => {
  it('recovers the direction and size of a known effect, and explains a row additively', () => {
    const random = seededRandom(2);
    const rows: Float64Array[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const x = random() * 4 - 2;
      const noise = random();
      rows.push(Float64Array.of(x, noise));
      labels.push(random() < 1 / (1 + Math.exp(-(-1 + 1.5 * x))) ? 1 : 0);
    }
    const model = fitRidgeLogistic(['x', 'noise'], rows, labels, { lambda: 1e-4 });
    expect(model.converged).toBe(true);
    const slope = model.coef[0]! / model.sd[0]!;
    expect(slope).toBeGreaterThan(1.3);
    expect(slope).toBeLessThan(1.7);
    expect(Math.abs(model.coef[1]!)).toBeLessThan(0.15);
    expect(predict(model, Float64Array.of(2, 0.5))).toBeGreaterThan(predict(model, Float64Array.of(-2, 0.5)));
    // A missing value counts as the average: it contributes nothing.
    const top = contributions(model, Float64Array.of(2, NaN));
    expect(top.map((c) => c.index)).toEqual([0]);
    expect(top[0]!.points).toBeGreaterThan(0);
  });
});
