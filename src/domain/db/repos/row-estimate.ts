/**
 * How far above the exact-count limit a sampled row count must be before it is trusted without an
 * exact count (metricsRepo.estimate, eventsRepo.estimate). A sample four times over the limit does
 * not come from a table under it unless the sampled accounts or ids hold four times the average,
 * which evenly spaced samples do not; nearer the limit the table is counted exactly (a walk of at
 * most limit + 1 rows), as it always was.
 */
export const EXACT_MARGIN = 4;
