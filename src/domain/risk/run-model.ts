/**
 * The churn model a scoring run scores with, decided before its pass (prepareRun in score-all.ts):
 * the model's fitted component weights are the weights the day is scored with (weights-in-use.ts),
 * so the pass cannot start before the model is known.
 *
 * When the model must be fitted, the fit runs in a worker thread (model/fit-in-worker.ts) and this
 * thread meanwhile fills the series cache for the book's first chunks, in the pass's order, as the
 * pass itself would have (warmSeriesCache). The pass then reads those chunks from the cache instead
 * of walking their metric rows: the work that does not depend on the weights is done on the other
 * core while the fit runs (issue 13, a fresh book's first run). The worker reads the book as it was
 * before this thread wrote anything (its read transaction), so the fit's inputs are those of a fit
 * run first on this thread, and the cache holds exactly what `metrics` holds (series-cache.ts).
 * Once the fit is done, the worker walks the pass's uncached chunks ahead of it (series-prefetch.ts).
 *
 *   const model = modelForRun(db, { asOf: '2026-03-31', fit: 'auto', historyDays: 90, calibrate: 'auto' });
 */
import type { Db } from '../db/open.ts';
import { configRepo } from './config-repo.ts';
import { effectiveTriggers } from './config.ts';
import { dayNumber, dayString } from './days.ts';
import { bundleReader, type LoadWindow } from './load.ts';
import { planChurnModel, storeChurnModel, storedWeights, type ChurnModel } from './model/churn-model.ts';
import { fitBeside, type FitBeside } from './model/fit-in-worker.ts';
import type { PrefetchFeed } from './series-prefetch.ts';
import { firstScoredDay, lookbacks, planCalibration } from './score-plan.ts';
import { MetricAggregator } from './series-aggregates.ts';
import { cachePlan, type SeriesCachePlan } from './series-cache.ts';
import { riskStore } from './store.ts';
import type { WeightsCarrier } from './weights-in-use.ts';

export interface RunModelOptions {
  asOf: string;
  fit: boolean | 'auto';
  now?: string;
  /** The run's history days and calibration wish: what its pass will read (warmPlan). */
  historyDays: number;
  calibrate?: boolean | 'auto';
  chunkSize: number;
  /** false: fit on this thread (tests compare the two). */
  worker?: boolean;
  /**
   * The fit worker also reads the pass's uncached series beside it (series-prefetch.ts): for a
   * caller that runs the pass and ends the feed (scoreAll). Default false.
   */
  prefetch?: boolean;
}

/** What the warm-up reads: the pass's chunks' series, kept by the cache plan the pass will use. */
interface WarmPlan {
  window: LoadWindow;
  cache: SeriesCachePlan;
}

/**
 * The window that fills the cache as the pass will read it, or null when the pass may read from
 * earlier than the cache keeps (a history window longer than the calibration's): warming would
 * then be work the pass does again. Computed without the weights (they only weigh components), and
 * with the longest history backfill the pass can have, since which days it backfills depends on them.
 */
export function warmPlan(db: Db, options: RunModelOptions): WarmPlan | null {
  const { version, config } = configRepo(db).active();
  const triggers = effectiveTriggers(config);
  const asOfDay = dayNumber(options.asOf);
  const plan = planCalibration(db, riskStore(db), config, version, options.asOf, options.calibrate);
  const historyDays = Math.max(0, Math.min(400, Math.floor(options.historyDays)));
  const backfillFrom = historyDays <= 1 ? null : asOfDay - historyDays + 1;
  const earliest = firstScoredDay(config, asOfDay, backfillFrom, plan);
  const reach = lookbacks(config, triggers).metrics;
  const aggregatesFrom = new MetricAggregator(asOfDay).from;
  const cache = cachePlan(asOfDay, config, reach, aggregatesFrom);
  if (Math.min(earliest - reach, aggregatesFrom) < cache.keepFrom) return null;
  return {
    // Metrics from the cache's first day (no later than the aggregates'); only the series are read.
    window: {
      metricsFrom: cache.keepFrom,
      eventsFrom: asOfDay + 1,
      to: asOfDay,
      liveOnly: !plan?.fit,
      churnedSince: backfillFrom ?? undefined,
    },
    cache,
  };
}

