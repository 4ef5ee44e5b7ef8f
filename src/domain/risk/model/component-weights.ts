/**
 * Component weights fitted from the book's outcomes (issue 13, item 3). A ridge logistic
 * regression on the seven component scores of the rolling-origin samples: each component's weight
 * is the fall in churn log-odds per point of its score, made positive (at least 1) and scaled to
 * the configured weights' total, so the health score stays a 0–100 headline where higher is
 * healthier and a component without data still drops out and the rest are renormalised.
 *
 * The evidence is the health score itself, not the regression: for each of 5 folds (by account)
 * the weights are fitted without that fold and the fold's accounts are scored with them, exactly as
 * the engine scores (weighting.ts); that out-of-fold AUC is set against the configured weights'
 * AUC on the same samples. The fitted weights are used only when they beat the configured ones by
 * the model's margin, the paired 95% interval of that difference lies above 0, and their own
 * interval lies above 0.5 (chance); otherwise the configured weights stay and the note says why.
 */
import { COMPONENT_IDS, DEFAULT_SCORE_CONFIG, userSetWeights, type ComponentId, type ScoreConfig } from '../config.ts';
import { weighComponents, weightList, type ComponentWeights } from '../weighting.ts';
import { fitRidgeLogistic, type LogisticModel } from './logistic.ts';
import { aucDifferenceWithInterval, aucWithInterval, type Scored } from './stats.ts';

/** The samples as the fit flattens them (fit.ts): one row per account and past day. */
export interface WeightSamples {
  rows: readonly Float64Array[];
  labels: readonly number[];
  offset: readonly number[];
  fold: readonly number[];
  kept: readonly boolean[];
  origin: readonly number[];
  account: readonly number[];
}

/** The weights the health score would otherwise use, and whether the user set them in Settings. */
export interface Weighting {
  configured: ComponentWeights;
  userSet: boolean;
  coverage: readonly ComponentId[];
}

export interface WeightsFit {
  /** Fitted weight per component (positive whole numbers summing to the configured total). */
  fitted: Record<string, number>;
  /** Out-of-fold AUC of the health score with fitted weights, and its 95% interval. */
  auc: number | null;
  aucCi?: [number, number] | null;
  /** The configured weights' AUC on the same samples. */
  configuredAuc?: number | null;
  configuredAucCi?: [number, number] | null;
  /** Fitted minus configured AUC on the same samples, with its paired 95% interval. */
  difference?: number | null;
  differenceCi?: [number, number] | null;
  /** The fitted weights passed the guard... */
  accepted?: boolean;
  /** ...and are applied to the health score (accepted, and the user has not set weights). */
  inUse?: boolean;
  /** Why they are, or are not, in use, in plain words. */
  note?: string;
  /** The event families the book held when they were fitted (data-kinds.ts). */
  kinds?: string;
}

const LAMBDA = 0.01;
/** A fitted weight is never below this: every component with data keeps a say in the score. */
const MIN_WEIGHT = 1;

const configuredWeights = (config: ScoreConfig) =>
  Object.fromEntries(COMPONENT_IDS.map((id) => [id, config.components[id].weight])) as ComponentWeights;

export const weightingOf = (config: ScoreConfig): Weighting => ({
  configured: configuredWeights(config),
  userSet: userSetWeights(config),
  coverage: config.dataQuality.coverage,
});

export const defaultWeighting = (): Weighting => weightingOf(DEFAULT_SCORE_CONFIG);

/**
 * Positive whole weights summing to `total`, in proportion to `raw` above a floor of MIN_WEIGHT
 * each (largest remainders get the rounding). Null when no component's score falls with churn.
 */
