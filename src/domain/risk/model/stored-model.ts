/**
 * The churn model stored for a day, read without the fitting code: the newest model fitted on or
 * before the day, or the default curve when none is. churn-model.ts reads it the same way when
 * asked not to fit; `foresight account` reads it from here, so a one-shot command that only shows
 * the model in use does not load the backtest, the fit and the scoring run (issue 16,
 * docs/performance.md "CLI start-up").
 */
import type { Db } from '../../db/open.ts';
import type { ChurnModel, ModelReport } from './churn-model.ts';
import { modelRepo, type ModelRow } from './repo.ts';

export type CurveFallback = { intercept: number; slope: number };

/**
 * A model fitted on an earlier day is reused for this many days while the book's outcomes are the
 * same: a fit reads every past day of the book (minutes on a large one), and a new day with no new
 * churn teaches the model nothing new. New churn, or a changed configuration, refits at once. Kept
 * here, with the stored models, so score-plan.ts (which `foresight account` loads) reads it without
 * loading the fitting code.
 */
export const MODEL_REUSE_DAYS = 7;

/** A stored model row as the model in use; `fallback`: the configured curve when the row kept none. */
export function modelFromRow(row: ModelRow, fallback: CurveFallback): ChurnModel {
  const model = JSON.parse(row.model_json) as {
    learned: ChurnModel['learned'];
    curve: CurveFallback | null;
  };
  const report = JSON.parse(row.report_json) as ModelReport;
  return {
    id: row.model_id,
    asOf: row.as_of,
    method: row.method,
    note: report.note,
    learned: model.learned,
    curve: model.curve ?? fallback,
    report,
    createdAt: row.created_at,
  };
}

/** The model in use on `asOf` without fitting: the newest stored on or before it, else the default curve. */
export function storedModelOn(db: Db, asOf: string, fallback: CurveFallback): ChurnModel {
  const row = modelRepo(db).atOrBefore(asOf);
  return row
    ? modelFromRow(row, fallback)
    : {
        id: null,
        asOf,
        method: 'default',
        note: 'Using the default curve: no model has been fitted yet.',
        learned: null,
        curve: fallback,
        report: null,
        createdAt: null,
      };
}
