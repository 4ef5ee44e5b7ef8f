/**
 * Score and rank, and the incremental rescore, in one child process per sample on a fresh copy of
 * the scoring book. The first whole-book run is the one the app makes (`scoreBook`, rescore.ts):
 * with no stored model it fits the churn model, calibrates the curve, fills the history and the
 * series cache before it ranks, as a user's first scoring does (timed: the `score` figure). Then
 * 1% of accounts get a changed metric value for the as-of day, the incremental rescore of those
 * accounts runs (timed), and the app's whole-book run again (timed: the model, the curve and the
 * history are stored by then, the `score_stored` figure and the rescore figure's baseline).
 */
import { closeDatabase, openDatabase, type Db } from '../../src/domain/db/open.ts';
import type { FigureResult } from '../lib/goals.ts';
import { median, ratio, spread } from '../lib/stats.ts';
import { findScore } from '../lib/subjects.ts';
import { timed } from '../lib/timed.ts';

export interface ScoreSample {
  /** The first whole-book run (the model fitted in it), wall and CPU (user + system) milliseconds. */
  scoreMs: number;
  scoreCpuMs: number;
  incrementalMs: number;
  /** The whole-book run with the model stored (after the 1% change). */
  fullRescoreMs: number;
  fullRescoreCpuMs: number;
  changedAccounts: number;
  /** Churn models stored after the first run and after the last one: 1 and 1 when the last reused it. */
  modelsFitted: [number, number];
  /** History rows the first run wrote. */
  historyRows: number;
  scorer: string;
}

/** Every k-th account by id, deterministic, about `fraction` of the book. */
export function pickChanged(accountIds: readonly string[], fraction: number): string[] {
  const step = Math.max(1, Math.round(1 / fraction));
  return accountIds.filter((_, index) => index % step === 0);
}

const modelCount = (db: Db) => db.prepare<[], number>('SELECT count(*) FROM risk_models').pluck().get() ?? 0;

export async function scoreSample(input: { dbPath: string; asOf: string; fraction: number }): Promise<ScoreSample> {
  const found = await findScore();
  if (!found) throw new Error('NO_SUBJECT: there is no scoreAll and scoreBook in src/domain/risk yet');
  const { db } = openDatabase(input.dbPath);
  try {
    const first = await timed(() => found.book(db, { asOf: input.asOf }));
    const fittedFirst = modelCount(db);

    const ids = db
      .prepare<[], { account_id: string }>('SELECT account_id FROM accounts ORDER BY account_id')
      .all()
      .map((r) => r.account_id);
    const changed = pickChanged(ids, input.fraction);
    // The change a nightly sync brings: today's active_users for these accounts drops by half.
    const bump = db.prepare(
      `UPDATE metrics SET value = value * 0.5 WHERE account_id = ? AND metric = 'active_users' AND contact_id = '' AND date = ?`,
    );
    db.transaction(() => changed.forEach((id) => bump.run(id, input.asOf)))();

    const incremental = await timed(() => found.fn(db, { asOf: input.asOf, accountIds: changed }));
    const full = await timed(() => found.book(db, { asOf: input.asOf }));
    return {
      scoreMs: first.ms,
      scoreCpuMs: first.cpuMs,
      incrementalMs: incremental.ms,
      fullRescoreMs: full.ms,
      fullRescoreCpuMs: full.cpuMs,
      changedAccounts: changed.length,
      modelsFitted: [fittedFirst, modelCount(db)],
      historyRows: historyRowsOf(first.value),
      scorer: found.name,
    };
  } finally {
    closeDatabase(db);
  }
}

function historyRowsOf(result: unknown): number {
  const rows = (result as { historyRows?: unknown } | null)?.historyRows;
  return typeof rows === 'number' ? rows : -1;
}

/** One sample of the aggregate-scan baseline (bench/figures/scan-baseline.ts). */
export interface ScanSample {
  ms: number;
  cpuMs: number;
}

const round = (value: number | null, digits = 1) =>
  value == null ? null : Math.round(value * 10 ** digits) / 10 ** digits;
const seconds = (ms: number | null) => round(ms == null ? null : ms / 1000, 2);

/**
 * The three figures of the score samples (medians): `score`, the first whole-book run with its
 * model fit, the one the goal is judged on; `score_stored`, the same run with the model stored;
 * `rescore`, the incremental rescore against that stored-model run. CPU ratios are printed beside
 * the wall-time ones, which a shared machine moves more.
 */
export function scoreResults(input: {
  samples: readonly ScoreSample[];
  scan: readonly ScanSample[];
  rss: readonly number[];
  accounts: number;
  metricRows: number;
}): FigureResult[] {
  const { samples, scan } = input;
  const scanMs = median(scan.map((s) => s.ms));
  const scanCpu = median(scan.map((s) => s.cpuMs));
  const run = (wall: number[], cpu: number[]) => ({
    value: ratio(median(wall), scanMs),
    subjectMs: median(wall),
    baselineMs: scanMs,
    samples: wall,
    baselineSamples: scan.map((s) => s.ms),
    cpu: {
      'CPU s': seconds(median(cpu)),
      'scan CPU s': seconds(scanCpu),
      'CPU ×': round(ratio(median(cpu), scanCpu), 2),
    },
  });
  const first = run(
    samples.map((s) => s.scoreMs),
    samples.map((s) => s.scoreCpuMs),
  );
  const stored = run(
    samples.map((s) => s.fullRescoreMs),
    samples.map((s) => s.fullRescoreCpuMs),
  );
  const incremental = samples.map((s) => s.incrementalMs);
  const last = samples[samples.length - 1];
  const { cpu: firstCpu, ...firstFigure } = first;
  const { cpu: storedCpu, ...storedFigure } = stored;
  return [
    {
      id: 'score',
      ...firstFigure,
      extra: {
        ...firstCpu,
        accounts: input.accounts,
        'metric rows': input.metricRows,
        'history rows': last?.historyRows ?? null,
        'models fitted': last?.modelsFitted[0] ?? null,
        'peak RSS MB': round(median([...input.rss])),
        spread: round(spread(samples.map((s) => s.scoreMs)), 2),
        scorer: last?.scorer ?? null,
      },
    },
    {
      id: 'score_stored',
      ...storedFigure,
      extra: {
        ...storedCpu,
        // 1 means the run reused the first run's model instead of fitting another.
        'models after': last?.modelsFitted[1] ?? null,
      },
    },
    {
      id: 'rescore',
      value: ratio(median(incremental), stored.subjectMs),
      subjectMs: median(incremental),
      baselineMs: stored.subjectMs,
      samples: incremental,
      baselineSamples: stored.samples,
      extra: { 'changed accounts': last?.changedAccounts ?? null },
    },
  ];
}