export function scaleWeights(raw: readonly number[], total: number): number[] | null {
  const sum = raw.reduce((s, x) => s + Math.max(0, x), 0);
  if (!(sum > 0)) return null;
  const spare = Math.max(0, Math.round(total) - MIN_WEIGHT * raw.length);
  const exact = raw.map((x) => (Math.max(0, x) / sum) * spare);
  const out = exact.map((x) => MIN_WEIGHT + Math.floor(x));
  let left = Math.round(total) - out.reduce((s, x) => s + x, 0);
  const order = exact.map((x, k) => ({ k, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.k - b.k);
  for (let i = 0; left > 0 && order.length > 0; i = (i + 1) % order.length, left--) out[order[i]!.k]! += 1;
  return out;
}

/** The component columns of the samples, in COMPONENT_IDS order (-1: never had data). */
const componentColumns = (names: readonly string[]) => COMPONENT_IDS.map((id) => names.indexOf(`c:${id}`));

function componentRow(row: Float64Array, columns: readonly number[]): Float64Array {
  const out = new Float64Array(columns.length);
  for (let k = 0; k < columns.length; k++) {
    const j = columns[k] as number;
    out[k] = j < 0 ? NaN : (row[j] as number);
  }
  return out;
}

/** The health score of a sample row with `weights` (COMPONENT_IDS order), rounded as the engine rounds. */
export function scoreWith(components: Float64Array, weights: readonly number[], coverage: readonly ComponentId[]) {
  const s = weighComponents(
    Array.from(components, (v) => (v === v ? v : null)),
    weights,
    coverage,
  ).score;
  return s === null ? null : Math.round(s);
}

/**
 * Fit on the given samples: weights in COMPONENT_IDS order, or null when none falls with churn.
 * `fits` carries the previous fit on (mostly) the same rows, which the next one starts from with
 * its Hessian (logistic.ts): the same optimum in fewer steps (issue 13).
 */
function fitOn(
  rows: readonly Float64Array[],
  flat: WeightSamples,
  use: readonly number[],
  total: number,
  fits: { last?: LogisticModel },
) {
  const names = COMPONENT_IDS.map((id) => `c:${id}`);
  const model = fitRidgeLogistic(
    names,
    use.map((i) => rows[i] as Float64Array),
    use.map((i) => flat.labels[i] as number),
    { lambda: LAMBDA, offsets: use.map((i) => flat.offset[i] as number), start: fits.last },
  );
  fits.last = model;
  // Per point of the component's score; a constant or missing column (sd 0) says nothing.
  const raw = COMPONENT_IDS.map((_, k) => {
    const sd = model.sd[k] ?? 0;
    return sd > 0 ? -(model.coef[k] ?? 0) / sd : 0;
  });
  return scaleWeights(raw, total);
}

const fmt = (x: number | null | undefined) => (x === null || x === undefined ? '—' : x.toFixed(2));

export function fitComponentWeights(
  flat: WeightSamples,
  names: readonly string[],
  weighting: Weighting,
  g: { folds: number; margin: number },
): WeightsFit | null {
  const columns = componentColumns(names);
  if (columns.every((j) => j < 0) || flat.rows.length === 0) return null;
  const rows = flat.rows.map((row) => componentRow(row, columns));
  const configured = weightList(weighting.configured);
  const total = configured.reduce((s, x) => s + x, 0);
  const risk = (score: number | null) => 100 - (score ?? 50);
  const scored = (i: number, score: number | null): Scored => ({
    p: risk(score),
    label: flat.labels[i] as 0 | 1,
    group: flat.origin[i] as number,
    cluster: flat.account[i] as number,
  });
  const outOfFold: Scored[] = new Array(rows.length);
  const fits: { last?: LogisticModel } = {};
  for (let f = 0; f < g.folds; f++) {
    const train: number[] = [];
    for (let i = 0; i < rows.length; i++) if (flat.fold[i] !== f && flat.kept[i]) train.push(i);
    const weights = fitOn(rows, flat, train, total, fits) ?? configured;
    for (let i = 0; i < rows.length; i++)
      if (flat.fold[i] === f) outOfFold[i] = scored(i, scoreWith(rows[i] as Float64Array, weights, weighting.coverage));
  }
  const baseline = rows.map((row, i) => scored(i, scoreWith(row, configured, weighting.coverage)));
  const base = aucWithInterval(baseline);
  const all = rows.map((_, i) => i).filter((i) => flat.kept[i]);
  const final = fitOn(rows, flat, all, total, fits);
  const fitted = aucWithInterval(outOfFold);
  const gain = aucDifferenceWithInterval(outOfFold, baseline);
  const values: Record<string, number> = {};
  COMPONENT_IDS.forEach((id, k) => (values[id] = final?.[k] ?? weighting.configured[id]));
  const accepted =
    final !== null && (gain.difference ?? 0) >= g.margin && (gain.ci?.[0] ?? 0) > 0 && (fitted.ci?.[0] ?? 0) > 0.5;
  const theirs = weighting.userSet ? 'your weights' : 'the default weights';
  // Named apart from the churn model's AUCs: the health score itself, its weights fitted out of fold.
  const evidence = `the health score's AUC with fitted weights, out of fold, ${fmt(fitted.auc)} (95% interval ${fmt(fitted.ci?.[0])}–${fmt(fitted.ci?.[1])}) against ${fmt(base.auc)} with ${theirs}, a gain of ${fmt(gain.difference)} (95% interval ${fmt(gain.ci?.[0])} to ${fmt(gain.ci?.[1])})`;
  const note =
    final === null
      ? `Keeping ${theirs}: no component's score falls with churn on this book, so there is nothing to weigh by.`
      : accepted
        ? weighting.userSet
          ? `Keeping your weights, because you set them in Settings; weights fitted from this book's outcomes would rank churn better (${evidence}).`
          : `Using weights fitted from this book's outcomes: ${evidence}.`
        : (fitted.ci?.[0] ?? 0) <= 0.5
          ? `Keeping ${theirs}: the fitted weights show no reliable skill (${evidence}).`
          : (gain.difference ?? 0) < g.margin
            ? `Keeping ${theirs}: the fitted weights do not rank churn better by at least ${g.margin} (${evidence}).`
            : `Keeping ${theirs}: the fitted weights' gain could be chance, its interval reaches 0 (${evidence}).`;
  return {
    fitted: values,
    auc: fitted.auc,
    aucCi: fitted.ci,
    configuredAuc: base.auc,
    configuredAucCi: base.ci,
    difference: gain.difference,
    differenceCi: gain.ci,
    accepted,
    inUse: accepted && !weighting.userSet,
    note,
  };
}

/** The samples' health score (and its `score` feature) recomputed with the weights now in use. */
export function rescoreSamples(
  flat: WeightSamples & { scores: (number | null)[] },
  names: readonly string[],
  weights: Record<string, number>,
  coverage: readonly ComponentId[],
): void {
  const columns = componentColumns(names);
  const list = COMPONENT_IDS.map((id) => weights[id] ?? 0);
  const at = names.indexOf('score');
  flat.rows.forEach((row, i) => {
    const score = scoreWith(componentRow(row, columns), list, coverage);
    flat.scores[i] = score;
    if (at >= 0) (row as Float64Array)[at] = score ?? NaN;
  });
}
