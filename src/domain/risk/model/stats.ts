/**
 * Rank and probability statistics for the churn backtest: AUC with a bootstrap interval, the
 * riskiest decile, the Brier score and a calibration table. Predictions are probabilities
 * (higher = riskier). Everything is deterministic: the bootstrap draws from a seeded generator.
 */
import type { CalibrationBinDto } from '../../../shared/dto/risk.ts';

export interface Scored {
  p: number;
  label: 0 | 1;
}

/** mulberry32: a small seeded generator, so every interval is the same for the same data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Indexes sorted by prediction, riskiest last; ties keep their input order (stable). */
function ascending(samples: readonly Scored[]): number[] {
  return samples.map((_, i) => i).sort((a, b) => (samples[a] as Scored).p - (samples[b] as Scored).p);
}

/**
 * Weighted Mann–Whitney AUC over a precomputed ascending order: the chance that a random churner
 * is ranked riskier than a random survivor, ties counting half. Null without both classes.
 */
function aucOrdered(
  samples: readonly Scored[],
  order: readonly number[],
  weights: ArrayLike<number> | null,
): number | null {
  let negativesBelow = 0;
  let pairs = 0;
  let positives = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    const p = (samples[order[i] as number] as Scored).p;
    while (j + 1 < order.length && (samples[order[j + 1] as number] as Scored).p === p) j++;
    let groupPos = 0;
    let groupNeg = 0;
    for (let k = i; k <= j; k++) {
      const index = order[k] as number;
      const w = weights ? (weights[index] as number) : 1;
      if ((samples[index] as Scored).label === 1) groupPos += w;
      else groupNeg += w;
    }
    pairs += groupPos * (negativesBelow + groupNeg / 2);
    positives += groupPos;
    negativesBelow += groupNeg;
    i = j + 1;
  }
  if (positives === 0 || negativesBelow === 0) return null;
  return pairs / (positives * negativesBelow);
}

export function aucOf(samples: readonly Scored[]): number | null {
  return aucOrdered(samples, ascending(samples), null);
}

/**
 * AUC and its 95% bootstrap interval (percentile, `reps` resamples of the samples with
 * replacement, drawn as multinomial weights so the sort happens once).
 */
export function aucWithInterval(
  samples: readonly Scored[],
  { reps = 200, seed = 13 } = {},
): { auc: number | null; ci: [number, number] | null } {
  const order = ascending(samples);
  const auc = aucOrdered(samples, order, null);
  if (auc === null) return { auc, ci: null };
  const random = seededRandom(seed);
  const n = samples.length;
  const weights = new Float64Array(n);
  const values: number[] = [];
  for (let r = 0; r < reps; r++) {
    weights.fill(0);
    for (let k = 0; k < n; k++) weights[Math.floor(random() * n)]! += 1;
    const value = aucOrdered(samples, order, weights);
    if (value !== null) values.push(value);
  }
  values.sort((a, b) => a - b);
  if (values.length < 10) return { auc, ci: null };
  const at = (q: number) =>
    values[Math.min(values.length - 1, Math.max(0, Math.round(q * (values.length - 1))))] as number;
  return { auc, ci: [at(0.025), at(0.975)] };
}

/**
 * The riskiest 10% by prediction: the share of them who churned, and the share of all churners
 * they hold. Ties at the cut count proportionally, so the figure does not depend on row order.
 */
export function topDecileOf(samples: readonly Scored[]): { share: number; recall: number } | null {
  const churners = samples.reduce((s, x) => s + x.label, 0);
  if (samples.length === 0 || churners === 0) return null;
  const k = Math.max(1, Math.ceil(samples.length * 0.1));
  const sorted = [...samples].sort((a, b) => b.p - a.p);
  const cut = (sorted[k - 1] as Scored).p;
  let caught = 0;
  let taken = 0;
  for (const s of sorted) {
    if (s.p <= cut) break;
    caught += s.label;
    taken++;
  }
  const atCut = sorted.filter((s) => s.p === cut);
  caught += ((k - taken) * atCut.filter((s) => s.label === 1).length) / atCut.length;
  return { share: caught / k, recall: caught / churners };
}

export function brierOf(samples: readonly Scored[]): number | null {
  if (samples.length === 0) return null;
  return samples.reduce((s, x) => s + (x.p - x.label) ** 2, 0) / samples.length;
}

export type CalibrationBin = CalibrationBinDto;

export function wilson(successes: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 1];
  const p = successes / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** P(X ≤ k) and P(X ≥ k) for X ~ Binomial(n, p), summed in log space. */
export function binomialTails(k: number, n: number, p: number): { below: number; above: number } {
  const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
  let logPmf = n * Math.log(1 - q); // P(X = 0)
  const pmf: number[] = [Math.exp(logPmf)];
  for (let i = 1; i <= n; i++) {
    logPmf += Math.log((n - i + 1) / i) + Math.log(q / (1 - q));
    pmf.push(Math.exp(logPmf));
  }
  let below = 0;
  let above = 0;
  for (let i = 0; i <= n; i++) {
    if (i <= k) below += pmf[i] as number;
    if (i >= k) above += pmf[i] as number;
  }
  return { below: Math.min(1, below), above: Math.min(1, above) };
}

/** Predicted vs observed churn by decile of prediction (fewer bins when there are few samples). */
export function calibrationTable(samples: readonly Scored[], bins = 10): CalibrationBin[] {
  if (samples.length === 0) return [];
  const order = ascending(samples);
  const count = Math.min(bins, samples.length);
  const table: CalibrationBin[] = [];
  for (let b = 0; b < count; b++) {
    const from = Math.floor((b * order.length) / count);
    const to = Math.floor(((b + 1) * order.length) / count);
    let predicted = 0;
    let observed = 0;
    for (let i = from; i < to; i++) {
      const s = samples[order[i] as number] as Scored;
      predicted += s.p;
      observed += s.label;
    }
    const n = to - from;
    const [low, high] = wilson(observed, n);
    const mean = predicted / n;
    const tails = binomialTails(observed, n, mean);
    table.push({
      decile: b + 1,
      n,
      predicted: mean,
      observed: observed / n,
      low,
      high,
      agrees: tails.below >= 0.025 && tails.above >= 0.025,
    });
  }
  return table;
}
