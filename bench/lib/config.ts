/** Bench scales. Full is the team-lead book the issue names; quick keeps the same shape, smaller. */

export type ScaleName = 'quick' | 'full';

export interface Scale {
  name: ScaleName;
  /** Import workload: accounts and long-form metric rows in the CSV files. */
  importAccounts: number;
  importMetricRows: number;
  /** Scoring workload: accounts × days of daily metrics, loaded by the demo generator. */
  scoreAccounts: number;
  scoreDays: number;
  /** Feed re-sync workload: a demo book of this many accounts × days served by the test feed. */
  feedAccounts: number;
  feedDays: number;
  /** Share of accounts changed before the incremental rescore. */
  rescoreFraction: number;
  /** Rows to scroll through in the UI figure. */
  scrollRows: number;
  /** Samples per timed figure; the median is reported. */
  runs: number;
  /**
   * Samples of the import and its baseline: a sample costs seconds, and both sides move by up to
   * 40% between samples on a shared machine, so a median of three is too easily one unlucky pair.
   */
  importRuns: number;
  /** Keystrokes measured for the search p95. */
  keystrokes: number;
  /** Cold page loads measured for first rows. */
  pageLoads: number;
}

export const SCALES: Record<ScaleName, Scale> = {
  quick: {
    name: 'quick',
    importAccounts: 5_000,
    importMetricRows: 100_000,
    scoreAccounts: 2_000,
    scoreDays: 90,
    feedAccounts: 200,
    feedDays: 14,
    rescoreFraction: 0.01,
    scrollRows: 5_000,
    runs: 3,
    importRuns: 5,
    keystrokes: 20,
    pageLoads: 5,
  },
  full: {
    name: 'full',
    importAccounts: 100_000,
    importMetricRows: 2_000_000,
    scoreAccounts: 50_000,
    scoreDays: 90,
    feedAccounts: 1_000,
    feedDays: 30,
    rescoreFraction: 0.01,
    scrollRows: 5_000,
    runs: 3,
    importRuns: 5,
    keystrokes: 30,
    pageLoads: 7,
  },
};

/** Fixed so that every run, on every machine, measures the same book. */
export const BENCH_SEED = 20_260_630;
/** The as-of day of the demo history and of scoring: time is a parameter, never the clock. */
export const BENCH_AS_OF = '2026-06-30';
