/**
 * Chooses the churn model for a day by rolling-origin backtest, never by in-sample fit:
 * every sample's prediction comes from a model fitted without that account (5 folds by account),
 * on origins whose horizon had closed. Three candidates, in order of preference:
 *   learned  ridge logistic regression on all features (penalty chosen by the same backtest)
 *   curve    a logistic curve over the health score alone, fitted to the book's outcomes
 *   default  the documented default curve (config.churnCurve)
 * The learned model is used only when its backtest AUC beats the health score's by a margin and
 * its 95% interval lies above 0.5; the curve only when the score's own interval lies above 0.5.
 */
import { dayNumber } from '../days.ts';
import { churnProbability } from '../evaluate.ts';
import {
  defaultWeighting,
  fitComponentWeights,
  rescoreSamples,
  type WeightsFit,
  type Weighting,
} from './component-weights.ts';
import { backtestNote, replayOrEarly, sampleNote } from './backtest-note.ts';
import { project, usableColumns } from './columns.ts';
import { columnStats, fitRidgeLogistic, predict, type ColumnStats, type LogisticModel } from './logistic.ts';
import { stableHash as hash } from './hash.ts';
import { replayNewest } from './replay.ts';
import { DEFAULT_BACKTEST, type AccountSample, type BacktestSettings, type SampleSet } from './samples.ts';
import { aucWithInterval, brierOf, calibrationTable, topDecileOf, type CalibrationBin, type Scored } from './stats.ts';

export type ModelMethod = 'learned' | 'curve' | 'default';
export type BacktestMethod = 'replayed' | 'cross-validated' | 'scored' | 'none';

export interface GuardSettings {
  minOutcomes: number;
  /** The learned model must beat the health score's backtest AUC by this much. */
  margin: number;
  folds: number;
  lambdas: number[];
  /** Training rows are capped (a deterministic subset) to keep fitting fast on large books. */
  maxTrainingRows: number;
}

export const DEFAULT_GUARDS: GuardSettings = {
  minOutcomes: 20,
  margin: 0.02,
  folds: 5,
  lambdas: [0.003, 0.03, 0.3],
  maxTrainingRows: 15_000,
};

export interface QualityFigures {
  samples: number;
  /** Churn account-days: an account that churned counts once for each past day it was seen on. */
  outcomes: number;
  /** Distinct accounts that churned: the evidence, since one churn seen on 13 past days is one churn. */
  churnedAccounts?: number;
  auc: number | null;
  aucCi: [number, number] | null;
  topDecileShare: number | null;
  topDecileRecall: number | null;
  brier: number | null;
  calibration: CalibrationBin[];
}

export interface OriginFigures extends QualityFigures {
  day: string;
  windowDays: number;
  closed: boolean;
  /** Part of the reported backtest: scored as the model in use then would have scored it (replay.ts). */
  replayed: boolean;
  /** The health score's own AUC on the same accounts, for comparison. */
  scoreAuc: number | null;
}

export interface ModelChoice {
  method: ModelMethod;
  note: string;
  learned: LogisticModel | null;
  curve: { intercept: number; slope: number } | null;
  /**
   * Figures of the method in use, overall: ranking (AUC, riskiest 10%) on the reported origins;
   * Brier score and calibration of the horizon's P(churn) on the closed origins (calibrationNote).
   */
  overall: QualityFigures;
  /** What the Brier score and calibration measure, in words, or why they cannot be judged. */
  calibrationNote: string;
  /** How the overall figures were measured, in words. */
  backtestNote: string;
  /**
   * How the overall figures were measured: replayed (each past day scored by the model as fitted
   * then), cross-validated (early: the newest past day, out of fold by account), scored (by the
   * curve in use), none (too little history).
   */
  backtestMethod: BacktestMethod;
  origins: OriginFigures[];
  candidates: Record<ModelMethod, { auc: number | null; aucCi: [number, number] | null }>;
  /** Component weights fitted from outcomes, their evidence and whether they are in use (component-weights.ts). */
  weights: WeightsFit | null;
  /**
   * The learned model's P(churn) from which an account is among the book's riskiest 10%: the 90th
   * percentile of its out-of-fold predictions on the newest past day (over the full horizon).
   */
  riskyFrom: number | null;
  /** Set when the samples came from a sample of the book's accounts (samples.ts): how many, of how many. */
  sample: AccountSample | null;
}

