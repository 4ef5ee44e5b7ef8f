// `node scripts/simulate-uplift.ts [--seeds 200] [--firings 300]`: the uplift estimator against
// books with a known true effect, larger than the CI test (test/unit/uplift-simulation.test.ts) so
// that each play's mean error is measured to a few tenths of a point. Prints coverage and mean
// error per play, for the stratified totals, and for the naive pooling the report used to show.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { closeDatabase, openDatabase } from '../src/domain/db/open.ts';
import { accuracy, type Accuracy } from '../test/support/uplift-simulation-stats.ts';
import { runSimulation, type SimulationSpec } from '../test/support/uplift-simulation.ts';

const { values } = parseArgs({ options: { seeds: { type: 'string' }, firings: { type: 'string' } } });
const seeds = Number(values.seeds ?? 200);
const firings = Number(values.firings ?? 300);
const spec: SimulationSpec = {
  seeds,
  fireOn: '2026-05-01',
  plays: {
    payment_failing: { base: 0.55, effect: 0.15, holdout: 0.3, firings },
    detractor: { base: 0.3, effect: 0, holdout: 0.7, firings },
  },
};

const dir = mkdtempSync(join(tmpdir(), 'foresight-simulation-'));
const { db } = openDatabase(join(dir, 'simulation.db'), { create: true });
const started = Date.now();
try {
  const summary = accuracy(runSimulation(db, dir, spec), spec);
  const line = (name: string, a: Accuracy) =>
    `${name.padEnd(22)} ${String(a.n).padStart(5)} ${(a.coverage * 100).toFixed(1).padStart(8)}% ${a.meanErrorPoints.toFixed(2).padStart(8)} ± ${a.standardErrorPoints.toFixed(2)}`;
  console.log(`${seeds} books × ${firings} firings per play, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`${'row'.padEnd(22)} ${'shown'.padStart(5)} ${'coverage'.padStart(9)} ${'mean error (points) ± MCSE'}`);
  for (const [play, a] of Object.entries(summary.plays)) console.log(line(play, a));
  console.log(line('stratified totals', summary.totals));
  console.log(line('naive pooling (old)', summary.naive));
} finally {
  closeDatabase(db);
  rmSync(dir, { recursive: true, force: true });
}
