/**
 * The risk engine's jobs and its after-data-change step. registry.ts imports this module, so the
 * step is registered wherever jobs run (worker threads, the CLI, the app's own thread).
 *
 * The step runs before the interventions' outcome evaluation: rescoring opens and resolves the
 * risk items (and decides the control group) that the outcome evaluation then judges.
 */
import type { Db } from '../../domain/db/open.ts';
import { rescoreAfterChange, scoreBook, type ScoreProgress } from '../../domain/risk/rescore.ts';
import { fillBookHistory } from '../../domain/risk/history-fill.ts';
import { scoreAll, type ScoreAllResult, type ScoreStage } from '../../domain/risk/score-all.ts';
import { riskStore } from '../../domain/risk/store.ts';
import type { RankingChange } from '../../shared/dto/sync.ts';
import { afterDataChangeSteps, type DataChange } from './after-data-change.ts';
import type { JobFn, JobProgress } from './registry.ts';

export interface RiskScorePayload {
  asOf: string;
  /** null: the whole book (with history kept filled and the churn curve refitted when needed). */
  accountIds: string[] | null;
  /** The wall-clock instant written on risk items. */
  now: string;
}

/** The words of a scoring run's parts on a progress bar (score-all.ts, SCORE_STAGES). */
const STAGE_LABELS: Record<ScoreStage, string> = {
  model: 'Preparing the risk model',
  accounts: 'Scoring accounts',
  write: 'Saving the ranked list',
};

/**
 * A scoring run's parts and accounts as the job's progress: the model readied (no count yet), the
 * accounts scored one chunk at a time, then the write with the count full. Never `done`: the job
 * that scores may have steps after it (the runner marks the end, progress-throttle.ts).
 */
export function scoreProgress(progress: (p: JobProgress) => void): ScoreProgress {
  let stage: ScoreStage = 'model';
  let scored: { processed: number; total: number | null } = { processed: 0, total: null };
  const report = () => progress({ ...scored, label: STAGE_LABELS[stage], unit: 'accounts', done: false });
  return {
    onStage(next, accounts) {
      stage = next;
      // The pass's count is known as it starts: "0 of 50,000", then full while the day is written.
      if (accounts !== null) scored = { processed: next === 'accounts' ? 0 : accounts, total: accounts };
      report();
    },
    onProgress(processed, total) {
      scored = { processed, total };
      report();
    },
  };
}

export const riskJobs = {
  'risk.score': ((db, payload: RiskScorePayload, progress): ScoreAllResult =>
    payload.accountIds === null
      ? scoreBook(db, { asOf: payload.asOf, now: payload.now, ...scoreProgress(progress) })
      : scoreAll(db, {
          asOf: payload.asOf,
          accountIds: payload.accountIds,
          now: payload.now,
          ...scoreProgress(progress),
        })) satisfies JobFn<RiskScorePayload, ScoreAllResult>,
  /**
   * The history window of every account, filled after the ranked list of the newest scored day on
   * or before `asOf` (history-fill.ts); the app runs it in the background (history-after.ts).
   */
  'risk.history': (async (db, payload: { asOf: string }, progress) => {
    const ranked = riskStore(db).latestSnapshotDay(payload.asOf);
    if (!ranked) return { asOf: payload.asOf, accounts: 0, filled: 0, rows: 0, interrupted: false };
    return fillBookHistory(db, {
      asOf: ranked.as_of,
      onProgress: (processed, total) => progress({ processed, total, unit: 'accounts' }),
    });
  }) satisfies JobFn<{ asOf: string }, Awaited<ReturnType<typeof fillBookHistory>>>,
} as const;

const STEP = 'risk.rescore';

/** The ranked list's change, from the after-data-change steps' results; null when nothing was scored. */
export function rankingChange(results: Readonly<Record<string, unknown>> | null): RankingChange | null {
  const run = results?.[STEP] as ScoreAllResult | null | undefined;
  if (!run) return null;
  return {
    asOf: run.asOf,
    scope: run.scope === 'full' ? 'book' : 'accounts',
    scored: run.scored,
    atRisk: run.atRisk,
    stale: run.stale,
    noData: run.noData,
    opened: run.items.opened,
    resolved: run.items.resolved,
  };
}

if (!afterDataChangeSteps.some((step) => step.name === STEP)) {
  const step = {
    name: STEP,
    run: (db: Db, change: DataChange, progress: (p: JobProgress) => void) =>
      rescoreAfterChange(db, { ...change, now: new Date().toISOString() }, scoreProgress(progress)),
  };
  const outcomes = afterDataChangeSteps.findIndex((s) => s.name === 'interventions.outcomes');
  if (outcomes >= 0) afterDataChangeSteps.splice(outcomes, 0, step);
  else afterDataChangeSteps.push(step);
}
