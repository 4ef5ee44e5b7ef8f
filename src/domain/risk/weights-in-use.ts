/**
 * Which component weights the 0–100 health score uses on a day, and why:
 *   user     a weight in Settings differs from its default: the user's weights win, always;
 *   fitted   the churn model in use on the day fitted weights from the book's outcomes and they
 *            passed their guard (model/component-weights.ts);
 *   default  otherwise (too few outcomes, or the fit did not rank churn better).
 * The weights are those of the model in use on the day (the newest fitted on or before it), so a
 * day's scores are the same whenever it is scored again, and they change when the model is
 * refitted (new churn outcomes or a changed configuration: the model's refit rule).
 *
 *   const { config, weights } = scoringConfig(db, '2026-03-31');   // config with the weights in use
 */
import type { Db } from '../db/open.ts';
import { COMPONENT_IDS, userSetWeights, type ComponentId, type ScoreConfig } from './config.ts';
import { metaRepo } from '../db/repos/meta.ts';
import { configRepo } from './config-repo.ts';
import { historyCoverageRepo } from './history-coverage.ts';
import type { ChurnModel, ModelReport } from './model/churn-model.ts';
import { storedModelOn } from './model/stored-model.ts';
import { dataKindsOn } from './model/data-kinds.ts';

export type WeightsSource = 'fitted' | 'default' | 'user';

export interface WeightsInUse {
  source: WeightsSource;
  values: Record<ComponentId, number>;
  /** Why, in plain words (Settings and score-quality show it). */
  note: string;
}

/**
 * `kinds`: the event families the book holds now (data-kinds.ts). Weights fitted before the book
 * held a kind of data (tickets imported after the usage file) are not applied until the model is
 * refitted: they never weighed the components that data feeds.
 */
/**
 * What the weights in use are read from: a model's report (ChurnModel), or the fitted weights alone
 * before the rest of the model is known (the fit's first stage, run-model.ts).
 */
export interface WeightsCarrier {
  report: { weights: ModelReport['weights'] } | null;
}

export function weightsInUse(config: ScoreConfig, model: WeightsCarrier | null, kinds?: string): WeightsInUse {
  const configured = Object.fromEntries(COMPONENT_IDS.map((id) => [id, config.components[id].weight])) as Record<
    ComponentId,
    number
  >;
  const fit = model?.report?.weights ?? null;
  if (userSetWeights(config))
    return {
      source: 'user',
      values: configured,
      note: 'Using the weights set in Settings: weights you set always win over fitted ones (put every weight back to its default to let the book decide).',
    };
  if (fit?.inUse && kinds !== undefined && fit.kinds !== undefined && fit.kinds !== kinds)
    return {
      source: 'default',
      values: configured,
      note: 'Using the default weights until the churn model is refitted: the book now holds kinds of data the fitted weights never saw.',
    };
  if (fit?.inUse) {
    const values = Object.fromEntries(COMPONENT_IDS.map((id) => [id, fit.fitted[id] ?? 0])) as Record<
      ComponentId,
      number
    >;
    return { source: 'fitted', values, note: fit.note ?? 'Using weights fitted from this book’s outcomes.' };
  }
  return {
    source: 'default',
    values: configured,
    note:
      fit?.note ??
      'Using the default weights: the book has too few churn outcomes to fit weights from (or the churn model has not been fitted yet).',
  };
}

/** The configuration with the weights in use (segment overrides of a weight still apply on top). */
export function withWeights(config: ScoreConfig, weights: WeightsInUse): ScoreConfig {
  if (weights.source !== 'fitted') return config;
  const components = { ...config.components };
  for (const id of COMPONENT_IDS)
    (components as Record<ComponentId, { weight: number }>)[id] = {
      ...config.components[id],
      weight: weights.values[id],
    };
  return { ...config, components };
}

/**
 * The active configuration with the weights of the model in use on `asOf` (read, never fitted
 * here): `model`, else the one stored for the day (stored-model.ts, which does not load the fitting
 * code, so `foresight account` does not either).
 */
export function scoringConfig(
  db: Db,
  asOf: string,
  model?: ChurnModel,
): { version: number; config: ScoreConfig; weights: WeightsInUse; model: ChurnModel } {
  const { config } = configRepo(db).active();
  model ??= storedModelOn(db, asOf, { intercept: config.churnCurve.intercept, slope: config.churnCurve.slope });
  return { ...weighedConfig(db, asOf, model), model };
}

/** The active configuration with the weights `carrier` holds (scoringConfig; a run before its model is whole). */
export function weighedConfig(
  db: Db,
  asOf: string,
  carrier: WeightsCarrier,
): { version: number; config: ScoreConfig; weights: WeightsInUse } {
  const { version, config } = configRepo(db).active();
  const weights = weightsInUse(config, carrier, dataKindsOn(db, asOf));
  return { version, config: withWeights(config, weights), weights };
}

/**
 * Whether the stored daily history is recorded as scored with these weights (refreshHistoryOnNewWeights
 * has nothing to do): history-fill.ts asks before it trusts the coverage without a write.
 */
export function historyWeightsCurrent(db: Db, weights: WeightsInUse): boolean {
  return metaRepo(db).get(HISTORY_WEIGHTS_KEY) === weightsSignature(weights);
}

const weightsSignature = (weights: WeightsInUse) => COMPONENT_IDS.map((id) => weights.values[id]).join(',');

/** The weights the stored daily history was scored with (meta key). */
const HISTORY_WEIGHTS_KEY = 'risk.history_weights';

/**
 * Daily history rows are scored with the weights in use. When those change (a refit chose other
 * weights), every account's history is due again, so the score chart never mixes two weightings:
 * the coverage is forgotten and the run's backfill scores it again. Recorded at once: a run that
 * fails afterwards leaves the coverage forgotten, which the next run fills.
 */
export function refreshHistoryOnNewWeights(db: Db, weights: WeightsInUse): void {
  const signature = weightsSignature(weights);
  const meta = metaRepo(db);
  const stored = meta.get(HISTORY_WEIGHTS_KEY);
  if (stored === signature) return;
  // A book first scored before this key existed used its configured weights.
  if (stored !== null || weights.source === 'fitted') historyCoverageRepo(db).forgetAll(null);
  meta.set(HISTORY_WEIGHTS_KEY, signature);
}