interface Flat {
  ids: string[];
  rows: Float64Array[];
  labels: number[];
  scores: (number | null)[];
  origin: number[];
  fold: number[];
  /** log(window / horizon): a shorter window's lower churn chance, known to the fit. */
  offset: number[];
  closed: boolean[];
  days: number[];
  churnDays: number[];
  kept: boolean[];
  /** The account's index: the bootstrap resamples accounts (stats.ts). */
  account: number[];
}

function flatten(set: SampleSet, g: GuardSettings, horizonDays: number): Flat {
  const flat: Flat = {
    ...{ ids: [], rows: [], labels: [], scores: [], origin: [], fold: [], offset: [], closed: [] },
    ...{ days: [], churnDays: [], kept: [], account: [] },
  };
  const accountIndex = new Map<string, number>();
  const total = set.origins.reduce((sum, o) => sum + o.ids.length, 0);
  set.origins.forEach((o, k) => {
    const offset = Math.log(o.windowDays / horizonDays);
    const day = dayNumber(o.day);
    o.ids.forEach((id, i) => {
      flat.ids.push(id);
      flat.rows.push(o.rows[i] as Float64Array);
      flat.labels.push(o.labels[i] as number);
      flat.scores.push(o.scores[i] ?? null);
      flat.origin.push(k);
      flat.fold.push(hash(id) % g.folds);
      flat.offset.push(offset);
      flat.closed.push(o.windowDays >= horizonDays);
      flat.days.push(day);
      flat.churnDays.push(o.churnDays[i] ?? NaN);
      flat.kept.push(keep(id, total, g));
      if (!accountIndex.has(id)) accountIndex.set(id, accountIndex.size);
      flat.account.push(accountIndex.get(id) as number);
    });
  });
  return flat;
}

/**
 * Each fold's training columns' means and deviations, by the rows they are of: the same at every
 * penalty, so found once (performance, issue 13: a pass over every training row per fit).
 */
const foldStats = new WeakMap<readonly Float64Array[], ColumnStats[]>();

/** Out-of-fold predictions of a model family: fit on the other folds, predict the held-out one. */
function outOfFold(
  flat: Flat,
  rows: readonly Float64Array[],
  names: readonly string[],
  lambda: number,
  g: GuardSettings,
  starts?: (LogisticModel | undefined)[],
): Float64Array {
  const out = new Float64Array(rows.length);
  const stats = foldStats.get(rows) ?? [];
  foldStats.set(rows, stats);
  for (let f = 0; f < g.folds; f++) {
    const train: number[] = [];
    for (let i = 0; i < rows.length; i++) if (flat.fold[i] !== f && flat.kept[i]) train.push(i);
    const trainRows = train.map((i) => rows[i] as Float64Array);
    stats[f] ??= columnStats(trainRows, names.length);
    const model = fitRidgeLogistic(
      names,
      trainRows,
      train.map((i) => flat.labels[i] as number),
      // Without a fit of this fold yet, the previous fold's (3/5 of the same rows) is a close start.
      {
        lambda,
        offsets: train.map((i) => flat.offset[i] as number),
        start: starts?.[f] ?? starts?.[f - 1],
        stats: stats[f],
      },
    );
    if (starts) starts[f] = model;
    for (let i = 0; i < rows.length; i++)
      if (flat.fold[i] === f) out[i] = predict(model, rows[i] as Float64Array, flat.offset[i]);
  }
  return out;
}

/** Distinct accounts that churned within their window on at least one past day. */
function churnedAccounts(flat: Flat): number {
  const seen = new Set<number>();
  flat.labels.forEach((y, i) => {
    if (y === 1) seen.add(flat.account[i] as number);
  });
  return seen.size;
}

function keep(id: string, total: number, g: GuardSettings): boolean {
  if (total <= g.maxTrainingRows) return true;
  return hash(`${id}#train`) % 1_000_000 < (g.maxTrainingRows / total) * 1_000_000;
}

