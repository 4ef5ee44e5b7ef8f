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
import { COMPONENT_IDS, type ComponentId, type ScoreConfig } from './config.ts';
import { configRepo } from './config-repo.ts';
import { churnModelFor, type ChurnModel } from './model/churn-model.ts';
import { userSetWeights } from './model/component-weights.ts';

export type WeightsSource = 'fitted' | 'default' | 'user';

export interface WeightsInUse {
  source: WeightsSource;
  values: Record<ComponentId, number>;
  /** Why, in plain words (Settings and score-quality show it). */
  note: string;
}

export function weightsInUse(config: ScoreConfig, model: ChurnModel | null): WeightsInUse {
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

/** The active configuration with the weights of the model in use on `asOf` (read, never fitted here). */
export function scoringConfig(
  db: Db,
  asOf: string,
  model: ChurnModel = churnModelFor(db, { asOf, fit: false }),
): { version: number; config: ScoreConfig; weights: WeightsInUse; model: ChurnModel } {
  const { version, config } = configRepo(db).active();
  const weights = weightsInUse(config, model);
  return { version, config: withWeights(config, weights), weights, model };
}
