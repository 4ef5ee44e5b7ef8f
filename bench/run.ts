/**
 * `npm run bench [-- --quick] [-- --json]`, also `foresight bench`: generates the workload at a
 * fixed seed, measures every figure several times (median), writes bench/results.json and prints
 * the table. Baselines run interleaved with their subjects, sample by sample, so that noise from
 * other work on this shared machine lands on both sides of each ratio.
 */
import {
  closeSync,
  copyFileSync,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { BENCH_AS_OF, BENCH_SEED, SCALES, type Scale, type ScaleName } from './lib/config.ts';
import { FIGURES, checkResults, type FigureId, type FigureResult } from './lib/goals.ts';
import { machineInfo, type MachineInfo } from './lib/machine.ts';
import { CACHE_DIR, REPO_DIR, RESULTS_FILE, ensureDir } from './lib/paths.ts';
import { runNodeTask } from './lib/proc.ts';
import { ensureSqlite3 } from './lib/sqlite-cli.ts';
import { median, rate, ratio, spread } from './lib/stats.ts';
import { renderText } from './lib/table.ts';
import { sqliteImportOnce } from './figures/import-baseline.ts';
import type { ImportSample } from './figures/import.ts';
import { scoreResults, type ScanSample, type ScoreSample } from './figures/score.ts';
import { measureFeedResync } from './figures/feed.ts';
import { measureUi } from './figures/ui.ts';
import { importFiles, scoreBook } from './workload.ts';
import { checkPaths } from './paths/steps.ts';
import { parseScales, pathFigures, pathsSummary, withEarlierScales, type MeasuredScale } from './paths/suite.ts';

export { PATH_SCALES, parseScales } from './paths/suite.ts';

export interface BenchOptions {
  scale: ScaleName;
  /** Book sizes (accounts) for the whole-process figures; default PATH_SCALES, [5,000] with --quick. */
  pathScales?: readonly number[];
  runs?: number;
  /**
   * Only these figures (and what they need): in-process figure ids, whole-process step ids, or the
   * groups "paths" (every whole-process step) and "detail" (every in-process figure).
   */
  only?: string[];
  /** Rebuild the renderer before the UI figures even when out/renderer looks current. */
  build?: boolean;
  /** A scored book for the whole-process steps to start from instead of importing one (bench/paths/measure.ts). */
  scoredBook?: string;
  log?: (line: string) => void;
}

export interface BenchResults {
  version: 1;
  scale: ScaleName;
  seed: number;
  asOf: string;
  startedAt: string;
  durationSeconds: number;
  machine: MachineInfo;
  workload: Record<string, number | string>;
  figures: FigureResult[];
  /** The whole-process figures, one entry per book size; sizes not run this time are kept from earlier runs. */
  paths?: MeasuredScale[];
}

const round = (value: number | null | undefined, digits = 1) =>
  value == null ? null : Math.round(value * 10 ** digits) / 10 ** digits;

function wants(options: BenchOptions, ...ids: FigureId[]): boolean {
  return !options.only || options.only.includes('detail') || ids.some((id) => options.only!.includes(id));
}

function missing(id: FigureId, error: unknown): FigureResult {
  const message = error instanceof Error ? error.message : String(error);
  return {
    id,
    value: null,
    note: message
      .replace(/^NO_SUBJECT: /, '')
      .split('\n')[0]!
      .slice(0, 300),
  };
}

function removeDb(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

/** The importer's own counts for the second import: every row should be unchanged. */
function importCounts(report: Record<string, unknown>): Record<string, number | null> {
  const accepted = report.accepted as Record<string, number> | undefined;
  return {
    unchanged: typeof report.unchanged === 'number' ? report.unchanged : null,
    written: accepted ? Object.values(accepted).reduce((a, b) => a + b, 0) : null,
    rejected: typeof report.rejected === 'number' ? report.rejected : null,
  };
}

async function importFigures(
  scale: Scale,
  runs: number,
  workDir: string,
  log: (l: string) => void,
  workload: BenchResults['workload'],
): Promise<FigureResult[]> {
  ensureSqlite3(log);
  const files = importFiles(BENCH_SEED, scale.importAccounts, scale.importMetricRows, log);
  workload.importAccounts = files.accounts;
  workload.importMetricRows = files.metricRows;
  workload.importCsvMb = round(files.bytes / 2 ** 20)!;
  const baseline: number[] = [];
  const baselineRss: number[] = [];
  const samples: ImportSample[] = [];
  const rss: number[] = [];
  let failure: unknown = null;
  for (let i = 0; i < runs; i++) {
    log(`  import sample ${i + 1}/${runs}: sqlite3 .import…`);
    const b = await sqliteImportOnce(files, workDir);
    baseline.push(b.ms);
    if (b.peakRssMb != null) baselineRss.push(b.peakRssMb);
    if (failure) continue;
    log(`  import sample ${i + 1}/${runs}: Foresight import, then the same again…`);
    const dbPath = join(workDir, 'import.db');
    try {
      const outcome = await runNodeTask<ImportSample>('import', {
        dbPath,
        accountsCsv: files.accountsCsv,
        metricsCsv: files.metricsCsv,
      });
      samples.push(outcome.value);
      if (outcome.peakRssMb != null) rss.push(outcome.peakRssMb);
    } catch (error) {
      failure = error;
    } finally {
      removeDb(dbPath);
    }
  }
  const baselineMs = median(baseline);
  const rows = files.accounts + files.metricRows;
  if (samples.length === 0) {
    return [
      {
        ...missing('import', failure),
        baselineMs,
        baselineSamples: baseline,
        extra: { 'sqlite3 rows/s': rate(rows, baselineMs), 'sqlite3 peak RSS MB': round(median(baselineRss)) },
      },
      missing('reimport', failure),
    ];
  }
  const first = samples.map((s) => s.firstMs);
  const second = samples.map((s) => s.secondMs);
  const firstMs = median(first);
  const secondMs = median(second);
  const last = samples.at(-1)!;
  return [
    {
      id: 'import',
      value: ratio(firstMs, baselineMs),
      subjectMs: firstMs,
      baselineMs,
      samples: first,
      baselineSamples: baseline,
      extra: {
        rows,
        'rows/s': round(rate(rows, firstMs), 0),
        'peak RSS MB': round(median(rss)),
        'sqlite3 rows/s': round(rate(rows, baselineMs), 0),
        'sqlite3 peak RSS MB': round(median(baselineRss)),
        spread: round(spread(first), 2),
        importer: last.importer,
        'accounts in db': last.accounts,
        'metric rows in db': last.metrics,
      },
    },
    {
      id: 'reimport',
      value: ratio(secondMs, firstMs),
      subjectMs: secondMs,
      baselineMs: firstMs,
      samples: second,
      baselineSamples: first,
      extra: { 'rows/s': round(rate(rows, secondMs), 0), ...importCounts(last.second) },
    },
  ];
}

async function scoreFigures(
  scale: Scale,
  runs: number,
  workDir: string,
  log: (l: string) => void,
  workload: BenchResults['workload'],
): Promise<{ figures: FigureResult[]; uiDb: string }> {
  const book = scoreBook(BENCH_SEED, scale.scoreAccounts, scale.scoreDays, log);
  workload.scoreAccounts = book.accounts;
  workload.scoreDays = book.days;
  workload.scoreMetricRows = book.metricRows;
  workload.scoreDbMb = round(statSync(book.dbPath).size / 2 ** 20)!;
  const scan: ScanSample[] = [];
  const samples: ScoreSample[] = [];
  const rss: number[] = [];
  let failure: unknown = null;
  const copy = join(workDir, 'score.db');
  for (let i = 0; i < runs; i++) {
    // Baseline and subject read the same fresh copy, both with it in the OS page cache: a copy made
    // with copy_file_range is not necessarily cached, and a cold file would charge disk reads to
    // whichever side ran first.
    removeDb(copy);
    copyFileSync(book.dbPath, copy);
    readThrough(copy);
    log(`  score sample ${i + 1}/${runs}: SQL aggregate scan…`);
    scan.push((await runNodeTask<ScanSample>('scan', { dbPath: copy })).value);
    if (failure) continue;
    log(
      `  score sample ${i + 1}/${runs}: first score (model fitted), 1% change, incremental rescore, score with the model stored, one churn, score with the model refitted…`,
    );
    try {
      const outcome = await runNodeTask<ScoreSample>('score', {
        dbPath: copy,
        asOf: book.asOf,
        fraction: scale.rescoreFraction,
      });
      samples.push(outcome.value);
      if (outcome.peakRssMb != null) rss.push(outcome.peakRssMb);
    } catch (error) {
      failure = error;
    }
  }
  // The UI shows the scored book when there is a scorer; the unscored copy otherwise.
  if (!existsSync(copy)) copyFileSync(book.dbPath, copy);
  if (samples.length === 0) {
    const baselineSamples = scan.map((s) => s.ms);
    return {
      figures: [
        { ...missing('score', failure), baselineMs: median(baselineSamples), baselineSamples },
        missing('score_stored', failure),
        missing('score_refit', failure),
        missing('rescore', failure),
      ],
      uiDb: copy,
    };
  }
  return {
    figures: scoreResults({ samples, scan, rss, accounts: book.accounts, metricRows: book.metricRows }),
    uiDb: copy,
  };
}

/** Reads a file once, discarding the bytes, so that it sits in the OS page cache. */
function readThrough(path: string): void {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(8 << 20);
  try {
    while (readSync(fd, buffer, 0, buffer.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}

/** The renderer the web preview serves must be built from the current sources. */
function ensureRendererBuilt(force: boolean, log: (l: string) => void): void {
  const index = join(REPO_DIR, 'out', 'renderer', 'index.html');
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
      const path = join(dir, entry.name);
      return Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
    }, 0);
  const stale =
    !existsSync(index) ||
    Math.max(newest(join(REPO_DIR, 'src', 'renderer')), newest(join(REPO_DIR, 'src', 'shared'))) >
      statSync(index).mtimeMs;
  if (!force && !stale) return;
  log('  building the renderer (npm run build)…');
  const result = spawnSync('npm', ['run', '--silent', 'build'], {
    cwd: REPO_DIR,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`npm run build failed: ${result.stderr.slice(-400)}`);
}

function searchWords(dbPath: string): string[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    const names = db
      .prepare<[], { name: string }>(`SELECT name FROM accounts ORDER BY account_id LIMIT 3 OFFSET 17`)
      .all();
    return names.map((n) => n.name.slice(0, 6).toLowerCase());
  } finally {
    db.close();
  }
}

async function uiFigures(
  scale: Scale,
  dbPath: string,
  build: boolean,
  log: (l: string) => void,
  machine: MachineInfo,
): Promise<FigureResult[]> {
  ensureRendererBuilt(build, log);
  const ui = await measureUi({
    dbPath,
    pageLoads: scale.pageLoads,
    keystrokes: scale.keystrokes,
    searchWords: searchWords(dbPath),
    scrollRows: scale.scrollRows,
    log,
  });
  machine.chromium = ui.browserVersion;
  const screen = `#${ui.target.route} "${ui.target.table}"`;
  const fallback = !ui.target.route.startsWith('/today')
    ? 'Today has no "At-risk accounts" table yet; measured the Accounts list'
    : undefined;
  return [
    {
      id: 'ui_first_rows',
      value: round(ui.firstRowsMs),
      samples: ui.firstRowsSamples.map((v) => round(v)!),
      extra: {
        screen,
        loads: ui.firstRowsSamples.length,
        spread: round(spread(ui.firstRowsSamples), 2),
        'script loaded ms': round(ui.breakdown.scriptEnd, 0),
        'DOMContentLoaded ms': round(ui.breakdown.domContentLoaded, 0),
        'API calls': ui.breakdown.apiCalls,
        'last API answer ms': round(ui.breakdown.lastApiEnd, 0),
        'slowest API': ui.breakdown.slowestApi
          ? `${ui.breakdown.slowestApi} ${Math.round(ui.breakdown.slowestApiMs ?? 0)} ms`
          : null,
      },
      ...(fallback ? { note: fallback } : {}),
    },
    {
      id: 'ui_search',
      value: round(ui.searchP95Ms),
      samples: ui.searchSamples.map((v) => round(v)!),
      extra: {
        median: round(ui.searchMedianMs),
        keystrokes: ui.searchSamples.length,
        'no visible change': ui.searchNoChange,
      },
    },
    {
      id: 'ui_scroll',
      value: ui.longTasks,
      extra: {
        'rows scrolled': ui.rowsScrolled,
        'longest task ms': round(ui.longestTaskMs),
        'scroll s': round((ui.scrollMs ?? 0) / 1000),
      },
    },
    { id: 'ui_memory', value: round(ui.heapMb), extra: { 'after scrolling MB': round(ui.heapAfterScrollMb) } },
  ];
}

export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const scale = SCALES[options.scale];
  const runs = options.runs ?? scale.runs;
  const started = Date.now();
  const machine = machineInfo();
  const workDir = ensureDir(join(CACHE_DIR, 'work'));
  const workload: BenchResults['workload'] = {};
  const figures: FigureResult[] = [];
  log(
    `Foresight bench, seed ${BENCH_SEED}, ${runs} samples per figure; in-process detail at the ${scale.name} scale (import ${options.runs ?? scale.importRuns} samples) unless --only leaves it out (load average ${machine.loadAverage} on ${machine.cpus} cores)`,
  );

  const paths = await pathFigures(options, workDir, log);
  if (wants(options, 'import', 'reimport')) {
    log('import and re-import');
    try {
      figures.push(...(await importFigures(scale, options.runs ?? scale.importRuns, workDir, log, workload)));
    } catch (error) {
      figures.push(missing('import', error), missing('reimport', error));
    }
  }
  if (wants(options, 'feed_resync')) {
    log('feed re-sync');
    try {
      figures.push(await measureFeedResync(workDir, { accounts: scale.feedAccounts, days: scale.feedDays }, log));
    } catch (error) {
      figures.push(missing('feed_resync', error));
    }
  }
  let uiDb: string | null = null;
  if (
    wants(
      options,
      'score',
      'score_stored',
      'score_refit',
      'rescore',
      'ui_first_rows',
      'ui_search',
      'ui_scroll',
      'ui_memory',
    )
  ) {
    log('score and rescore');
    try {
      const scored = await scoreFigures(
        scale,
        wants(options, 'score', 'score_stored', 'score_refit', 'rescore') ? runs : 0,
        workDir,
        log,
        workload,
      );
      if (wants(options, 'score', 'score_stored', 'score_refit', 'rescore')) figures.push(...scored.figures);
      uiDb = scored.uiDb;
    } catch (error) {
      figures.push(
        missing('score', error),
        missing('score_stored', error),
        missing('score_refit', error),
        missing('rescore', error),
      );
    }
  }
  const uiIds: FigureId[] = ['ui_first_rows', 'ui_search', 'ui_scroll', 'ui_memory'];
  if (wants(options, ...uiIds)) {
    log('UI in Chromium');
    try {
      if (!uiDb) throw new Error('the scoring book could not be prepared');
      figures.push(...(await uiFigures(scale, uiDb, options.build === true, log, machine)));
    } catch (error) {
      figures.push(...uiIds.map((id) => missing(id, error)));
    }
  }
  if (uiDb) removeDb(uiDb);

  const ordered = FIGURES.map((spec) => figures.find((f) => f.id === spec.id)).filter(
    (f): f is FigureResult => f !== undefined,
  );
  return {
    version: 1,
    scale: scale.name,
    seed: BENCH_SEED,
    asOf: BENCH_AS_OF,
    startedAt: new Date(started).toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 1000),
    machine,
    workload,
    figures: ordered,
    paths,
  };
}

/**
 * Writes bench/results.json. A partial run (--only) keeps the other figures of an earlier run at
 * the same scale, each marked with the run it came from, so bench:check still sees every figure.
 */
export function writeResults(results: BenchResults, partial = false): BenchResults {
  let merged = results;
  if (partial && existsSync(RESULTS_FILE)) {
    try {
      const earlier = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as BenchResults;
      if (earlier.scale === results.scale) {
        const carried = earlier.figures
          .filter((f) => !results.figures.some((r) => r.id === f.id))
          .map((f) => ({ ...f, measuredAt: f.measuredAt ?? earlier.startedAt }));
        const figures = FIGURES.map(
          (spec) => results.figures.find((f) => f.id === spec.id) ?? carried.find((f) => f.id === spec.id),
        ).filter((f): f is FigureResult => f !== undefined);
        merged = { ...results, workload: { ...earlier.workload, ...results.workload }, figures };
      }
    } catch {
      // An unreadable earlier file is simply replaced.
    }
  }
  merged = { ...merged, paths: withEarlierScales(merged.paths ?? [], RESULTS_FILE) };
  writeFileSync(RESULTS_FILE, `${JSON.stringify(merged, null, 2)}\n`);
  return merged;
}

export function summarise(results: BenchResults): string {
  const m = results.machine;
  const paths = results.paths ?? [];
  const check = checkBench(results);
  const scaleLines = pathsSummary(paths);
  return [
    `Foresight bench — seed ${results.seed}, ${results.durationSeconds} s`,
    `Machine: ${m.cpuModel}, ${m.cpus} cores, ${m.memoryGb} GB; ${m.os}; Node ${m.node}; SQLite ${m.sqliteLibrary} (shell ${m.sqliteShell ?? 'n/a'}); Chromium ${m.chromium ?? 'n/a'}; load ${m.loadAverage}`,
    '',
    ...scaleLines,
    ...(results.figures.length > 0
      ? [
          `In-process detail, ${results.scale} scale, as of ${results.asOf}: ${Object.entries(results.workload)
            .map(([k, v]) => `${k} ${typeof v === 'number' ? v.toLocaleString('en') : v}`)
            .join(', ')}`,
          '',
          renderText(results.figures),
          '',
        ]
      : []),
    ...check.lines,
    check.ok ? 'Every goal is met.' : 'Some goals are missed or not measured (npm run bench:check exits non-zero).',
  ].join('\n');
}

/**
 * bench:check: the whole-process goals (at 50,000 accounts; peak RSS at 100,000) decide; the
 * in-process figures are printed as detail.
 */
export function checkBench(results: BenchResults): { ok: boolean; lines: string[] } {
  const paths = checkPaths(results.paths ?? []);
  const detail = results.figures.length > 0 ? checkResults(results.figures).lines : [];
  return {
    ok: paths.ok,
    lines: [
      'Goals (whole processes):',
      ...paths.lines,
      ...(detail.length ? ['In-process detail (reported, not a goal of this check):', ...detail] : []),
    ],
  };
}

const isMain = process.argv[1] !== undefined && import.meta.filename === process.argv[1];
if (isMain) {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      runs: { type: 'string' },
      only: { type: 'string' },
      build: { type: 'boolean', default: false },
      prepare: { type: 'boolean', default: false },
      scale: { type: 'string' },
      hub: { type: 'boolean', default: false },
      // The hub section's scale inside a whole run (default 2,000 accounts; --hub-accounts 100000 for more).
      'hub-accounts': { type: 'string', default: '2000' },
      // The hub section's own flags, passed on to it.
      accounts: { type: 'string' },
      days: { type: 'string' },
      book: { type: 'string' },
      pg: { type: 'string' },
      // The whole-process steps start from a copy of this scored book instead of importing one.
      'scored-book': { type: 'string' },
    },
  });
  if (values.hub) {
    // The team hub's section (bench/hub/run.ts) needs PostgreSQL and is run on its own; the flags
    // after --hub (--accounts, --days, --book, --pg) are passed on.
    const rest = process.argv.slice(2).filter((arg) => arg !== '--hub');
    const child = spawnSync(process.execPath, [join(import.meta.dirname, 'hub', 'run.ts'), ...rest], {
      stdio: 'inherit',
    });
    process.exit(child.status ?? 1);
  }
  const pathScales = values.scale ? parseScales(values.scale) : undefined;
  if (values.prepare) {
    // Only generate (and cache) the workload, e.g. ahead of a full run.
    const scale = SCALES[values.quick ? 'quick' : 'full'];
    const log = (line: string) => process.stderr.write(`${line}\n`);
    importFiles(BENCH_SEED, scale.importAccounts, scale.importMetricRows, log);
    scoreBook(BENCH_SEED, scale.scoreAccounts, scale.scoreDays, log);
    process.exit(0);
  }
  const results = await runBench({
    scale: values.quick ? 'quick' : 'full',
    ...(values.runs ? { runs: Number(values.runs) } : {}),
    ...(values.only ? { only: values.only.split(',') } : {}),
    ...(pathScales ? { pathScales } : {}),
    ...(values['scored-book'] ? { scoredBook: values['scored-book'] } : {}),
    build: values.build,
  });
  const written = writeResults(results, values.only !== undefined);
  process.stdout.write(values.json ? `${JSON.stringify(written, null, 2)}\n` : `${summarise(written)}\n`);
  if (!values.only && !values.json) {
    // The team hub's section at a small scale (bench/hub/run.ts; it needs PostgreSQL binaries).
    const book = String(Math.max(1, Math.floor(Number(values['hub-accounts']) / 2)));
    const out = join(CACHE_DIR, 'hub-results.json'); // bench/hub/results.json keeps the documented run
    const hubArgs = [
      '--accounts',
      values['hub-accounts'],
      '--book',
      book,
      '--out',
      out,
      ...(values.pg ? ['--pg', values.pg] : []),
    ];
    spawnSync(process.execPath, [join(import.meta.dirname, 'hub', 'run.ts'), ...hubArgs], { stdio: 'inherit' });
  }
}
