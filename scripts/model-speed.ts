/**
 * How long the churn model costs on a large book: the bench's demo book (bench/workload.ts, cached
 * under bench/.cache) copied to a scratch file, then
 *   scan   one aggregate SQL scan (GROUP BY account_id, metric: the bench's baseline),
 *   fit    fitting the model for the as-of day (rolling-origin samples, choice, replayed backtest),
 *   score  scoring and ranking the whole book with that model stored (scoreAll, as `foresight score`).
 * The goal: score ≤ 3 × scan; fitting in seconds, not minutes (samples capped, samples.ts).
 *
 *   node scripts/model-speed.ts [--accounts 50000] [--days 90] [--json]
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aggregateScan } from '../bench/figures/scan-baseline.ts';
import { BENCH_SEED } from '../bench/lib/config.ts';
import { scoreBook } from '../bench/workload.ts';
import { closeDatabase, openDatabase } from '../src/domain/db/open.ts';
import { churnModelFor } from '../src/domain/risk/model/churn-model.ts';
import { scoreAll } from '../src/domain/risk/score-all.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
};
const accounts = option('--accounts', 50_000);
const days = option('--days', 90);
const log = (line: string) => (args.includes('--json') ? undefined : console.error(line));

const book = scoreBook(BENCH_SEED, accounts, days, log);
const dir = mkdtempSync(join(tmpdir(), 'model-speed-'));
const copy = join(dir, 'book.db');
copyFileSync(book.dbPath, copy);
const timed = <T>(run: () => T): { ms: number; value: T } => {
  const started = performance.now();
  const value = run();
  return { ms: Math.round(performance.now() - started), value };
};
try {
  const { db } = openDatabase(copy);
  try {
    const scan = timed(() => aggregateScan(db));
    log(`scan: ${scan.ms} ms`);
    const fit = timed(() => churnModelFor(db, { asOf: book.asOf, fit: true }));
    log(`fit: ${fit.ms} ms (${fit.value.method})`);
    const score = timed(() => scoreAll(db, { asOf: book.asOf }));
    log(`score: ${score.ms} ms`);
    const result = {
      accounts: book.accounts,
      days: book.days,
      metric_rows: book.metricRows,
      as_of: book.asOf,
      model: fit.value.method,
      scan_ms: scan.ms,
      fit_ms: fit.ms,
      score_with_model_ms: score.ms,
      score_vs_scan: Math.round((score.ms / Math.max(1, scan.ms)) * 100) / 100,
    };
    console.log(JSON.stringify(result, null, args.includes('--json') ? 0 : 2));
  } finally {
    closeDatabase(db);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
