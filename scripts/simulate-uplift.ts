// `node scripts/simulate-uplift.ts [--seeds 200] [--firings 300] [--draw-seed 20261206]`: the uplift
// estimator against books with a known true effect, larger than the CI test
// (test/unit/uplift-simulation.test.ts) so that each play's mean error is measured to a few tenths
// of a point. Books run 200 at a time, each batch in its own database with its own account ids and
// outcome draws, so `--seeds 1000` is five independent batches. Prints, per play, for the
// stratified totals and for the naive pooling the report used to show: coverage, the coverage
// Newcombe's interval has in exact arithmetic for the group sizes drawn (what the observed
// coverage estimates), and the mean error with its Monte Carlo standard error.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { closeDatabase, openDatabase } from '../src/domain/db/open.ts';
import { accuracy, type Accuracy } from '../test/support/uplift-simulation-stats.ts';
import { runSimulation, type SeedResult, type SimulationSpec } from '../test/support/uplift-simulation.ts';

const BATCH = 200;
const { values } = parseArgs({
  options: { seeds: { type: 'string' }, firings: { type: 'string' }, 'draw-seed': { type: 'string' } },
});
const seeds = Number(values.seeds ?? 200);
const firings = Number(values.firings ?? 300);
const drawSeed = Number(values['draw-seed'] ?? 20_261_206);
const spec: SimulationSpec = {
  seeds,
  fireOn: '2026-05-01',
  plays: {
    payment_failing: { base: 0.55, effect: 0.15, holdout: 0.3, firings },
    detractor: { base: 0.3, effect: 0, holdout: 0.7, firings },
  },
};

function runBatch(firstSeed: number, count: number, batch: number): SeedResult[] {
  const dir = mkdtempSync(join(tmpdir(), 'foresight-simulation-'));
  const { db } = openDatabase(join(dir, 'simulation.db'), { create: true });
  try {
    return runSimulation(db, dir, { ...spec, seeds: count, firstSeed, drawSeed: drawSeed + batch });
  } finally {
    closeDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  }
}

const started = Date.now();
const results: SeedResult[] = [];
for (let first = 1, batch = 0; first <= seeds; first += BATCH, batch++) {
  results.push(...runBatch(first, Math.min(BATCH, seeds - first + 1), batch));
  process.stderr.write(`${results.length} of ${seeds} books\n`);
}
const summary = accuracy(results, spec, { exact: true });
const percent = (x: number | null) => (x === null ? '' : `${(x * 100).toFixed(1)}%`);
const line = (name: string, a: Accuracy) =>
  `${name.padEnd(22)} ${String(a.n).padStart(5)} ${percent(a.coverage).padStart(9)} ${percent(a.exactCoverage).padStart(9)} ${a.meanErrorPoints.toFixed(2).padStart(8)} ± ${a.standardErrorPoints.toFixed(2)}`;
const mismatches = results.reduce((sum, r) => sum + r.mismatches, 0);
console.log(`${seeds} books × ${firings} firings per play, ${((Date.now() - started) / 1000).toFixed(0)} s`);
console.log(`verdicts differing from the planted outcomes: ${mismatches}`);
console.log(
  `${'row'.padEnd(22)} ${'shown'.padStart(5)} ${'coverage'.padStart(9)} ${'exact'.padStart(9)} mean error (points) ± MCSE`,
);
for (const [play, a] of Object.entries(summary.plays)) console.log(line(play, a));
console.log(line('stratified totals', summary.totals));
console.log(line('naive pooling (old)', summary.naive));
