/**
 * The whole-process part of `npm run bench`: which book sizes and steps a run measures, the
 * results kept across runs, and the printed tables. bench/run.ts calls it before the in-process detail.
 */
import { existsSync, readFileSync } from 'node:fs';
import { BENCH_SEED } from '../lib/config.ts';
import { ensureCliBundle, measureScale } from './measure.ts';
import { STEPS, growthTable, scaleTable, type ScaleResult, type StepId } from './steps.ts';

export type MeasuredScale = ScaleResult & { measuredAt: string };

export interface PathRunOptions {
  scale: 'quick' | 'full';
  pathScales?: readonly number[];
  runs?: number;
  only?: string[];
  /** A scored book to start from instead of importing one (one book size only; see PathOptions.scoredBook). */
  scoredBook?: string;
}

/** Book sizes of the whole-process figures; `--quick` runs the first only. */
export const PATH_SCALES = [5_000, 20_000, 50_000, 100_000] as const;

/** The whole-process steps a run asks for; null for all of them, [] for none. */
function wantedSteps(options: PathRunOptions): StepId[] | null {
  if (!options.only || options.only.includes('paths')) return null;
  return STEPS.map((s) => s.id).filter((id) => options.only!.includes(id));
}

export async function pathFigures(
  options: PathRunOptions,
  workDir: string,
  log: (l: string) => void,
): Promise<MeasuredScale[]> {
  const only = wantedSteps(options);
  if (only && only.length === 0) return [];
  const sizes = options.pathScales ?? (options.scale === 'quick' ? [PATH_SCALES[0]] : PATH_SCALES);
  if (options.scoredBook && sizes.length !== 1)
    throw new Error(`--scored-book is one book of one size: give that size alone with --scale (e.g. --scale 50k).`);
  if (options.scoredBook && !existsSync(options.scoredBook))
    throw new Error(`--scored-book: there is no file ${options.scoredBook}.`);
  ensureCliBundle(log);
  const scales: MeasuredScale[] = [];
  for (const accounts of sizes) {
    log(`whole processes at ${accounts.toLocaleString('en')} accounts`);
    const measuredAt = new Date().toISOString();
    const scale = await measureScale({
      accounts,
      seed: BENCH_SEED,
      runs: options.runs ?? 3,
      smallRuns: Math.max(5, options.runs ?? 5),
      workDir,
      ...(only ? { only } : {}),
      ...(options.scoredBook ? { scoredBook: options.scoredBook } : {}),
      log,
    });
    scales.push({ ...scale, measuredAt });
  }
  return scales;
}

/** Book sizes measured in an earlier run and not in this one stay in the file, each with its own date. */
export function withEarlierScales(now: MeasuredScale[], resultsFile: string): MeasuredScale[] {
  if (!existsSync(resultsFile)) return now;
  try {
    const earlier = (JSON.parse(readFileSync(resultsFile, 'utf8')) as { paths?: MeasuredScale[] }).paths ?? [];
    const kept = earlier.filter((e) => !now.some((n) => n.accounts === e.accounts));
    return [...now, ...kept].sort((a, b) => a.accounts - b.accounts);
  } catch {
    return now;
  }
}

/** `--scale 5k,50k` (or 5000,50000): the book sizes of the whole-process figures. */
export function parseScales(text: string): number[] {
  return text.split(',').map((part) => {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(k?)\s*$/i.exec(part);
    const accounts = match ? Math.round(Number(match[1]) * (match[2] ? 1000 : 1)) : NaN;
    if (!Number.isInteger(accounts) || accounts < 100 || accounts > 100_000)
      throw new Error(`--scale takes book sizes from 100 to 100k accounts, e.g. "5k,50k", not "${part}".`);
    return accounts;
  });
}

/** The issue's table for each book size, then how each figure grows with the book. */
export function pathsSummary(paths: readonly MeasuredScale[]): string[] {
  return [
    ...paths.flatMap((scale) => [
      `Whole processes at ${scale.accounts.toLocaleString('en')} accounts × 90 days (data through ${scale.dataThrough}; measured ${scale.measuredAt}, ${scale.durationSeconds} s, load average ${scale.loadAverage.start} → ${scale.loadAverage.end}; ${Object.entries(
        scale.files,
      )
        .map(([k, v]) => `${k} ${v.toLocaleString('en')}`)
        .join(', ')}):`,
      '',
      scaleTable(scale),
      '',
    ]),
    ...(paths.length > 1 ? ['How each figure grows with the book (medians):', '', growthTable(paths), ''] : []),
  ];
}