export function figures(samples: readonly Scored[], reps = 200): QualityFigures {
  const { auc, ci } = aucWithInterval(samples, { reps });
  const top = topDecileOf(samples);
  const outcomes = samples.reduce((s, x) => s + x.label, 0);
  // Without a single churn there is nothing to judge probabilities against: a Brier score near 0
  // and every tenth "agreeing" with 0% observed would read as a pass (cannot judge instead).
  const judged = outcomes > 0;
  const churned = new Set<number>();
  samples.forEach((x, i) => {
    if (x.label === 1) churned.add(x.cluster ?? -1 - i);
  });
  return {
    samples: samples.length,
    outcomes,
    churnedAccounts: churned.size,
    auc,
    aucCi: ci,
    topDecileShare: top?.share ?? null,
    topDecileRecall: top?.recall ?? null,
    brier: judged ? brierOf(samples) : null,
    calibration: judged ? calibrationTable(samples) : [],
  };
}

/** The samples of one origin, or of several, or of all ('all'). */
const scoredOf = (flat: Flat, p: ArrayLike<number>, only: number | readonly number[] | 'all'): Scored[] => {
  const out: Scored[] = [];
  const wanted = (k: number) => (only === 'all' ? true : typeof only === 'number' ? k === only : only.includes(k));
  for (let i = 0; i < flat.labels.length; i++)
    if (wanted(flat.origin[i] as number))
      out.push({
        p: p[i] as number,
        label: flat.labels[i] as 0 | 1,
        group: flat.origin[i] as number,
        cluster: flat.account[i] as number,
      });
  return out;
};

