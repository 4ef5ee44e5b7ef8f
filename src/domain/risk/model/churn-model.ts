/**
 * The churn model in use on a day: fitted and chosen by rolling-origin backtest (fit.ts), stored
 * per day and outcome signature (repo.ts), and applied to the accounts scored that day.
 *
 *   const model = churnModelFor(db, { asOf: '2026-03-31', fit: 'auto' });   // fit unless stored
 *   const churn = churnScorer(db, model, '2026-03-31');
 *   churn.probability('acc_1', 64, '18,45,100,,100,60,75');                  // P(churn within 90 days)
 */
import type { Db } from '../../db/open.ts';
import { COMPONENT_IDS, type ScoreConfig } from '../config.ts';
import { configRepo } from '../config-repo.ts';
import { dayNumber, dayString } from '../days.ts';
import { churnProbability, unpackComponents } from '../evaluate.ts';
import { featureStatements } from './feature-sql.ts';
import { churnDayOf } from './features.ts';
import { featureRows } from './touched-features.ts';
import { chooseModel, DEFAULT_GUARDS, type ModelChoice, type ModelMethod } from './fit.ts';
import { weightingOf, type WeightsFit } from './component-weights.ts';
import { dataKindsOn } from './data-kinds.ts';
import { type LogisticModel, predict } from './logistic.ts';
import { modelRepo } from './repo.ts';
import { ANCHOR_DAYS, fitDayFor, modelFromRow, storedModelOn } from './stored-model.ts';
import { explainRow } from './words.ts';
import { buildSamples, DEFAULT_BACKTEST, firstDataDay, type BacktestSettings } from './samples.ts';

export { ANCHOR_DAYS };

export type ModelReport = Omit<ModelChoice, 'learned' | 'curve'> & { settings: BacktestSettings };

export interface ChurnModel {
  id: number | null;
  asOf: string;
  method: ModelMethod;
  note: string;
  learned: LogisticModel | null;
  /** The curve over the health score in use when the model is not learned. */
  curve: { intercept: number; slope: number };
  report: ModelReport | null;
  createdAt: string | null;
}

/** Bumped when features or fitting change, so stored models are refitted. */
const MODEL_VERSION = 'm14';

interface Signature {
  /** Everything the fit depends on, for the exact match of a day. */
  full: string;
  /** The same without the count of accounts, for reuse on a later day with the same outcomes. */
  outcomes: string;
  churners: number;
  /** The event families the book holds (data-kinds.ts). */
  kinds: string;
  /** The newest churn day known on the day: no earlier day has the same outcomes. */
  lastChurn: string | null;
}

/** What the fit depends on: settings, configuration and the outcomes known on the day. */
export function modelSignature(db: Db, asOf: string, configVersion: number, s: BacktestSettings): Signature {
  return signaturesOf(db, configVersion, s)(asOf);
}

/** modelSignature for any day of one book, reading its accounts once (fitDayFor walks a few days). */
function signaturesOf(db: Db, configVersion: number, s: BacktestSettings): (asOf: string) => Signature {
  const accounts = featureStatements(db).accountsAll.all();
  const first = firstDataDay(db) ?? '-';
  return (asOf) => {
    const day = dayNumber(asOf);
    const kinds = dataKindsOn(db, asOf);
    let count = 0;
    let churners = 0;
    let lastChurn = -Infinity;
    for (const a of accounts) {
      if (a.created_at && dayNumber(a.created_at) > day) continue;
      count++;
      const churned = churnDayOf(a);
      if (churned !== null && churned <= day) {
        churners++;
        lastChurn = Math.max(lastChurn, churned);
      }
    }
    const head = `${MODEL_VERSION}|v${configVersion}|f${first}|h${s.horizonDays}|s${s.stepDays}|o${s.maxOrigins}|m${s.minHistoryDays}|w${s.minWindowDays}|r${s.reportDays}/${s.reportMinWindowDays}|b${s.maxAccountDays}|n${s.maxSampleAccounts}|k${kinds}`;
    const tail = `c${churners}|${lastChurn}`;
    return {
      full: `${head}|a${count}|${tail}`,
      outcomes: `${head}|${tail}`,
      churners,
      kinds,
      lastChurn: Number.isFinite(lastChurn) ? dayString(lastChurn) : null,
    };
  };
}

