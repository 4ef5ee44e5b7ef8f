/**
 * The risk engine's jobs and its after-data-change step. registry.ts imports this module, so the
 * step is registered wherever jobs run (worker threads, the CLI, the app's own thread).
 *
 * The step runs before the interventions' outcome evaluation: rescoring opens and resolves the
 * risk items (and decides the control group) that the outcome evaluation then judges.
 */
import type { Db } from '../../domain/db/open.ts';
import { rescoreAfterChange, scoreBook } from '../../domain/risk/rescore.ts';
import { fillBookHistory } from '../../domain/risk/history-fill.ts';
import { scoreAll, type ScoreAllResult } from '../../domain/risk/score-all.ts';
import { riskStore } from '../../domain/risk/store.ts';
import { afterDataChangeSteps } from './after-data-change.ts';
import type { JobFn } from './registry.ts';

export interface RiskScorePayload {
  asOf: string;
  /** null: the whole book (with history kept filled and the churn curve refitted when needed). */
  accountIds: string[] | null;
  /** The wall-clock instant written on risk items. */
  now: string;
}

export const riskJobs = {
  'risk.score': ((db, payload: RiskScorePayload, progress): ScoreAllResult =>
    payload.accountIds === null
      ? scoreBook(db, {
          asOf: payload.asOf,
          now: payload.now,
          onProgress: (processed, total) => progress({ processed, total }),
        })
      : scoreAll(db, {
          asOf: payload.asOf,
          accountIds: payload.accountIds,
          now: payload.now,
          onProgress: (processed, total) => progress({ processed, total }),
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
      onProgress: (processed, total) => progress({ processed, total }),
    });
  }) satisfies JobFn<{ asOf: string }, Awaited<ReturnType<typeof fillBookHistory>>>,
} as const;

const STEP = 'risk.rescore';

if (!afterDataChangeSteps.some((step) => step.name === STEP)) {
  const step = {
    name: STEP,
    run: (db: Db, change: { accountIds: readonly string[] | null; asOf: string }) =>
      rescoreAfterChange(db, { ...change, now: new Date().toISOString() }),
  };
  const outcomes = afterDataChangeSteps.findIndex((s) => s.name === 'interventions.outcomes');
  if (outcomes >= 0) afterDataChangeSteps.splice(outcomes, 0, step);
  else afterDataChangeSteps.push(step);
}
