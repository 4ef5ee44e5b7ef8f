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

  it("counts an account seen on several past days once in a tenth's interval", () => {
    // 30 accounts, each on 20 past days with the same outcome: 30 outcomes of evidence, not 600.
    const random = seededRandom(9);
    const accounts = Array.from({ length: 30 }, (_, a) => ({ a, p: 0.2, label: random() < 0.2 ? 1 : 0 }));
    const repeated = accounts.flatMap((x) =>
      Array.from({ length: 20 }, () => ({ p: x.p, label: x.label as 0 | 1, cluster: x.a })),
    );
    const once = accounts.map((x) => ({ p: x.p, label: x.label as 0 | 1, cluster: x.a }));
    const [wide] = calibrationTable(repeated, 1);
    const [single] = calibrationTable(once, 1);
    expect(wide!.n).toBe(600);
    expect(wide!.low).toBeCloseTo(single!.low, 10);
    expect(wide!.high).toBeCloseTo(single!.high, 10);
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

/**
 * Plain damped Newton on the same objective (the fit's method before the Hessian was reused and
 * sampled): a full Hessian from every row at every step, run to a tight step. The reference the
 * faster fit must agree with.
 */
function referenceFit(
  rows: Float64Array[],
  labels: number[],
  offsets: number[],
  lambda: number,
  mean: number[],
  sd: number[],
) {
  const p = mean.length;
  const dim = p + 1;
  const z = rows.map((r) =>
    Float64Array.from(mean, (m, j) => (r[j] === r[j] && sd[j]! > 0 ? (r[j]! - m) / sd[j]! : 0)),
  );
  const w = new Float64Array(dim);
  const loss = (v: Float64Array) => {
    let total = 0;
    z.forEach((x, i) => {
      let eta = v[p]! + offsets[i]!;
      for (let j = 0; j < p; j++) eta += v[j]! * x[j]!;
      total += (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta))) - labels[i]! * eta;
    });
    let penalty = 0;
    for (let j = 0; j < p; j++) penalty += v[j]! ** 2;
    return total / z.length + (lambda / 2) * penalty;
  };
  for (let iteration = 0; iteration < 100; iteration++) {
    const h = new Float64Array(dim * dim);
    const g = new Float64Array(dim);
    z.forEach((x, i) => {
      const xi = Float64Array.of(...x, 1);
      let eta = offsets[i]!;
      for (let j = 0; j < dim; j++) eta += w[j]! * xi[j]!;
      const q = 1 / (1 + Math.exp(-eta));
      for (let j = 0; j < dim; j++) {
        g[j]! += ((q - labels[i]!) * xi[j]!) / z.length;
        for (let k = 0; k < dim; k++) h[j * dim + k]! += (q * (1 - q) * xi[j]! * xi[k]!) / z.length;
      }
    });
    for (let j = 0; j < p; j++) {
      g[j]! += lambda * w[j]!;
      h[j * dim + j]! += lambda;
    }
    // Gaussian elimination (the reference need not be fast).
    const a = Array.from({ length: dim }, (_, r) => [...h.subarray(r * dim, r * dim + dim), g[r]!]);
    for (let c = 0; c < dim; c++)
      for (let r = c + 1; r < dim; r++) {
        const f = a[r]![c]! / a[c]![c]!;
        for (let k = c; k <= dim; k++) a[r]![k]! -= f * a[c]![k]!;
      }
    const step = new Float64Array(dim);
    for (let r = dim - 1; r >= 0; r--) {
      let s = a[r]![dim]!;
      for (let k = r + 1; k < dim; k++) s -= a[r]![k]! * step[k]!;
      step[r] = s / a[r]![r]!;
    }
    const before = loss(w);
    const previous = Float64Array.from(w);
    let scale = 1;
    for (let halving = 0; halving < 30; halving++, scale /= 2) {
      for (let j = 0; j < dim; j++) w[j] = previous[j]! - scale * step[j]!;
      if (loss(w) <= before + 1e-15) break;
    }
    if (Math.max(...step.map((s) => Math.abs(s * scale))) < 1e-10) break;
  }
  return { coef: Array.from(w.subarray(0, p)), intercept: w[p]! };
}

describe('the fit reusing and sampling its Hessian', () => {
  it('reaches the same coefficients as plain Newton (to 1e-6), cold and started from another fit', () => {
    const random = seededRandom(5);
    const p = 12;
    const rows: Float64Array[] = [];
    const labels: number[] = [];
    const offsets: number[] = [];
    // More rows than the Hessian is computed from, correlated columns, missing values, rare churn.
    for (let i = 0; i < 9000; i++) {
      const base = random() * 2 - 1;
      const row = Float64Array.from({ length: p }, (_, j) =>
        random() < 0.1 ? NaN : j < 4 ? base + random() * 0.3 : j === 11 ? (random() < 0.03 ? 1 : 0) : random(),
      );
      rows.push(row);
      offsets.push(Math.log(i % 3 === 0 ? 0.5 : 1));
      const eta = -3 + 1.2 * base - 0.8 * (row[5]! === row[5]! ? row[5]! : 0.5) + 2 * row[11]!;
      labels.push(random() < 1 / (1 + Math.exp(-eta)) ? 1 : 0);
    }
    const names = Array.from({ length: p }, (_, j) => `x${j}`);
    const strong = fitRidgeLogistic(names, rows, labels, { lambda: 0.3, offsets });
    for (const [lambda, start] of [
      [0.003, undefined],
      [0.03, strong],
    ] as const) {
      const model = fitRidgeLogistic(names, rows, labels, { lambda, offsets, start });
      expect(model.converged).toBe(true);
      const reference = referenceFit(rows, labels, offsets, lambda, model.mean, model.sd);
      model.coef.forEach((c, j) => expect(Math.abs(c - reference.coef[j]!)).toBeLessThan(1e-6));
      expect(Math.abs(model.intercept - reference.intercept)).toBeLessThan(1e-6);
    }
  });
});
