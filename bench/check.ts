/**
 * `npm run bench:check`: exits non-zero when bench/results.json misses a goal (or lacks a figure).
 * Not part of CI or `npm test`: timings on shared machines are too noisy to gate a merge on.
 */
import { existsSync, readFileSync } from 'node:fs';
import { checkResults } from './lib/goals.ts';
import { RESULTS_FILE } from './lib/paths.ts';
import type { BenchResults } from './run.ts';

if (!existsSync(RESULTS_FILE)) {
  process.stderr.write(`There is no ${RESULTS_FILE}; run "npm run bench" first.\n`);
  process.exit(1);
}
const results = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as BenchResults;
const outcome = checkResults(results.figures);
process.stdout.write(
  `bench:check on ${results.scale} scale results from ${results.startedAt}\n${outcome.lines.join('\n')}\n`,
);
if (results.scale !== 'full')
  process.stdout.write('Note: these are quick-scale results; the goals are set for the full scale.\n');
process.stdout.write(outcome.ok ? 'All goals met.\n' : 'Some goals are missed.\n');
process.exit(outcome.ok ? 0 : 1);
