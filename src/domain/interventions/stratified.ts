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
  const half = z * Math.sqrt(variance);
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
