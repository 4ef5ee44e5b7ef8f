/**
 * Score and rank, and the incremental rescore, in one child process per sample on a fresh copy of
 * the scoring book. The first whole-book run is the one the app makes (`scoreBook`, rescore.ts):
 * with no stored model it fits the churn model, calibrates the curve, fills the history and the
 * series cache before it ranks, as a user's first scoring does (timed: the `score` figure). Then
 * 1% of accounts get a changed metric value for the as-of day, the incremental rescore of those
 * accounts runs (timed), and the app's whole-book run again (timed: the model, the curve and the
 * history are stored by then, the `score_stored` figure and the rescore figure's baseline). Last,
 * one account churns (churn-outcome.ts: an imported accounts row) and the whole-book run of the
 * same day is timed again: the day a user meets every time outcomes change, history and series
 * cache in place but the churn model refitted before the ranking (the `score_refit` figure).
 */
import { dirname } from 'node:path';
import { closeDatabase, openDatabase, type Db } from '../../src/domain/db/open.ts';
import type { FigureResult } from '../lib/goals.ts';
import { median, ratio, spread } from '../lib/stats.ts';
import { findScore } from '../lib/subjects.ts';
import { timed } from '../lib/timed.ts';
import { newestModel, recordChurnOutcome } from './churn-outcome.ts';

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
  /** The whole-book run of the same day after one account churned (the model refitted in it). */
  refitMs: number;
  refitCpuMs: number;
  /** The account that churned, and the newest stored model's id before and after the run. */
  refit: { churnedAccount: string; modelBefore: number | null; modelAfter: number | null };
  scorer: string;
}

/** Why a refit sample does not time a refit (the run reused a model), or null when it refitted. */
export function refitProblem(refit: ScoreSample['refit']): string | null {
  if (refit.modelAfter !== null && refit.modelAfter !== refit.modelBefore) return null;
  return `the run after ${refit.churnedAccount} churned did not refit the churn model (newest model ${refit.modelBefore ?? 'none'} before, ${refit.modelAfter ?? 'none'} after)`;
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
    const modelsAfterStored = modelCount(db);

    const churnedAccount = recordChurnOutcome(db, input.asOf, dirname(input.dbPath));
    const modelBefore = newestModel(db);
    const refit = await timed(() => found.book(db, { asOf: input.asOf }));
    const modelAfter = newestModel(db);
    return {
      scoreMs: first.ms,
      scoreCpuMs: first.cpuMs,
      incrementalMs: incremental.ms,
      fullRescoreMs: full.ms,
      fullRescoreCpuMs: full.cpuMs,
      changedAccounts: changed.length,
      modelsFitted: [fittedFirst, modelsAfterStored],
      historyRows: historyRowsOf(first.value),
      refitMs: refit.ms,
      refitCpuMs: refit.cpuMs,
      refit: { churnedAccount, modelBefore: modelBefore?.id ?? null, modelAfter: modelAfter?.id ?? null },
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
 * The four figures of the score samples (medians): `score`, the first whole-book run with its
 * model fit, the one the goal is judged on; `score_stored`, the same run with the model stored;
 * `score_refit`, the same run after a new churn outcome, the model refitted (missing, with the
 * reason, when a sample's run reused a model instead); `rescore`, the incremental rescore against
 * the stored-model run. CPU ratios are printed beside the wall-time ones, which a shared machine
 * moves more.
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
  const refit = run(
    samples.map((s) => s.refitMs),
    samples.map((s) => s.refitCpuMs),
  );
  const incremental = samples.map((s) => s.incrementalMs);
  const last = samples[samples.length - 1];
  const { cpu: firstCpu, ...firstFigure } = first;
  const { cpu: storedCpu, ...storedFigure } = stored;
  const { cpu: refitCpu, ...refitFigure } = refit;
  const notRefitted = samples.map((s) => refitProblem(s.refit)).find((problem) => problem !== null);
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
      id: 'score_refit',
      ...refitFigure,
      ...(notRefitted ? { value: null, note: notRefitted } : {}),
      extra: {
        ...refitCpu,
        'churned account': last?.refit.churnedAccount ?? null,
        'model before': last?.refit.modelBefore ?? null,
        'model after': last?.refit.modelAfter ?? null,
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
