/**
 * `npm run bench:check`: exits non-zero when bench/results.json misses a whole-process goal (or
 * lacks the book size it is set at). Not part of CI or `npm test`: timings on shared machines are
 * too noisy to gate a merge on.
 */
import { existsSync, readFileSync } from 'node:fs';
import { RESULTS_FILE } from './lib/paths.ts';
import { checkBench, type BenchResults } from './run.ts';

if (!existsSync(RESULTS_FILE)) {
  process.stderr.write(`There is no ${RESULTS_FILE}; run "npm run bench" first.\n`);
  process.exit(1);
}
const results = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as BenchResults;
const outcome = checkBench(results);
const sizes = (results.paths ?? []).map((s) => `${s.accounts.toLocaleString('en')} accounts (${s.measuredAt})`);
process.stdout.write(
  `bench:check on ${RESULTS_FILE}: whole processes at ${sizes.join(', ') || 'no book size'}\n${outcome.lines.join('\n')}\n`,
);
process.stdout.write(outcome.ok ? 'All goals met.\n' : 'Some goals are missed.\n');
process.exit(outcome.ok ? 0 : 1);
