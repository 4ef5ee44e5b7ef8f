/**
 * How far above the exact-count limit a sampled row count must be before it is trusted without an
 * exact count (metricsRepo.estimate, eventsRepo.estimate). A sample four times over the limit does
 * not come from a table under it unless the sampled accounts or ids hold four times the average,
 * which evenly spaced samples do not; nearer the limit the table is counted exactly (a walk of at
 * most limit + 1 rows), as it always was.
 */
export const EXACT_MARGIN = 4;

/**
 * Metric rows up to this many are counted exactly by `foresight status`; an estimate under it
 * ("about 369,000") only contradicted the exact figure `init` and the app's header show. Measured
 * in-process on a loaded 2-core machine: the demo book's 371,078 rows count in 12–30 ms (3 ms idle),
 * as their sampled estimate did; a 1,856,411-row book took 120–420 ms to count, too close to
 * status's 150 ms (docs/performance.md), so the line is drawn at one million.
 */
export const METRICS_EXACT_UP_TO = 1_000_000;
