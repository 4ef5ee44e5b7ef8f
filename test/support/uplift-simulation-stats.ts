/** Summaries of a simulation run: coverage and mean error per play, for the totals and the naive pooling. */
import { newcombeDifference } from '../../src/domain/interventions/stats.ts';
import type { Uplift } from '../../src/shared/dto/interventions.ts';
import { stratifiedTruth, type SeedResult, type SimulatedPlay, type SimulationSpec } from './uplift-simulation.ts';

export interface Accuracy {
  /** Intervals shown (both groups large enough). */
  n: number;
  /** Share of intervals that contain the truth. */
  coverage: number;
  /** Mean of estimate − truth, in points. */
  meanErrorPoints: number;
  /** The Monte Carlo standard error of that mean, in points. */
  standardErrorPoints: number;
  /**
   * Per-play rows: the coverage Newcombe's interval has in exact binomial arithmetic for the
   * group sizes each seed drew, averaged over the seeds; what `coverage` estimates.
   */
  exactCoverage: number | null;
}

/** Binomial(n, p) probabilities, by the recurrence on the log scale. */
function binomial(n: number, p: number): number[] {
  if (p <= 0 || p >= 1) return Array.from({ length: n + 1 }, (_, k) => (k === (p <= 0 ? 0 : n) ? 1 : 0));
  const out: number[] = [];
  let log = n * Math.log(1 - p);
  for (let k = 0; k <= n; k++) {
    if (k > 0) log += Math.log((n - k + 1) / k) + Math.log(p / (1 - p));
    out.push(Math.exp(log));
  }
  return out;
}

/**
 * The exact probability that Newcombe's 95% interval for s1/n1 − s0/n0 contains p1 − p0 when the
 * successes are independent draws: the sum over every outcome the two groups can have.
 */
export function exactNewcombeCoverage(n1: number, p1: number, n0: number, p0: number): number {
  const a = binomial(n1, p1);
  const b = binomial(n0, p0);
  const truth = p1 - p0;
  let covered = 0;
  for (let s1 = 0; s1 <= n1; s1++) {
    if (a[s1]! < 1e-12) continue;
    for (let s0 = 0; s0 <= n0; s0++) {
      if (b[s0]! < 1e-12) continue;
      const d = newcombeDifference(s1, n1, s0, n0);
      if (d.low <= truth && truth <= d.high) covered += a[s1]! * b[s0]!;
    }
  }
  return covered;
}

class Tally {
  private errors: number[] = [];
  private covered = 0;
  private exact: number[] = [];
  add(truth: number, uplift: Uplift | null, exact?: () => number): void {
    if (!uplift) return;
    this.errors.push(uplift.value - truth);
    if (uplift.ci_low <= truth && truth <= uplift.ci_high) this.covered++;
    if (exact) this.exact.push(exact());
  }
  result(): Accuracy {
    const n = this.errors.length;
    const mean = this.errors.reduce((a, b) => a + b, 0) / n;
    const variance = this.errors.reduce((a, e) => a + (e - mean) ** 2, 0) / (n - 1);
    return {
      n,
      coverage: this.covered / n,
      meanErrorPoints: mean * 100,
      standardErrorPoints: Math.sqrt(variance / n) * 100,
      exactCoverage: this.exact.length ? this.exact.reduce((a, b) => a + b, 0) / this.exact.length : null,
    };
  }
}

/** The uplift the old report showed for the totals: pooled rates, Newcombe's interval. */
export function naiveUplift(result: SeedResult): Uplift {
  const { treated, control } = result.report.totals;
  const d = newcombeDifference(treated.succeeded, treated.n, control.succeeded, control.n);
  return { value: d.value, ci_low: d.low, ci_high: d.high };
}

/** `exact: true` also computes each per-play row's exact coverage (a few ms per row). */
export function accuracy(results: readonly SeedResult[], spec: SimulationSpec, options: { exact?: boolean } = {}) {
  const plays = new Map<string, Tally>();
  const allRows = new Tally();
  const totals = new Tally();
  const naive = new Tally();
  for (const result of results) {
    for (const row of result.report.rows) {
      const play = spec.plays[row.key as SimulatedPlay]!;
      const truth = play.effect;
      const exact = options.exact
        ? () => exactNewcombeCoverage(row.treated.n, play.base + play.effect, row.control.n, play.base)
        : undefined;
      if (!plays.has(row.key)) plays.set(row.key, new Tally());
      plays.get(row.key)!.add(truth, row.uplift, exact);
      allRows.add(truth, row.uplift);
    }
    const truth = stratifiedTruth(result, spec);
    totals.add(truth, result.report.totals.uplift);
    naive.add(truth, naiveUplift(result));
  }
  return {
    plays: Object.fromEntries([...plays.entries()].map(([k, t]) => [k, t.result()])),
    perTriggerRows: allRows.result(),
    totals: totals.result(),
    naive: naive.result(),
  };
}
