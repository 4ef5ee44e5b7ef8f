/**
 * `node --cpu-prof --cpu-prof-dir=DIR bench/profile.ts import|score [--quick]`: one run of a figure's
 * subject in this process, for a CPU profile (docs/performance.md says what they showed).
 * `node bench/profile.ts summary FILE.cpuprofile` prints the top self-time functions.
 */
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_SEED, SCALES } from './lib/config.ts';
import { CACHE_DIR, ensureDir } from './lib/paths.ts';
import { importTwice } from './figures/import.ts';
import { scoreSample } from './figures/score.ts';
import { importFiles, scoreBook } from './workload.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Self time per function from a .cpuprofile, largest first. */
export function topFunctions(
  profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] },
  limit = 25,
): string[] {
  const byNode = new Map<number, number>();
  profile.samples.forEach((id, i) => byNode.set(id, (byNode.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const us = byNode.get(node.id) ?? 0;
    total += us;
    const url = node.callFrame.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/');
    const key = `${node.callFrame.functionName || '(anonymous)'} ${url}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  return [...byFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(
      ([name, us]) =>
        `${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`,
    );
}

if (import.meta.filename === process.argv[1]) {
  const [what, arg] = process.argv.slice(2);
  const scale = SCALES[process.argv.includes('--quick') ? 'quick' : 'full'];
  const work = ensureDir(join(CACHE_DIR, 'work'));
  if (what === 'summary' && arg) {
    console.log(topFunctions(JSON.parse(readFileSync(arg, 'utf8'))).join('\n'));
  } else if (what === 'import') {
    const files = importFiles(BENCH_SEED, scale.importAccounts, scale.importMetricRows);
    const result = await importTwice({
      dbPath: join(work, 'profile-import.db'),
      accountsCsv: files.accountsCsv,
      metricsCsv: files.metricsCsv,
    });
    console.log(`first ${result.firstMs.toFixed(0)} ms, second ${result.secondMs.toFixed(0)} ms`);
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(work, `profile-import.db${suffix}`), { force: true });
  } else if (what === 'score') {
    const book = scoreBook(BENCH_SEED, scale.scoreAccounts, scale.scoreDays);
    const copy = join(work, 'profile-score.db');
    copyFileSync(book.dbPath, copy);
    const result = await scoreSample({ dbPath: copy, asOf: book.asOf, fraction: scale.rescoreFraction });
    console.log(JSON.stringify(result));
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${copy}${suffix}`, { force: true });
  } else {
    console.error('usage: node [--cpu-prof] bench/profile.ts import|score [--quick] | summary FILE');
    process.exit(2);
  }
}
