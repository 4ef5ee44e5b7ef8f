/**
 * Rank and probability statistics for the churn backtest: AUC with a bootstrap interval, the
 * riskiest decile, the Brier score and a calibration table. Predictions are probabilities
 * (higher = riskier). Everything is deterministic: the bootstrap draws from a seeded generator.
 */
import type { CalibrationBinDto } from '../../../shared/dto/risk.ts';

export interface Scored {
  p: number;
  label: 0 | 1;
  /** The past day the sample was scored on: AUC compares accounts of the same day only. */
  group?: number;
  /**
   * The account: samples of one account on several past days share one outcome, so the bootstrap
   * draws accounts, not samples (an interval from samples would be too narrow).
   */
  cluster?: number;
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

/**
 * One group's samples sorted by prediction (ties keep input order), as flat arrays: each one's
 * index and label, and where each run of tied predictions starts. Performance (issue 13): the
 * bootstrap counts pairs 200 times over the same order, and reading labels through the sample
 * objects in sorted (scattered) order was most of the backtest figures' cost.
 */
interface RankedGroup {
  index: Int32Array;
  positive: Uint8Array;
  /** Run k covers positions runs[k] to runs[k + 1] − 1. */
  runs: Int32Array;
}

/** Each group's ranking (samples without a group form one group), groups in ascending order. */
function groupedOrders(samples: readonly Scored[]): RankedGroup[] {
  const groups = new Map<number, number[]>();
  samples.forEach((s, i) => {
    const g = s.group ?? 0;
    const list = groups.get(g);
    if (list) list.push(i);
    else groups.set(g, [i]);
  });
  return [...groups.keys()]
    .sort((a, b) => a - b)
    .map((g) => {
      const order = (groups.get(g) as number[]).sort((a, b) => (samples[a] as Scored).p - (samples[b] as Scored).p);
      const positive = Uint8Array.from(order, (i) => (samples[i] as Scored).label);
      const runs = [0];
      for (let k = 1; k < order.length; k++)
        if ((samples[order[k] as number] as Scored).p !== (samples[order[k - 1] as number] as Scored).p) runs.push(k);
      runs.push(order.length);
      return { index: Int32Array.from(order), positive, runs: Int32Array.from(runs) };
    });
}

/**
 * Weighted Mann–Whitney pair counts over one group's ascending order: churner–survivor pairs where
 * the churner is ranked riskier, ties counting half.
 */
function pairCounts(
  group: RankedGroup,
  weights: ArrayLike<number> | null,
  index: Int32Array = group.index,
): { concordant: number; pairs: number } {
  const { positive, runs } = group;
  let negativesBelow = 0;
  let concordant = 0;
  let positives = 0;
  for (let r = 0; r + 1 < runs.length; r++) {
    let tiedPos = 0;
    let tiedNeg = 0;
    const end = runs[r + 1] as number;
    for (let k = runs[r] as number; k < end; k++) {
      const w = weights ? (weights[index[k] as number] as number) : 1;
      if (positive[k] === 1) tiedPos += w;
      else tiedNeg += w;
    }
    concordant += tiedPos * (negativesBelow + tiedNeg / 2);
    positives += tiedPos;
    negativesBelow += tiedNeg;
  }
  return { concordant, pairs: positives * negativesBelow };
}

/**
 * AUC within groups: only churner–survivor pairs of the same group (the same past day) are
 * compared, so a day with more churn than another cannot pass for skill at ranking accounts.
 * Null without a group holding both classes.
 */
function aucGrouped(
  orders: readonly RankedGroup[],
  weights: ArrayLike<number> | null,
  keys?: readonly Int32Array[],
): number | null {
  let concordant = 0;
  let pairs = 0;
  for (const [g, order] of orders.entries()) {
    const c = pairCounts(order, weights, keys?.[g]);
    concordant += c.concordant;
    pairs += c.pairs;
  }
  return pairs > 0 ? concordant / pairs : null;
}

/** The chance that a churner is ranked riskier than a survivor of the same group, ties half. */
export function aucOf(samples: readonly Scored[]): number | null {
  return aucGrouped(groupedOrders(samples), null);
}

/**
 * AUC (within groups) and its 95% bootstrap interval (percentile, `reps` resamples of the samples
 * with replacement, drawn as multinomial weights so the sort happens once).
 */
export function aucWithInterval(
  samples: readonly Scored[],
  { reps = 200, seed = 13 } = {},
): { auc: number | null; ci: [number, number] | null } {
  const orders = groupedOrders(samples);
  const auc = aucGrouped(orders, null);
  if (auc === null) return { auc, ci: null };
  const random = seededRandom(seed);
  const { unit, units } = resamplingUnits(samples);
  const keys = unitsInOrder(orders, unit);
  const drawn = new Float64Array(units);
  const values: number[] = [];
  for (let r = 0; r < reps; r++) {
    drawn.fill(0);
    for (let k = 0; k < units; k++) drawn[Math.floor(random() * units)]! += 1;
    const value = aucGrouped(orders, drawn, keys);
    if (value !== null) values.push(value);
  }
  // A resample without a churner (or a survivor) has no AUC. Dropping those silently kept only
  // the resamples holding the day's lone churner, an interval of 0.78–0.97 from one rank; when
  // more than 2.5% have none, the data cannot bound the AUC and no interval is given.
  if (values.length < reps * 0.975) return { auc, ci: null };
  return { auc, ci: percentileInterval(values) };
}

/**
 * Each group's resampling units in its ranking's order, so a resample's weight of position k is
 * the draws of its unit. Performance (issue 13): no per-sample weights to fill on each of the
 * resamples; the same weights, so the same interval.
 */
const unitsInOrder = (orders: readonly RankedGroup[], unit: Int32Array): Int32Array[] =>
  orders.map((o) => o.index.map((i) => unit[i] as number));

/** Each sample's resampling unit: its account when given, else itself. */
function resamplingUnits(samples: readonly Scored[]): { unit: Int32Array; units: number } {
  const unitOf = new Map<number, number>();
  const unit = new Int32Array(samples.length);
  let units = 0;
  samples.forEach((x, i) => {
    const known = x.cluster === undefined ? undefined : unitOf.get(x.cluster);
    if (known !== undefined) unit[i] = known;
    else {
      if (x.cluster !== undefined) unitOf.set(x.cluster, units);
      unit[i] = units++;
    }
  });
  return { unit, units };
}

/** The 95% percentile interval of bootstrap values (null with fewer than 10). */
function percentileInterval(values: number[]): [number, number] | null {
  values.sort((a, b) => a - b);
  if (values.length < 10) return null;
  const at = (q: number) =>
    values[Math.min(values.length - 1, Math.max(0, Math.round(q * (values.length - 1))))] as number;
  return [at(0.025), at(0.975)];
}

/**
 * AUC of `a` minus AUC of `b`, two rankings of the same samples (same order, labels, groups and
 * accounts), with a paired 95% bootstrap interval: each resample weighs both alike, so the
 * interval is of the difference itself (two separate intervals overlap long after one ranking is
 * reliably better).
 */
export function aucDifferenceWithInterval(
  a: readonly Scored[],
  b: readonly Scored[],
  { reps = 200, seed = 13 } = {},
): { difference: number | null; ci: [number, number] | null } {
  const ordersA = groupedOrders(a);
  const ordersB = groupedOrders(b);
  const aucA = aucGrouped(ordersA, null);
  const aucB = aucGrouped(ordersB, null);
  if (aucA === null || aucB === null) return { difference: null, ci: null };
  const random = seededRandom(seed);
  const { unit, units } = resamplingUnits(a);
  const keysA = unitsInOrder(ordersA, unit);
  const keysB = unitsInOrder(ordersB, unit);
  const drawn = new Float64Array(units);
  const values: number[] = [];
  for (let r = 0; r < reps; r++) {
    drawn.fill(0);
    for (let k = 0; k < units; k++) drawn[Math.floor(random() * units)]! += 1;
    const x = aucGrouped(ordersA, drawn, keysA);
    const y = aucGrouped(ordersB, drawn, keysB);
    if (x !== null && y !== null) values.push(x - y);
  }
  return { difference: aucA - aucB, ci: percentileInterval(values) };
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

/** The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const poly = (k: number[], x: number) => k.reduce((acc, v) => acc * x + v, 0);
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - 0.02425) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
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

/**
 * Predicted vs observed churn by decile of prediction (fewer bins when there are few samples).
 * The intervals are simultaneous: each bin at 1 − 0.05/bins (Bonferroni), so a well-calibrated
 * model has all its bins agree 95% of the time, rather than a 40% chance of one bin falling out.
 * An account seen on several past days is one outcome, not several (its churn is the same churn):
 * a bin's interval and agreement count its distinct accounts (`cluster`), its shares all its
 * samples, so overlapping past days cannot narrow the intervals into a false "disagrees" or pass.
 */
export function calibrationTable(samples: readonly Scored[], bins = 10): CalibrationBin[] {
  if (samples.length === 0) return [];
  const order = samples.map((_, i) => i).sort((a, b) => (samples[a] as Scored).p - (samples[b] as Scored).p);
  const count = Math.min(bins, samples.length);
  const table: CalibrationBin[] = [];
  for (let b = 0; b < count; b++) {
    const from = Math.floor((b * order.length) / count);
    const to = Math.floor(((b + 1) * order.length) / count);
    let predicted = 0;
    let observed = 0;
    const accounts = new Set<number>();
    for (let i = from; i < to; i++) {
      const s = samples[order[i] as number] as Scored;
      predicted += s.p;
      observed += s.label;
      accounts.add(s.cluster ?? -1 - i);
    }
    const n = to - from;
    const alpha = 0.05 / count;
    // The evidence of the bin: its distinct accounts, with the bin's observed share.
    const units = accounts.size;
    const churned = Math.round((observed / n) * units);
    const [low, high] = wilson(churned, units, normalQuantile(1 - alpha / 2));
    const mean = predicted / n;
    const tails = binomialTails(churned, units, mean);
    table.push({
      decile: b + 1,
      n,
      predicted: mean,
      observed: observed / n,
      low,
      high,
      agrees: tails.below >= alpha / 2 && tails.above >= alpha / 2,
    });
  }
  return table;
}
