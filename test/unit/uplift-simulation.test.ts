/**
 * The estimator checked against books whose true uplift is known, through the real pipeline
 * (test/support/uplift-simulation.ts): 200 books, payment outreach +15 points and detractor
 * outreach 0, with payments mostly treated and detractors mostly held out, so the treated and
 * control mixes differ as they do in real books. A larger run: `node scripts/simulate-uplift.ts`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracy, naiveUplift } from '../support/uplift-simulation-stats.ts';
import { runSimulation, stratifiedTruth, type SeedResult, type SimulationSpec } from '../support/uplift-simulation.ts';
import { tempDb, tempDir } from '../support/temp.ts';

const CI_SPEC: SimulationSpec = {
  seeds: 200,
  fireOn: '2026-05-01',
  plays: {
    payment_failing: { base: 0.55, effect: 0.15, holdout: 0.3, firings: 60 },
    detractor: { base: 0.3, effect: 0, holdout: 0.7, firings: 60 },
  },
};

describe('the uplift estimator on simulated books with a known effect', () => {
  let results: SeedResult[] = [];
  let summary: ReturnType<typeof accuracy>;
  // About 25 s: 24,000 accounts imported, scored, contacted and judged.
  beforeAll(() => {
    const { db } = tempDb();
    results = runSimulation(db, tempDir(), CI_SPEC);
    summary = accuracy(results, CI_SPEC);
  }, 120_000);

  it('runs every seed through the pipeline and shows the per-play rows', () => {
    expect(results).toHaveLength(CI_SPEC.seeds);
    // The pipeline judges every planted outcome as drawn: the estimator sees exactly the simulated data.
    expect(results.reduce((sum, r) => sum + r.mismatches, 0)).toBe(0);
    expect(summary.plays.payment_failing!.n).toBeGreaterThanOrEqual(190);
    expect(summary.plays.detractor!.n).toBeGreaterThanOrEqual(190);
  });

  it('per-play rows (Newcombe): 95% intervals cover the truth at least 93% of the time, no bias', () => {
    for (const play of ['payment_failing', 'detractor']) {
      const a = summary.plays[play]!;
      expect([play, a.coverage >= 0.93]).toEqual([play, true]);
      // Each play's mean error is within 3 Monte Carlo standard errors of zero (about 1 point
      // here; the larger run in scripts/simulate-uplift.ts brings each under 1 point).
      expect([play, Math.abs(a.meanErrorPoints) < 3 * a.standardErrorPoints]).toEqual([play, true]);
    }
    expect(Math.abs(summary.perTriggerRows.meanErrorPoints)).toBeLessThan(1);
  });

  it('stratified totals (Mantel–Haenszel): cover the truth at least 93% of the time, mean error under 1 point', () => {
    expect(summary.totals.n).toBe(CI_SPEC.seeds);
    expect(summary.totals.coverage).toBeGreaterThanOrEqual(0.93);
    expect(Math.abs(summary.totals.meanErrorPoints)).toBeLessThan(1);
  });

  it('naive pooling of the plays would have failed', () => {
    const first = results.find((r) => r.seed === 1)!;
    const truth = stratifiedTruth(first, CI_SPEC);
    const naive = naiveUplift(first);
    expect(naive.value - truth).toBeGreaterThan(0.05);
    expect(Math.abs(first.report.totals.uplift!.value - truth)).toBeLessThan(Math.abs(naive.value - truth));
    expect(summary.naive.coverage).toBeLessThan(0.8);
    expect(summary.naive.meanErrorPoints).toBeGreaterThan(5);
  });
});
