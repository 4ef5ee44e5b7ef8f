/**
 * Interval estimates for success rates and their differences. Newcombe (1998), "Interval
 * estimation for the difference between independent proportions: comparison of eleven methods",
 * Statistics in Medicine 17:873–890: method 10, the hybrid score interval built from the two
 * Wilson score intervals (method 3 of his companion paper), without continuity correction.
 */

/** The 97.5th percentile of the standard normal distribution. */
export const Z_95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/** Wilson score interval for successes/n; n = 0 gives the uninformative [0, 1]. */
export function wilsonInterval(successes: number, n: number, z = Z_95): Interval {
  if (n <= 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const centre = 2 * n * p + z2;
  const spread = z * Math.sqrt(z2 + 4 * n * p * (1 - p));
  const denominator = 2 * (n + z2);
  return {
    low: successes === 0 ? 0 : (centre - spread) / denominator,
    high: successes === n ? 1 : (centre + spread) / denominator,
  };
}

export interface Difference {
  value: number;
  low: number;
  high: number;
}

/** p1 − p2 with Newcombe's hybrid score (method 10) 95% interval. Both n must be positive. */
export function newcombeDifference(s1: number, n1: number, s2: number, n2: number, z = Z_95): Difference {
  if (n1 <= 0 || n2 <= 0) throw new RangeError('Both groups need at least one observation.');
  const p1 = s1 / n1;
  const p2 = s2 / n2;
  const a = wilsonInterval(s1, n1, z);
  const b = wilsonInterval(s2, n2, z);
  const d = p1 - p2;
  return {
    value: d,
    low: d - Math.sqrt((p1 - a.low) ** 2 + (b.high - p2) ** 2),
    high: d + Math.sqrt((a.high - p1) ** 2 + (p2 - b.low) ** 2),
  };
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
