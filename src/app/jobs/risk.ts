/**
 * The risk engine's jobs and its after-data-change step. registry.ts imports this module, so the
 * step is registered wherever jobs run (worker threads, the CLI, the app's own thread).
 *
 * The step runs before the interventions' outcome evaluation: rescoring opens and resolves the
 * risk items (and decides the control group) that the outcome evaluation then judges.
 */
import type { Db } from '../../domain/db/open.ts';
import { rescoreAfterChange, scoreBook } from '../../domain/risk/rescore.ts';
import { scoreAll, type ScoreAllResult } from '../../domain/risk/score-all.ts';
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
