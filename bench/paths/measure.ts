/**
 * Measures the whole-process figures at one book size: every step is `node bin/foresight.mjs …`
 * (the CLI bundle, as `npx foresight` runs it), timed from spawn to exit under /usr/bin/time for
 * its peak RSS, and interleaved sample by sample with its baseline, which also runs as a process.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { todayIso } from '../../src/domain/contract/dates.ts';
import { REPO_DIR, ensureDir } from '../lib/paths.ts';
import { runNodeTask, runTimed, type TimedRun } from '../lib/proc.ts';
import { ensureSqlite3 } from '../lib/sqlite-cli.ts';
import { removeDb, sqliteImport } from './baselines.ts';
import { formatRatio, stepResult, withCpu, type ScaleResult, type StepId, type StepResult } from './steps.ts';
import { addDays, pathFiles, type PathFiles } from './workload.ts';

const BIN = join(REPO_DIR, 'bin', 'foresight.mjs');

export interface PathOptions {
  accounts: number;
  seed: number;
  /** Samples of each heavy step (the median is reported); the small commands take `smallRuns`. */
  runs: number;
  smallRuns: number;
  workDir: string;
  only?: readonly StepId[];
  /**
   * A scored book of this size made from the bench's files (`foresight import accounts.csv
   * metrics.csv events.csv` on the same day), used instead of importing one when the import itself
   * is not measured: the steps start from a copy of it. Never written to.
   */
  scoredBook?: string;
  log: (line: string) => void;
}

/** `foresight ARGS --db DB` as a process of its own; exit 3 (some rows rejected) is not a failure. */
function foresight(args: readonly string[], dbPath: string): Promise<TimedRun> {
  return runTimed(process.execPath, [BIN, ...args, '--db', dbPath], { okCodes: [0, 3] });
}