export interface ModelOptions {
  asOf: string;
  /**
   * true: always fit (as of the day's fit day, ANCHOR_DAYS); 'auto': fit unless that fit is stored;
   * false: read only (the newest stored on or before the day).
   */
  fit: boolean | 'auto';
  settings?: Partial<BacktestSettings>;
  now?: string;
}

/** What a fit needs, all plain data decided on the caller's thread, so a worker can fit it (fit-in-worker.ts). */
export interface FitRequest {
  asOf: string;
  config: ScoreConfig;
  settings: BacktestSettings;
  fallback: { intercept: number; slope: number };
  /** Churned accounts known on the day: none means the default curve, without reading the past days. */
  churners: number;
}

/** A model to fit and then store (storeChurnModel), or the one in use already. */
export type ModelPlan =
  | { kind: 'stored'; model: ChurnModel }
  | {
      kind: 'fit';
      request: FitRequest;
      signature: string;
      kinds: string;
      version: number;
      now?: string;
      /** false: a what-if fit (other backtest settings), returned but never stored. */
      store: boolean;
    };

/** Whether the day needs a fit, and what it needs: reads only the signature's inputs and the stored models. */
export function planChurnModel(db: Db, options: ModelOptions): ModelPlan {
  const { version, config } = configRepo(db).active();
  const fallback = { intercept: config.churnCurve.intercept, slope: config.churnCurve.slope };
  const inUseSettings: BacktestSettings = { ...DEFAULT_BACKTEST, horizonDays: config.churnCurve.horizonDays };
  const settings: BacktestSettings = { ...inUseSettings, ...options.settings };
  if (options.fit === false) return { kind: 'stored', model: storedModelOn(db, options.asOf, fallback) };
  // The model in use is the one fitted as of the day's fit day (stored-model.ts, ANCHOR_DAYS), so
  // it is the same whichever days were scored before: a stored one is only that fit kept.
  const signatureOn = signaturesOf(db, version, settings);
  const onDay = signatureOn(options.asOf);
  const asOf = fitDayFor(options.asOf, (day) => signatureOn(day).outcomes === onDay.outcomes, onDay.lastChurn);
  const sig = asOf === options.asOf ? onDay : signatureOn(asOf);
  // A what-if (other backtest settings: `score-quality --step-days`) is fitted for the report only:
  // stored, it would be read as the model in use (storedModelOn) beside the one the day ranks with.
  const whatIf = JSON.stringify(settings) !== JSON.stringify(inUseSettings);
  if (options.fit === 'auto' && !whatIf) {
    const existing = modelRepo(db).exact(asOf, sig.full);
    if (existing) return { kind: 'stored', model: modelFromRow(existing, fallback) };
  }
  const request: FitRequest = { asOf, config, settings, fallback, churners: sig.churners };
  return { kind: 'fit', request, signature: sig.full, kinds: sig.kinds, version, now: options.now, store: !whatIf };
}

/**
 * The fit itself: reads the book (never writes it), so it can run in a worker on a read-only
 * connection beside the day's pass (fit-in-worker.ts). Deterministic for the same book.
 */
export function fitChurnModel(
  db: Db,
  request: FitRequest,
  /** Called with the fitted component weights as soon as they are known (fit.ts, chooseModel). */
  onWeights?: (weights: WeightsFit | null) => void,
): ModelChoice {
  const { asOf, config, settings, fallback } = request;
  const guards = { ...DEFAULT_GUARDS, minOutcomes: config.calibration.minOutcomes };
  if (request.churners === 0) {
    onWeights?.(null);
    return noOutcomes(asOf, fallback, settings);
  }
  const samples = buildSamples(db, config, asOf, settings);
  return chooseModel(samples, fallback, settings, guards, weightingOf(config), onWeights);
}

/** The weights of a fit as they are stored with the plan's model (with the data kinds they saw). */
export function storedWeights(plan: Extract<ModelPlan, { kind: 'fit' }>, weights: WeightsFit | null) {
  return weights ? { ...weights, kinds: plan.kinds } : null;
}

