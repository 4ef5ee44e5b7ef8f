/**
 * The reported backtest: the newest past days replayed as the model in use then would have scored
 * them. For a past day t, the model is refitted on the samples of the days before it, with their
 * outcomes as known on t (a window cut at t, at least `minWindowDays` long); its predictions for
 * day t are then compared with what happened after t, as known on the as-of day.
 *
 * Cross-validation by account (fit.ts) chooses the model, but it learns from the same weeks it is
 * judged on; the replay does not, so it measures what the app's prediction on a day is worth when
 * the book changes over time — the figure a user is shown.
 */
import { churnProbability } from '../evaluate.ts';
import { fitRidgeLogistic, predict, type LogisticModel } from './logistic.ts';

export interface ReplaySamples {
  ids: string[];
  /** The day number of each sample's origin, and of its account's churn (NaN: none known). */
  days: number[];
  churnDays: number[];
  /** Origin index, label and offset as known on the as-of day. */
  origin: number[];
  labels: number[];
  offset: number[];
  scores: (number | null)[];
  /** Training rows kept (the deterministic cap of fit.ts). */
  kept: boolean[];
}

export interface ReplaySettings {
  horizonDays: number;
  /** A training sample's window, cut at the replayed day, must be at least this long. */
  minWindowDays: number;
  /** A replayed day needs this much of its own window seen by the as-of day. */
  reportMinWindowDays: number;
  /** Past days replayed, newest first. */
  days: number;
  /** A replayed fit with fewer churned accounts than this falls back to the default curve, as the app would. */
  minOutcomes: number;
  /** Where each replayed fit starts (the model in use, fitted on all days): fewer Newton steps, same optimum. */
  start?: LogisticModel;
}

/**
 * Predictions for the replayed origins (NaN for the others) and which origins were replayed. Each
 * origin needs `reportMinWindowDays` of its window seen by the as-of day and, before it, past days
 * whose own windows (cut at it) are at least `minWindowDays` long.
 */
export function replayNewest(
  flat: ReplaySamples,
  rows: readonly Float64Array[],
  names: readonly string[],
  lambda: number,
  defaultCurve: { intercept: number; slope: number },
  s: ReplaySettings,
): { p: Float64Array; origins: number[] } {
  const p = new Float64Array(rows.length).fill(NaN);
  const originDay = new Map<number, number>();
  flat.origin.forEach((k, i) => originDay.set(k, flat.days[i] as number));
  const windowOf = (k: number) => Math.exp(flat.offset[flat.origin.indexOf(k)] as number) * s.horizonDays;
  const candidates = [...originDay.keys()]
    .filter((k) => windowOf(k) >= s.reportMinWindowDays - 1e-9)
    .sort((a, b) => (originDay.get(b) as number) - (originDay.get(a) as number));
  const replayed: number[] = [];
  // Each replayed fit starts from the one before it (the next newer past day: the same rows but
  // its newest week, the nearest optimum) and its Hessian; the first from the model in use.
  let start = s.start;
  // The candidates are newest first; the result lists them oldest first, as the origins are.
  for (const k of candidates) {
    if (replayed.length >= s.days) break;
    const t = originDay.get(k) as number;
    const train: number[] = [];
    for (let i = 0; i < rows.length; i++)
      if (flat.kept[i] && (flat.days[i] as number) + s.minWindowDays <= t) train.push(i);
    if (train.length === 0) continue;
    const windows = train.map((i) => Math.min(s.horizonDays, t - (flat.days[i] as number)));
    const labels = train.map((i, n) => {
      const churned = flat.churnDays[i] as number;
      const day = flat.days[i] as number;
      return churned === churned && churned > day && churned <= day + (windows[n] as number) ? 1 : 0;
    });
    // Distinct churned accounts, as the model in use is gated (fit.ts): one churn seen on several
    // past days is one outcome.
    const outcomes = new Set(train.filter((_, n) => labels[n] === 1).map((i) => flat.ids[i])).size;
    const model =
      outcomes >= s.minOutcomes
        ? fitRidgeLogistic(
            names,
            train.map((i) => rows[i] as Float64Array),
            labels,
            { lambda, offsets: windows.map((w) => Math.log(w / s.horizonDays)), start },
          )
        : null;
    if (model) start = model;
    for (let i = 0; i < rows.length; i++) {
      if (flat.origin[i] !== k) continue;
      // Too few outcomes then: the app would have used the default curve over the health score.
      p[i] = model
        ? predict(model, rows[i] as Float64Array, flat.offset[i])
        : churnProbability(flat.scores[i] ?? null, defaultCurve);
    }
    replayed.push(k);
  }
  return { p, origins: replayed.reverse() };
}
