/**
 * Uplift across several plays, compared within each play.
 *
 * Pooling triggers into one treated and one control rate mixes plays whose success rates differ
 * widely (a payment is usually fixed, a usage drop rarely recovers), and the mix differs between
 * the groups, so the pooled difference can point the wrong way (Simpson's paradox). The
 * Mantel–Haenszel risk difference compares treated with control inside each trigger and averages
 * the differences with weights n1·n0/N (Mantel & Haenszel 1959, J Natl Cancer Inst 22:719–748;
 * Greenland & Robins 1985, Biometrics 41:55–68). Its variance is Sato's estimator (Sato 1989,
 * Biometrics 45:1323–1324), which stays consistent both with many small strata and with a few
 * large ones, so it suits a book with a dozen triggers of very different sizes.
 */
import { Z_95, type Difference } from './stats.ts';

export interface Stratum {
  /** Decided treated outcomes and their successes. */
  n1: number;
  s1: number;
  /** Decided control outcomes and their successes. */
  n0: number;
  s0: number;
}

export interface StratifiedDifference extends Difference {
  /** Strata with both groups present: the plays the figure compares within. */
  strata: number;
  /** The decided outcomes in those strata. */
  n1: number;
  n0: number;
}

/** Only strata holding both groups carry information about the difference. */
export const comparable = (s: Stratum) => s.n1 > 0 && s.n0 > 0;

/** The Mantel–Haenszel risk difference with Sato's 95% interval; null when no stratum compares. */
export function mantelHaenszelDifference(strata: readonly Stratum[], z = Z_95): StratifiedDifference | null {
  const used = strata.filter(comparable);
  if (used.length === 0) return null;
  let weights = 0;
  let numerator = 0;
  let p = 0;
  let q = 0;
  for (const { n1, s1, n0, s0 } of used) {
    const total = n1 + n0;
    weights += (n1 * n0) / total;
    numerator += (s1 * n0 - s0 * n1) / total;
    p += (n1 * n1 * s0 - n0 * n0 * s1 + (n1 * n0 * (n0 - n1)) / 2) / (total * total);
    q += (s1 * (n0 - s0) + s0 * (n1 - s1)) / (2 * total);
  }
  const value = numerator / weights;
  const variance = Math.max(0, (value * p + q) / (weights * weights));
  return withinBounds(value, z * Math.sqrt(variance), used);
}

/** The difference ± half, kept within −1..+1, with the strata it used. */
function withinBounds(value: number, half: number, used: readonly Stratum[]): StratifiedDifference {
  return {
    value,
    low: Math.max(-1, value - half),
    high: Math.min(1, value + half),
    strata: used.length,
    n1: used.reduce((sum, s) => sum + s.n1, 0),
    n0: used.reduce((sum, s) => sum + s.n0, 0),
  };
}

/** The naive difference of pooled rates: kept only to show, in tests, what stratifying fixes. */
export function pooledDifference(strata: readonly Stratum[]): number {
  const n1 = strata.reduce((sum, s) => sum + s.n1, 0);
  const n0 = strata.reduce((sum, s) => sum + s.n0, 0);
  return strata.reduce((sum, s) => sum + s.s1, 0) / n1 - strata.reduce((sum, s) => sum + s.s0, 0) / n0;
}

/** A stratum of the intention-to-treat comparison, with the eligible ARR its uplift applies to. */
export interface ValuedStratum extends Stratum {
  arr: number;
}

export interface IttDifference extends StratifiedDifference {
  /** Σ over strata of the stratum's difference × its eligible ARR, with its 95% interval. */
  money: Difference;
}

/**
 * Variance of one stratum's difference with one success and one failure added to each group
 * (Agresti & Caffo 2000, The American Statistician 54:280–288). The plain Wald or Sato variance
 * is exactly 0 when every stratum is all-or-nothing (2 of 2 against 0 of 2), which printed a
 * point interval ("+100 to +100") from four accounts; the added pseudo-counts keep it honest
 * there and vanish in large strata.
 */
function adjustedVariance({ n1, s1, n0, s0 }: Stratum): number {
  const p1 = (s1 + 1) / (n1 + 2);
  const p0 = (s0 + 1) / (n0 + 2);
  return (p1 * (1 - p1)) / (n1 + 2) + (p0 * (1 - p0)) / (n0 + 2);
}

/**
 * The stratified difference the outcome report uses: the Mantel–Haenszel weighted average of the
 * within-stratum differences, with the variance summed from each stratum's adjusted variance
 * (strata are independent samples). The money figure weights each stratum's own difference by its
 * own eligible ARR, so an effect in a small-ARR play is not credited to a large-ARR one.
 */
export function stratifiedDifference(strata: readonly ValuedStratum[], z = Z_95): IttDifference | null {
  const used = strata.filter(comparable);
  if (used.length === 0) return null;
  let weights = 0;
  let numerator = 0;
  let variance = 0;
  let money = 0;
  let moneyVariance = 0;
  for (const s of used) {
    const w = (s.n1 * s.n0) / (s.n1 + s.n0);
    const d = s.s1 / s.n1 - s.s0 / s.n0;
    const v = adjustedVariance(s);
    weights += w;
    numerator += w * d;
    variance += w * w * v;
    money += d * s.arr;
    moneyVariance += s.arr * s.arr * v;
  }
  const value = numerator / weights;
  const moneyHalf = z * Math.sqrt(moneyVariance);
  return {
    ...withinBounds(value, z * Math.sqrt(variance / (weights * weights)), used),
    money: { value: money, low: money - moneyHalf, high: money + moneyHalf },
  };
}