export function chooseModel(
  set: SampleSet,
  defaultCurve: { intercept: number; slope: number },
  s: BacktestSettings = DEFAULT_BACKTEST,
  g: GuardSettings = DEFAULT_GUARDS,
  weighting: Weighting = defaultWeighting(),
  onWeights?: (weights: WeightsFit | null) => void,
): ModelChoice {
  const horizonDays = s.horizonDays;
  const flat = flatten(set, g, horizonDays);
  // Weights first: when fitted ones are in use, the health score every candidate below is judged
  // and fitted on is the score the engine will show (the samples are rescored with them).
  // The evidence to learn from is churned customers, not account-days: one churn seen on 13 past
  // days would otherwise pass for 13 outcomes (QA: 4 churned accounts read as "28 churn outcomes").
  const churned = churnedAccounts(flat);
  const enough = set.origins.length > 0 && churned >= g.minOutcomes;
  const weights = enough ? fitComponentWeights(flat, set.names, weighting, g) : null;
  // All a day's pass needs of the model: it may start now, beside the rest of the fit (run-model.ts).
  onWeights?.(weights);
  if (weights?.inUse) rescoreSamples(flat, set.names, weights.fitted, weighting.coverage);
  // The reported backtest without a learned model: every origin with enough of its window seen,
  // scored by the curve in use (out of fold when fitted). A curve barely changes from one day to
  // the next, so there is nothing to replay, and more days make a steadier figure.
  const seen = set.origins
    .map((o, k) => ({ k, o }))
    .filter(({ o }) => o.windowDays >= s.reportMinWindowDays)
    .map(({ k }) => k);
  // Young books: no past day has enough of its window seen. The newest past day then stands in
  // (an early estimate, said so in the note), rather than nothing: a young book is when a CSM
  // most needs to know whether the ranking can be trusted yet.
  const early = seen.length === 0 && set.origins.length > 0;
  if (early) seen.push(set.origins.length - 1);
  const churnDays = flat.labels.reduce((s, y) => s + y, 0);
  const evidence = `${churned} churned account${churned === 1 ? '' : 's'} (${churnDays} churn account-day${churnDays === 1 ? '' : 's'})`;
  const defaultP = Float64Array.from(flat.scores, (s) => churnProbability(s, defaultCurve));
  // The guard judges every origin the model learns from (AUC is a within-window rank figure);
  // the reported backtest is the closed origins only.
  const defaultAll = figures(scoredOf(flat, defaultP, 'all'));
  const candidates: ModelChoice['candidates'] = {
    default: { auc: defaultAll.auc, aucCi: defaultAll.aucCi },
    curve: { auc: null, aucCi: null },
    learned: { auc: null, aucCi: null },
  };
  // The calibration check: only past days whose whole window was seen, where the P(churn) the app
  // shows (over the horizon, no window offset) meets the outcomes over that same horizon.
  const closed = set.origins.flatMap((o, k) => (o.windowDays >= horizonDays ? [k] : []));
  const result = (
    method: ModelMethod,
    note: string,
    p: ArrayLike<number>,
    extra: Partial<ModelChoice> = {},
    reported: { p: ArrayLike<number>; origins: number[] } = { p, origins: seen },
    calibrationP: ArrayLike<number> = p,
  ): ModelChoice => ({
    method,
    note,
    learned: null,
    curve: null,
    ...overallOf(flat, reported, { p: calibrationP, origins: closed, horizonDays, outOfSample: method === 'learned' }),
    backtestMethod:
      reported.origins.length === 0
        ? 'none'
        : method !== 'learned'
          ? 'scored'
          : reported.origins === seen
            ? 'cross-validated'
            : 'replayed',
    backtestNote:
      backtestNote(set, reported.origins, horizonDays, method, {
        early,
        crossValidated: method === 'learned' && reported.origins === seen,
      }) + sampleNote(set.sample),
    origins: set.origins.map((o, k) => ({
      day: o.day,
      windowDays: o.windowDays,
      closed: o.windowDays >= horizonDays,
      replayed: reported.origins.includes(k),
      ...figures(scoredOf(flat, reported.origins.includes(k) ? reported.p : p, k), 100),
      scoreAuc: figures(scoredOf(flat, defaultP, k), 0).auc,
    })),
    candidates,
    weights,
    riskyFrom: null,
    sample: set.sample ?? null,
    ...extra,
  });
  if (set.origins.length === 0)
    return result(
      'default',
      set.daysWithoutData
        ? `Using the default curve: no account had fresh data on the past days the backtest would score (stale or no data is no evidence), so there is nothing to judge.`
        : `Using the default curve: there is too little history to judge (no past day with at least ${s.minWindowDays} days of outcomes seen).`,
      defaultP,
    );
  if (churned < g.minOutcomes)
    return result(
      'default',
      `Using the default curve: ${evidence} after the past days scored, ${g.minOutcomes} churned accounts needed to learn from.`,
      defaultP,
    );
  const offsets = flat.offset;

  // The curve over the health score alone (the candidate when the learned model fails its guard).
  const scoreRows = flat.scores.map((s) => Float64Array.of(s ?? NaN));
  const curveP = outOfFold(flat, scoreRows, ['score'], 1e-4, g);
  const curveFigures = figures(scoredOf(flat, curveP, 'all'));
  candidates.curve = { auc: curveFigures.auc, aucCi: curveFigures.aucCi };

  // The learned model: penalty chosen by the backtest's AUC.
  const columns = usableColumns(flat.rows, set.names);
  const names = columns.map((j) => set.names[j] as string);
  const rows = project(flat.rows, columns);
  let best: { lambda: number; p: Float64Array; auc: number; start: LogisticModel | undefined } | null = null;
  // Each fold's fit starts from the same fold's fit at the previous penalty: the solutions are
  // close, so Newton needs a few steps instead of a dozen (the fit's cost is these 15 fits).
  const starts: (LogisticModel | undefined)[] = [];
  for (const lambda of g.lambdas) {
    const p = outOfFold(flat, rows, names, lambda, g, starts);
    const auc = figures(scoredOf(flat, p, 'all'), 0).auc ?? 0;
    if (!best || auc > best.auc + 1e-9) best = { lambda, p, auc, start: starts[0] };
    // Performance: the penalties rise, and once the backtest gets worse a stronger penalty only
    // shrinks the model further (a fifth of the fit's Newton work saved when the weakest wins).
    else break;
  }
  const recalibration = recalibrate(flat, best!.p, g);
  best!.p = recalibration.p;
  const learnedFigures = figures(scoredOf(flat, best!.p, 'all'));
  candidates.learned = { auc: learnedFigures.auc, aucCi: learnedFigures.aucCi };

  const scoreAuc = defaultAll.auc ?? 0.5;
  const learnedAuc = learnedFigures.auc ?? 0;
  const fmt = (x: number | null) => (x === null ? '—' : x.toFixed(2));
  const days = `${set.origins.length} past day${set.origins.length === 1 ? '' : 's'}`;
  // Named apart from the headline backtest AUC (replayed or scored days) and the weights' own check:
  // this one chose the model, cross-validated by account over every past day pooled.
  const selection = `model-selection AUC (cross-validated by account over all ${days})`;
  const alone = `for the health score alone${weights?.inUse ? ' (its weights fitted on the same days)' : ''}`;
  // The interval must clear both chance and the health score: a book whose churn is noise can
  // still show a cross-validated AUC a little above 0.5 after the penalty was picked among several.
  const lower = learnedFigures.aucCi?.[0] ?? 0;
  if (learnedAuc >= scoreAuc + g.margin && lower > 0.5 && lower > scoreAuc) {
    const train = flat.rows.map((_, i) => i).filter((i) => flat.kept[i]);
    const unscaled = fitRidgeLogistic(
      names,
      train.map((i) => rows[i] as Float64Array),
      train.map((i) => flat.labels[i] as number),
      // Started from a fold's fit at the same penalty (4/5 of the rows): a few Newton steps.
      { lambda: best!.lambda, offsets: train.map((i) => offsets[i] as number), start: best!.start },
    );
    // The fit itself (not a copy) starts the replays below, so they start from its Hessian too
    // (logistic.ts): a few gradient passes each instead of two sampled and two full Hessians.
    const learned = {
      ...unscaled,
      intercept: recalibration.a + recalibration.b * unscaled.intercept,
      coef: unscaled.coef.map((c) => recalibration.b * c),
    };
    return result(
      'learned',
      `Using the model learned from this book: ${selection} ${fmt(learnedAuc)} against ${fmt(scoreAuc)} ${alone}, from ${evidence}.`,
      best!.p,
      { learned, weights, riskyFrom: riskiestDecileFrom(flat, best!.p) },
      replayOrEarly(
        replayNewest(flat, rows, names, best!.lambda, defaultCurve, {
          horizonDays,
          minWindowDays: s.minWindowDays,
          reportMinWindowDays: s.reportMinWindowDays,
          days: s.reportDays,
          minOutcomes: g.minOutcomes,
          start: unscaled,
        }),
        { p: best!.p, origins: seen },
      ),
      recalibration.outOfSample,
    );
  }
  const interval = `${fmt(learnedFigures.aucCi?.[0] ?? null)}–${fmt(learnedFigures.aucCi?.[1] ?? null)}`;
  const why =
    lower <= 0.5
      ? `the learned model shows no reliable skill (${selection} ${fmt(learnedAuc)}, 95% interval ${interval} includes 0.5)`
      : learnedAuc < scoreAuc + g.margin
        ? `the learned model (${selection} ${fmt(learnedAuc)}) does not beat the health score (${fmt(scoreAuc)}) by ${g.margin}`
        : `the learned model's 95% interval (${interval}) does not lie above the health score's AUC (${fmt(scoreAuc)})`;
  if ((curveFigures.aucCi?.[0] ?? 0) > 0.5) {
    const curveModel = fitRidgeLogistic(['score'], scoreRows, flat.labels, { lambda: 1e-4, offsets });
    const slope = (curveModel.coef[0] ?? 0) / ((curveModel.sd[0] ?? 0) || 1);
    const intercept = curveModel.intercept - slope * (curveModel.mean[0] ?? 0);
    return result('curve', `Using a curve over the health score fitted to this book's outcomes: ${why}.`, curveP, {
      curve: { intercept, slope },
      weights,
    });
  }
  return result(
    'default',
    `Using the default curve: ${why}, and the health score's own backtest interval (${fmt(curveFigures.aucCi?.[0] ?? null)}–${fmt(curveFigures.aucCi?.[1] ?? null)}) includes 0.5, so the book's outcomes show no skill to learn from.`,
    defaultP,
    { weights },
  );
}

