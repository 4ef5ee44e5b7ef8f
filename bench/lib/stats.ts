/**
 * The bench's arithmetic. Kept pure (no clocks, no I/O) so that test/unit/bench-stats.test.ts can
 * check it; the timing itself never appears in a test.
 */

/** The middle value; the mean of the two middle values for an even count. Null for no samples. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The p-th percentile (0–100) by linear interpolation between closest ranks, the same definition
 * as numpy's default, so p95 of 20 keystrokes is not simply the slowest one.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  if (p < 0 || p > 100) throw new RangeError(`percentile must be 0–100, not ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

/** subject ÷ baseline; null when either is missing or the baseline is not a positive number. */
export function ratio(subject: number | null | undefined, baseline: number | null | undefined): number | null {
  if (subject == null || baseline == null || !Number.isFinite(subject) || !Number.isFinite(baseline) || baseline <= 0)
    return null;
  return subject / baseline;
}

/** Rows per second for `rows` in `ms` milliseconds; null when the time is not positive. */
export function rate(rows: number, ms: number | null | undefined): number | null {
  if (ms == null || !(ms > 0)) return null;
  return (rows * 1000) / ms;
}

/** Spread of the samples as (max − min) ÷ median, so the table can say how noisy a figure was. */
export function spread(values: readonly number[]): number | null {
  const m = median(values);
  if (m == null || m <= 0) return null;
  return (Math.max(...values) - Math.min(...values)) / m;
}