/** Accounts in lo…hi (every account: no bounds) whose series the cache does not hold from the plan's first day. */
function uncachedCounter(db: Db, plan: WarmPlan) {
  const sql = (where: string) =>
    `SELECT count(*) FROM accounts a WHERE ${where}
       NOT EXISTS (SELECT 1 FROM series_cache s WHERE s.account_id = a.account_id AND s.from_day <= @from)`;
  const inRange = db
    .prepare<{ lo: string; hi: string; from: string }, number>(sql('a.account_id >= @lo AND a.account_id <= @hi AND'))
    .pluck();
  const all = db.prepare<{ from: string }, number>(sql('')).pluck();
  const from = dayString(plan.cache.keepFrom);
  return (lo?: string, hi?: string) =>
    (lo !== undefined && hi !== undefined ? inRange.get({ lo, hi, from }) : all.get({ from })) ?? 0;
}

/**
 * Fills the series cache, chunk by chunk in the pass's order, until `stop()` says so. A chunk whose
 * accounts are mostly cached already is skipped (the pass reads it from the cache anyway).
 * Returns the accounts whose chunk was read.
 */
export function warmSeriesCache(db: Db, plan: WarmPlan, chunkSize: number, stop: () => boolean): number {
  const ids = db.prepare<[], string>('SELECT account_id FROM accounts ORDER BY account_id').pluck().all();
  const uncached = uncachedCounter(db, plan);
  const reader = bundleReader(db);
  const readRange = db.transaction((lo: string, hi: string) => reader.warm(lo, hi, plan.window, plan.cache));
  let warmed = 0;
  for (let offset = 0; offset < ids.length && !stop(); offset += chunkSize) {
    const chunk = ids.slice(offset, offset + chunkSize);
    const lo = chunk[0] as string;
    const hi = chunk[chunk.length - 1] as string;
    if (uncached(lo, hi) * 2 <= chunk.length) continue;
    readRange.immediate(lo, hi);
    warmed += chunk.length;
  }
  return warmed;
}

/** The churn model of a run: the weights before the pass, the model itself after it. */
export interface RunModel {
  /** The component weights the pass scores with, as weightsInUse reads them off a model (weights-in-use.ts). */
  weights: WeightsCarrier;
  /** The model in use on the day, stored: waits for the rest of the fit when it is not done. Once. */
  model(): ChurnModel;
  /** Where the model comes from: stored already, or fitted in the worker or on this thread (tests, logs). */
  readonly from: 'stored' | FitBeside['where'];
  /** The pass's series read by the fit worker beside it, when asked for and fitted there (the pass ends it). */
  readonly prefetch: PrefetchFeed | null;
}

/**
 * The model in use on the run's day: stored, or fitted and stored. The fit runs in a worker
 * (fit-in-worker.ts), in two stages: its component weights come first (the samples and the
 * weights, about half the fit), and this returns with them, so the pass scores beside the rest of
 * the fit (the learned model, its backtest and replay), which model() waits for at the end of the
 * run. While the first stage runs, a fresh book's first run fills the series cache here (a chunk's
 * worth of accounts it does not hold); a day that refits with the cache in place just waits.
 */
export function modelForRun(db: Db, options: RunModelOptions): RunModel {
  const plan = planChurnModel(db, { asOf: options.asOf, fit: options.fit, now: options.now });
  if (plan.kind === 'stored') return { weights: plan.model, model: () => plan.model, from: 'stored', prefetch: null };
  const warm = warmPlan(db, options);
  const worthIt = warm !== null && uncachedCounter(db, warm)() >= options.chunkSize;
  const fit = fitBeside(db, plan.request, { worker: options.worker !== false, prefetch: options.prefetch ?? false });
  if (warm && worthIt && fit.where === 'worker') warmSeriesCache(db, warm, options.chunkSize, fit.weightsReady);
  const weights = storedWeights(plan, fit.weights());
  let model: ChurnModel | undefined;
  return {
    weights: { report: { weights } },
    model: () => (model ??= storeChurnModel(db, plan, fit.result())),
    from: fit.where,
    prefetch: fit.prefetch,
  };
}