/**
 * The reported figures: ranking (AUC, riskiest tenth) from the reported predictions; Brier score
 * and calibration from the closed origins only, whose predictions are the horizon's P(churn) the
 * app shows (a shorter window's offset would judge another probability), out of sample (the
 * learned model's recalibration fitted without each account's fold). A replayed or 28-day figure
 * under "within 90 days" certified probabilities it never measured (QA: off by 2× in half the
 * tenths on OULAD's day 90, where no 90-day window had closed yet).
 */
function overallOf(
  flat: Flat,
  reported: { p: ArrayLike<number>; origins: number[] },
  check: { p: ArrayLike<number>; origins: number[]; horizonDays: number; outOfSample: boolean },
): { overall: QualityFigures; calibrationNote: string } {
  const ranked = figures(scoredOf(flat, reported.p, reported.origins));
  const judged = check.origins.length > 0 ? figures(scoredOf(flat, check.p, check.origins), 0) : null;
  const overall = { ...ranked, brier: judged?.brier ?? null, calibration: judged?.calibration ?? [] };
  return { overall, calibrationNote: calibrationNote(flat, check, judged) };
}

function calibrationNote(
  flat: Flat,
  check: { origins: number[]; horizonDays: number; outOfSample: boolean },
  judged: QualityFigures | null,
): string {
  const h = check.horizonDays;
  if (!judged)
    return `Calibration cannot be judged yet: no past day has its whole ${h}-day outcome window seen, so the ${h}-day P(churn) has nothing to be compared with.`;
  const days = `${check.origins.length} past day${check.origins.length === 1 ? '' : 's'}`;
  if (judged.calibration.length === 0)
    return `Calibration cannot be judged: no churn within ${h} days after the ${days} whose whole window was seen.`;
  const accounts = new Set<number>();
  for (let i = 0; i < flat.origin.length; i++)
    if (check.origins.includes(flat.origin[i] as number)) accounts.add(flat.account[i] as number);
  const n = (x: number) => x.toLocaleString('en-US');
  return `Calibration of the ${h}-day P(churn) on the ${days} whose whole ${h}-day window was seen (${n(accounts.size)} accounts, ${n(judged.samples)} account-days)${check.outOfSample ? ', each prediction recalibrated without its own account' : ''}.`;
}