/** The CLI bundle is what users run; build it when the sources changed, so the bench never times the sources. */
export function ensureCliBundle(log: (line: string) => void): void {
  log('  building the CLI bundle (npm run build:cli)…');
  const result = spawnSync('npm', ['run', '--silent', 'build:cli'], { cwd: REPO_DIR, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run build:cli failed: ${(result.stderr ?? '').slice(-400)}`);
}

const round = (value: number) => Math.round(value * 10) / 10;

/** Copies a database (and nothing of a previous copy), so each sample starts from the same book. */
function copyBook(from: string, to: string): string {
  removeDb(to);
  copyFileSync(from, to);
  return to;
}

interface Collected {
  samples: number[];
  baseline: number[];
  rss: number[];
  cpu: number[];
  baselineCpu: number[];
  extra: number[];
  error: string | null;
}
const collected = (): Collected => ({
  samples: [],
  baseline: [],
  rss: [],
  cpu: [],
  baselineCpu: [],
  extra: [],
  error: null,
});

/** One sample of the subject: its wall time, CPU time and peak RSS. */
function keep(into: Collected, run: TimedRun): void {
  into.samples.push(run.ms);
  if (run.cpuMs != null) into.cpu.push(run.cpuMs);
  if (run.peakRssMb != null) into.rss.push(run.peakRssMb);
}

/** One sample of the baseline, run as a process: its wall time, and its CPU time when known. */
function keepBaseline(into: Collected, run: { ms: number; cpuMs?: number | null }): void {
  into.baseline.push(run.ms);
  if (run.cpuMs != null) into.baselineCpu.push(run.cpuMs);
}

async function attempt(into: Collected, run: () => Promise<void>): Promise<void> {
  if (into.error) return;
  try {
    await run();
  } catch (error) {
    into.error = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);
  }
}

let progress: (line: string) => void = () => {};

function finish(id: StepId, c: Collected, extra?: StepResult['extra']): StepResult {
  const result = stepResult(id, c.samples, c.baseline, c.rss, extra, { samples: c.cpu, baseline: c.baselineCpu });
  // Each step's figure as soon as it is known, so a long run shows its results as it goes.
  progress(
    `    ${id}: ${withCpu(result.subjectMs, result.cpuMs)} against ${withCpu(result.baselineMs, result.baselineCpuMs)} (${formatRatio(result.ratio)}), peak RSS ${result.peakRssMb == null ? '—' : Math.round(result.peakRssMb)} MB${c.error ? `; ${c.error}` : ''}`,
  );
  return c.error && c.samples.length === 0 ? { ...result, note: c.error } : result;
}

export async function measureScale(options: PathOptions): Promise<ScaleResult> {
  const { log, workDir, runs } = options;
  progress = log;
  const wants = (id: StepId) => !options.only || options.only.includes(id);
  const started = Date.now();
  const startLoad = loadavg()[0]!;
  ensureSqlite3(log);
  const files = pathFiles(options.seed, options.accounts, todayIso(new Date()), log);
  ensureDir(workDir);
  const book = join(workDir, 'paths-book.db');
  const copy = join(workDir, 'paths-copy.db');
  const scratch = join(workDir, 'paths-scratch.db');
  const steps: StepResult[] = [];

  // 1. The whole import, and the accounts file alone, each against sqlite3's .import.
  const all = collected();
  const accountsOnly = collected();
  for (let i = 0; i < runs; i++) {
    if (!wants('import_all')) {
      // Only later steps asked for: a copy of the scored book given, or one unmeasured import, is
      // the book they start from.
      if (i === 0 && options.scoredBook) {
        log(`  starting from a copy of ${options.scoredBook}…`);
        copyBook(options.scoredBook, book);
      } else if (i === 0) {
        log(`  ${options.accounts.toLocaleString('en')} accounts: importing the book the other steps start from…`);
        removeDb(book);
        await attempt(all, async () => void (await foresight(['import', ...tables(files).map(([, f]) => f)], book)));
      }
    } else {
      log(
        `  ${options.accounts.toLocaleString('en')} accounts, sample ${i + 1}/${runs}: the import of all three files…`,
      );
      await attempt(all, async () => {
        keepBaseline(all, await sqliteImport(tables(files), workDir));
        const duck = await runNodeTask('duckdb', { files: tables(files), dbPath: join(workDir, 'duckdb.db') });
        all.extra.push(duck.ms);
        removeDb(book);
        keep(all, await foresight(['import', ...tables(files).map(([, f]) => f)], book));
      });
    }
    if (!wants('import_accounts')) continue;
    log(`  sample ${i + 1}/${runs}: the accounts file alone…`);
    await attempt(accountsOnly, async () => {
      keepBaseline(accountsOnly, await sqliteImport([['accounts', files.accountsCsv]], workDir));
      removeDb(scratch);
      keep(accountsOnly, await foresight(['import', files.accountsCsv], scratch));
    });
  }
  removeDb(scratch);
  const duckMs = all.extra.length ? [...all.extra].sort((a, b) => a - b)[all.extra.length >> 1]! : null;
  if (wants('import_all'))
    steps.push(finish('import_all', all, { 'DuckDB read_csv ms': duckMs == null ? null : round(duckMs) }));
  if (wants('import_accounts')) steps.push(finish('import_accounts', accountsOnly));
  if (!existsSync(book)) {
    if (all.error) log(`  no scored book to go on with: ${all.error}`);
    return scaleResult(options, files, steps, started, startLoad);
  }

  // 2. Into the scored book: a small events file, and the next day's list, each on a fresh copy.
  const small = collected();
  const newDay = collected();
  const nextDay = addDays(files.today, 1);
  for (let i = 0; i < runs; i++) {
    if (wants('events_1pct')) {
      log(`  sample ${i + 1}/${runs}: events for 1% of the accounts, and a full rescore…`);
      await attempt(small, async () => {
        keepBaseline(small, await runNodeTask('rescore', { dbPath: copyBook(book, copy), asOf: files.today }));
        keep(small, await foresight(['import', files.smallEventsCsv], copyBook(book, copy)));
      });
    }
    if (wants('new_day')) {
      log(`  sample ${i + 1}/${runs}: risks --as-of ${nextDay}, and one aggregate scan…`);
      await attempt(newDay, async () => {
        keepBaseline(newDay, await runNodeTask('scan', { dbPath: copyBook(book, copy) }));
        keep(newDay, await foresight(['risks', '--as-of', nextDay, '--top', '10'], copyBook(book, copy)));
      });
    }
  }
  removeDb(copy);
  if (wants('events_1pct')) steps.push(finish('events_1pct', small, { 'accounts touched': files.smallEventRows }));
  if (wants('new_day')) steps.push(finish('new_day', newDay));

  // 3. Small commands on the scored book, warm: one unmeasured run of each first.
  steps.push(...(await smallCommands(options, files, book)));
  removeDb(book);
  return scaleResult(options, files, steps, started, startLoad);
}

function tables(files: PathFiles): [string, string][] {
  return [
    ['accounts', files.accountsCsv],
    ['metrics', files.metricsCsv],
    ['events', files.eventsCsv],
  ];
}

async function smallCommands(options: PathOptions, files: PathFiles, book: string): Promise<StepResult[]> {
  const commands: [StepId, string[]][] = [
    ['help', ['--help']],
    ['status', ['status']],
    ['risks_top', ['risks', '--top', '10']],
    ['account', ['account', files.sampleAccount]],
  ];
  const wanted = commands.filter(([id]) => !options.only || options.only.includes(id));
  const npx = !options.only || options.only.includes('npx_status');
  const byId = new Map(wanted.map(([id]) => [id, collected()]));
  const npxRuns = collected();
  options.log(`  small commands, ${options.smallRuns} samples each…`);
  for (let i = -1; i < options.smallRuns; i++) {
    const warm = i >= 0; // the first round warms the disk cache and Node's compile cache (and migrates a given book)
    const n0 = await runTimed(process.execPath, ['-e', '0']);
    for (const [id, args] of wanted) {
      const c = byId.get(id)!;
      await attempt(c, async () => {
        const run = await foresight(args, book);
        if (!warm) return;
        keep(c, run);
        keepBaseline(c, n0);
        options.log(
          `    ${id} ${i + 1}/${options.smallRuns}: ${withCpu(run.ms, run.cpuMs)}, ${run.peakRssMb == null ? '—' : Math.round(run.peakRssMb)} MB (node -e 0: ${withCpu(n0.ms, n0.cpuMs)})`,
        );
      });
    }
    if (npx)
      await attempt(npxRuns, async () => {
        const viaNpx = await runTimed('npx', ['--no-install', 'foresight', 'status', '--db', book], { cwd: REPO_DIR });
        const direct = await foresight(['status'], book);
        if (!warm) return;
        keep(npxRuns, viaNpx);
        keepBaseline(npxRuns, direct);
      });
  }
  const results = wanted.map(([id]) => finish(id, byId.get(id)!));
  if (npx) {
    const viaNpx = finish('npx_status', npxRuns);
    if (viaNpx.subjectMs != null && viaNpx.baselineMs != null)
      viaNpx.extra = { 'npx adds ms': round(viaNpx.subjectMs - viaNpx.baselineMs) };
    results.push(viaNpx);
  }
  return results;
}

function scaleResult(
  options: PathOptions,
  files: PathFiles,
  steps: StepResult[],
  started: number,
  startLoad: number,
): ScaleResult {
  return {
    accounts: options.accounts,
    dataThrough: files.dataThrough,
    today: files.today,
    files: {
      'metric rows (wide)': files.metricRows,
      'event rows': files.eventRows,
      'events in the 1% file': files.smallEventRows,
      'CSV MB': round(files.bytes / 2 ** 20),
    },
    loadAverage: { start: round(startLoad), end: round(loadavg()[0]!) },
    durationSeconds: Math.round((Date.now() - started) / 1000),
    steps,
  };
}