/** Stores a fitted model as its fit day's, under the plan's signature (not a what-if's), and returns it as in use. */
export function storeChurnModel(db: Db, plan: Extract<ModelPlan, { kind: 'fit' }>, choice: ModelChoice): ChurnModel {
  const { asOf, settings, fallback } = plan.request;
  const { learned, curve, ...rest } = choice;
  rest.weights = storedWeights(plan, rest.weights);
  const report: ModelReport = { ...rest, settings };
  const createdAt = plan.now ?? `${asOf}T00:00:00.000Z`;
  const row = {
    as_of: asOf,
    signature: plan.signature,
    method: choice.method,
    model_json: JSON.stringify({ learned, curve }),
    report_json: JSON.stringify(report),
    config_version: plan.version,
    created_at: createdAt,
  };
  const id = plan.store ? modelRepo(db).insert(row) : null;
  return {
    id,
    asOf,
    method: choice.method,
    note: choice.note,
    learned,
    curve: curve ?? fallback,
    report,
    createdAt,
  };
}

/** The model in use on the day, fitted on this thread when it must be (planChurnModel, fitChurnModel, storeChurnModel). */
export function churnModelFor(db: Db, options: ModelOptions): ChurnModel {
  const plan = planChurnModel(db, options);
  return plan.kind === 'stored' ? plan.model : storeChurnModel(db, plan, fitChurnModel(db, plan.request));
}

/**
 * The default curve without reading the book's past days: a book with no churned account has no
 * outcome to learn from or to judge the score by, so building a sample set (the expensive part of
 * a fit: one scoring pass per past day) is skipped.
 */
function noOutcomes(
  asOf: string,
  fallback: { intercept: number; slope: number },
  settings: BacktestSettings,
): ModelChoice {
  const choice = chooseModel({ names: [], origins: [] }, fallback, settings);
  const note = `Using the default curve: no churned account is known by ${asOf}, so there is nothing to learn from yet.`;
  return { ...choice, note };
}

export interface ChurnScorer {
  model: ChurnModel;
  /**
   * P(churn within the horizon) for an account scored today, given its health score, packed
   * components and fired trigger ids (",a,b,", as the snapshot stores them).
   */
  probability(accountId: string, score: number | null, packedComponents: string, triggerIds?: string): number;
  /** The model's feature row for an account (the learned model's names), for explanations. */
  row(accountId: string, score: number | null, packedComponents: string, triggerIds?: string): Float64Array | null;
  /** The account's strongest push towards churn in words (null without a learned model or one). */
  strongest(accountId: string, score: number | null, packedComponents: string, triggerIds?: string): string | null;
}

export function churnScorer(
  db: Db,
  model: ChurnModel,
  asOf: string,
  scope: Parameters<typeof featureRows>[3] = {},
): ChurnScorer {
  const learned = model.learned;
  if (model.method !== 'learned' || !learned) {
    return {
      model,
      probability: (_id, score) => churnProbability(score, model.curve),
      row: () => null,
      strongest: () => null,
    };
  }
  // The scope's accounts only when they are few (touched-features.ts), else the whole book.
  const rows = featureRows(db, asOf, learned.names, scope);
  // Where the score, each component and each trigger go in the model's row: found once, not per account.
  const position = new Map(learned.names.map((n, j) => [n, j]));
  const scoreAt = position.get('score');
  const componentAt = COMPONENT_IDS.map((c) => position.get(`c:${c}`));
  const triggerAt = learned.names.flatMap((name, j) =>
    name.startsWith('t:') ? [[j, `,${name.slice(2)},`] as const] : [],
  );
  const row = (id: string, score: number | null, packed: string, triggerIds = ','): Float64Array | null => {
    const base = rows.get(id);
    if (!base) return null;
    // A copy (the rows of a few accounts are kept); slice, not from(): from() walks an iterator.
    const out = base.slice();
    if (scoreAt !== undefined) out[scoreAt] = score ?? NaN;
    const components = unpackComponents(packed);
    COMPONENT_IDS.forEach((c, i) => {
      const at = componentAt[i];
      if (at !== undefined) out[at] = components[c] ?? NaN;
    });
    for (const [j, id] of triggerAt) out[j] = triggerIds.includes(id) ? 1 : 0;
    return out;
  };
  return {
    model,
    row,
    strongest: (id, score, packed, triggerIds) => {
      const r = row(id, score, packed, triggerIds);
      return r ? (explainRow(learned, r, 5).find((c) => c.points > 0)?.text ?? null) : null;
    },
    probability: (id, score, packed, triggerIds) => {
      const r = row(id, score, packed, triggerIds);
      // Certainty either way is never supported by a book's outcomes: 0.1%–99% is the range shown.
      return r ? Math.min(0.99, Math.max(0.001, predict(learned, r))) : churnProbability(score, model.curve);
    },
  };
}