/** The 90th percentile of the newest origin's predictions, each put on the full horizon (offset removed). */
function riskiestDecileFrom(flat: Flat, p: Float64Array): number | null {
  const newest = Math.max(...flat.origin);
  const full: number[] = [];
  for (let i = 0; i < p.length; i++)
    if (flat.origin[i] === newest) {
      const q = p[i] as number;
      full.push(1 / (1 + Math.exp(-(Math.log(q / (1 - q)) - (flat.offset[i] as number)))));
    }
  if (full.length < 10) return null;
  full.sort((a, b) => a - b);
  return full[Math.floor(full.length * 0.9)] as number;
}

/**
 * Ridge shrinks log-odds towards the mean, so the learned model's out-of-fold predictions are
 * recalibrated (Platt): churn is regressed on their log-odds, a + b × log-odds, and the fitted
 * model's coefficients are scaled by the same a and b (a linear map of log-odds is still a
 * logistic model, so contributions stay additive).
 */
export function recalibrate(
  flat: Flat,
  p: Float64Array,
  g: GuardSettings,
): { a: number; b: number; p: Float64Array; outOfSample: Float64Array } {
  const eta = Array.from(p, (q, i) => Math.log(q / (1 - q)) - (flat.offset[i] as number));
  const apply = (map: { a: number; b: number }, i: number) =>
    1 / (1 + Math.exp(-(map.a + map.b * (eta[i] as number) + (flat.offset[i] as number))));
  const all = plattMap(flat, eta, () => true);
  const inSample = Float64Array.from(eta, (_, i) => apply(all, i));
  // For the calibration check: each fold's predictions recalibrated by a map fitted on the other
  // folds, so no prediction is judged by a recalibration that saw its own outcome.
  const maps = Array.from({ length: g.folds }, (_, f) => plattMap(flat, eta, (i) => flat.fold[i] !== f));
  const outOfSample = Float64Array.from(eta, (_, i) => apply(maps[flat.fold[i] as number] ?? all, i));
  return { ...all, p: inSample, outOfSample };
}

/** Platt's a and b fitted on the rows `use` keeps (identity when the fit fails or inverts). */
function plattMap(flat: Flat, eta: readonly number[], use: (i: number) => boolean): { a: number; b: number } {
  const rows: number[] = [];
  for (let i = 0; i < eta.length; i++) if (use(i)) rows.push(i);
  const fit = fitRidgeLogistic(
    ['eta'],
    rows.map((i) => Float64Array.of(eta[i] as number)),
    rows.map((i) => flat.labels[i] as number),
    { lambda: 1e-4, offsets: rows.map((i) => flat.offset[i] as number) },
  );
  const sd = fit.sd[0] ?? 0;
  if (!(sd > 0) || !fit.converged) return { a: 0, b: 1 };
  const b = (fit.coef[0] ?? 0) / sd;
  const a = fit.intercept - b * (fit.mean[0] ?? 0);
  return b > 0 ? { a, b } : { a: 0, b: 1 };
}
