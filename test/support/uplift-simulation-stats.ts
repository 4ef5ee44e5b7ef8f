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
}

class Tally {
  private errors: number[] = [];
  private covered = 0;
  add(truth: number, uplift: Uplift | null): void {
    if (!uplift) return;
    this.errors.push(uplift.value - truth);
    if (uplift.ci_low <= truth && truth <= uplift.ci_high) this.covered++;
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
    };
  }
}

/** The uplift the old report showed for the totals: pooled rates, Newcombe's interval. */
export function naiveUplift(result: SeedResult): Uplift {
  const { treated, control } = result.report.totals;
  const d = newcombeDifference(treated.succeeded, treated.n, control.succeeded, control.n);
  return { value: d.value, ci_low: d.low, ci_high: d.high };
}

export function accuracy(results: readonly SeedResult[], spec: SimulationSpec) {
  const plays = new Map<string, Tally>();
  const allRows = new Tally();
  const totals = new Tally();
  const naive = new Tally();
  for (const result of results) {
    for (const row of result.report.rows) {
      const truth = spec.plays[row.key as SimulatedPlay]!.effect;
      if (!plays.has(row.key)) plays.set(row.key, new Tally());
      plays.get(row.key)!.add(truth, row.uplift);
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
