/**
 * The churn model stored for a day, read without the fitting code: the newest model fitted on or
 * before the day (its fit day, ANCHOR_DAYS, once the day is scored), or the default curve when none is. churn-model.ts reads it the same way when
 * asked not to fit; `foresight account` reads it from here, so a one-shot command that only shows
 * the model in use does not load the backtest, the fit and the scoring run (issue 16,
 * docs/performance.md "CLI start-up").
 */
import type { Db } from '../../db/open.ts';
import type { ChurnModel, ModelReport } from './churn-model.ts';
import { modelRepo, type ModelRow } from './repo.ts';
import { dayNumber, dayString } from '../days.ts';

export type CurveFallback = { intercept: number; slope: number };

/**
 * Models (and the churn curve, score-plan.ts) are fitted as of anchor days, so that the model in
 * use on a day is a function of the book and the configuration up to that day alone, whichever
 * days were scored or looked at before (a fit reads every past day of the book: minutes on a large
 * one, so a new day mostly reuses one). A day's fit day is the first day, from the latest day on
 * or before it whose day number is a multiple of ANCHOR_DAYS, on which everything the fit depends
 * on (`sameAsDay`: the outcomes, the data kinds, the configuration) already was as on the day:
 * new churn or a new kind of data moves it to that day at once. A stored model is then only a
 * cache of what fitting the fit day afresh gives. Kept here, with the stored models, so
 * score-plan.ts (which `foresight account` loads) reads it without loading the fitting code.
 */
export const ANCHOR_DAYS = 7;

/**
 * The day whose fit is in use on `asOf` (see ANCHOR_DAYS). `notBefore`: a day before which
 * `sameAsDay` is known to be false (the newest churn), so the walk starts there.
 */
export function fitDayFor(asOf: string, sameAsDay: (day: string) => boolean, notBefore: string | null = null): string {
  const day = dayNumber(asOf);
  const anchor = day - (((day % ANCHOR_DAYS) + ANCHOR_DAYS) % ANCHOR_DAYS);
  for (let d = Math.max(anchor, notBefore === null ? anchor : dayNumber(notBefore)); d < day; d++)
    if (sameAsDay(dayString(d))) return dayString(d);
  return asOf;
}

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
