/**
 * scoreAll: score, explain, rank and sync risk items for the whole book (or some accounts) as of a
 * day. One streaming pass reads the data a chunk of accounts at a time in primary-key order
 * (see load.ts); everything for the day is written in one transaction at the end, so readers see
 * either the previous ranking or the new one. History backfill rows, which can number millions,
 * are written per chunk instead, each chunk in its own transaction.
 *
 *   scoreAll(db, { asOf: '2026-03-31' })                          // the daily run: every account
 *   scoreAll(db, { asOf: '2026-03-31', accountIds: ['acc_1'] })   // after a sync: changed accounts only
 *   scoreAll(db, { asOf: '2026-03-31', historyDays: 90 })         // also fill each account's 90 days of history
 *
 * Without historyDays a run writes the day and keeps each account's history contiguous (the days
 * after its stored range that the run's window holds); the app's runs leave the rest of the history
 * to history-fill.ts, after the ranked list is stored.
 *
 * The steps, in order: prepareRun (what the run decides before reading), readBook → scoreAccount
 * (the pass; score-account.ts), resolveCurve (the churn curve in use), writeDay (one transaction).
 */
import { isIsoDay } from '../contract/dates.ts';
import type { Db } from '../db/open.ts';
import { metaRepo } from '../db/repos/meta.ts';
import { UserFacingError } from '../errors.ts';
import type { AccountBundle } from './bundle.ts';
import { effectiveTriggers } from './config.ts';
import { refreshHistoryOnNewWeights, weighedConfig } from './weights-in-use.ts';
import { dataAgeRepo } from './data-age-repo.ts';
import { dayNumber } from './days.ts';
import { historyCoverageRepo } from './history-coverage.ts';
import { itemsRepo, type ItemChanges, type RiskItemRow } from './items.ts';
import { bundleReader } from './load.ts';
import { eventFoldFor } from './event-aggregates.ts';
import { passReclaimer } from './reclaim.ts';
import { withAccountAggregates, withMetricAggregates } from './model/feature-sql.ts';
import { MetricAggregator } from './series-aggregates.ts';
import { cachePlan } from './series-cache.ts';
import type { PrefetchFeed } from './series-prefetch.ts';
import { scoreAccount } from './score-account.ts';
import type { Pass, Run } from './score-run.ts';
import { modelForRun } from './run-model.ts';
import { resolveCurve, writeDay } from './score-write.ts';
import {
  firstScoredDay,
  holdoutShares,
  itemsLive,
  ITEMS_SYNCED_KEY,
  lookbacks,
  planCalibration,
} from './score-plan.ts';
import { riskStore, type ScoreRow } from './store.ts';
import { assertNoOpenFirstPull } from '../feed/first-pull.ts';

export { holdoutShares, lookbacks, statusOn, type AccountStatusOn } from './score-plan.ts';
export type { Pass, PendingAccount, Run } from './score-run.ts';

export interface ScoreAllOptions {
  /** The evaluation day, YYYY-MM-DD. Nothing after it is read. */
  asOf: string;
  /** Only these accounts (after a sync); null or absent means the whole book. */
  accountIds?: readonly string[] | null;
  /**
   * Make sure this many days of daily score history exist for the accounts read: days not yet
   * scored under the current configuration are computed in the same pass. Default 0: the run then
   * only extends each account's contiguous history to the day (history-fill.ts fills the rest).
   */
  historyDays?: number;
  /** The instant written on risk items and runs. Default: the as-of day at 00:00Z (reproducible). */
  now?: string;
  /**
   * The real current day (YYYY-MM-DD). Only a run for today or for the newest data day moves the
   * live risk items (itemsLive). Default: the day of `now` (the jobs pass the wall clock), else the
   * as-of day, so a run given only a day behaves as that day's live run.
   */
  today?: string;
  /**
   * Fit the churn curve from the book's outcomes in the same pass (whole-book runs only): true
   * always, 'auto' unless it was already fitted for this day and these outcomes. Default false:
   * the latest stored curve (or the configured default) is used. The scoring job passes 'auto'.
   */
  calibrate?: boolean | 'auto';
  /** Accounts per read. Default 1,000. */
  chunkSize?: number;
  /** false: fit the churn model on this thread, before the pass (tests compare the two; run-model.ts). */
  fitWorker?: boolean;
  /** The fit worker reads the pass's series beside it (series-prefetch.ts; default true); tests pass a feed. */
  prefetch?: boolean | PrefetchFeed;
  onProgress?: (processed: number, total: number) => void;
  /**
   * Called as the run enters each of its parts (SCORE_STAGES), with the number of accounts it reads
   * once that is known (null for the model's part), so a progress line can say what a wait is for:
   * a first run spends seconds readying the model before its first account and seconds writing
   * after its last (about 5 and 4 s at 50,000 accounts).
   */
  onStage?: (stage: ScoreStage, accounts: number | null) => void;
}

/**
 * A run's parts, in order: the churn model readied (its fit started, the series cache warmed), the
 * accounts scored (onProgress counts them), the day's features and ranked list written.
 */
export const SCORE_STAGES = ['model', 'accounts', 'write'] as const;
export type ScoreStage = (typeof SCORE_STAGES)[number];

export interface ScoreAllResult {
  asOf: string;
  scope: 'full' | 'accounts';
  /** Accounts read. */
  accounts: number;
  /** Active accounts scored and written to the snapshot. */
  scored: number;
  atRisk: number;
  /** `synced`: whether the run moved the live risk items; `reason`: why (or why not), in words. */
  items: ItemChanges & { synced: boolean; reason: string };
  /** Active accounts whose newest data is older than the limit (no band). */
  stale: number;
  /** Active accounts with no data to score yet (no band, "no data"). */
  noData: number;
  historyRows: number;
  calibration: {
    id: number | null;
    method: 'default' | 'logistic';
    outcomes: number;
    auc: number | null;
    reused: boolean;
  };
  configVersion: number;
  ms: number;
  /** Milliseconds spent reading, evaluating (with the churn-curve fit) and writing. */
  timings: { read: number; evaluate: number; write: number };
  /** With the series read beside the pass (series-prefetch.ts): chunks taken, walked here, refused. */
  prefetched?: { taken: number; missed: number; refused: boolean };
}

function groupByAccount(rows: readonly RiskItemRow[]): Map<string, RiskItemRow[]> {
  const out = new Map<string, RiskItemRow[]>();
  for (const item of rows) {
    const list = out.get(item.account_id);
    if (list) list.push(item);
    else out.set(item.account_id, [item]);
  }
  return out;
}

function prepareRun(db: Db, options: ScoreAllOptions): Run {
  const { asOf } = options;
  const today = options.today ?? (options.now ? options.now.slice(0, 10) : asOf);
  for (const day of [asOf, today])
    if (!isIsoDay(day))
      throw new UserFacingError('INVALID_DATE', `The as-of date must be a real date as YYYY-MM-DD, not "${day}".`);
  const full = options.accountIds === undefined || options.accountIds === null;
  const now = options.now ?? `${asOf}T00:00:00.000Z`;
  // The churn model's component weights before the pass: when fitted ones are in use, they are the
  // weights this run scores with (weights-in-use.ts). A fit runs in a worker, whose rest goes on
  // beside the pass until curveInUse takes the model (run-model.ts).
  const fitModel = full ? (options.calibrate ?? false) : false;
  const churnModel = modelForRun(db, {
    asOf,
    fit: fitModel,
    now,
    historyDays: options.historyDays ?? 0,
    calibrate: options.calibrate,
    chunkSize: Math.max(1, options.chunkSize ?? 1000),
    worker: options.fitWorker,
    prefetch: typeof options.prefetch === 'object' ? false : (options.prefetch ?? true),
  });
  const inUse = weighedConfig(db, asOf, churnModel.weights);
  const { version, config } = inUse;
  refreshHistoryOnNewWeights(db, inUse.weights);
  const triggers = effectiveTriggers(config);
  const store = riskStore(db);
  const asOfDay = dayNumber(asOf);
  const compareDay = asOfDay - config.trend.compareDays;
  const historyDays = Math.max(0, Math.min(400, Math.floor(options.historyDays ?? 0)));
  const historyFrom = asOfDay - historyDays + 1;
  // A run for some accounts backfills them whatever the rest of the book holds (their coverage decides).
  // A run without a history window scores only the days right after each account's stored history,
  // inside the window it reads anyway; the rest is filled after the ranked list is stored, on
  // demand or in the background (history-fill.ts, issue 16).
  const historyForward = historyDays <= 1;
  const backfillFrom = historyForward
    ? compareDay
    : full
      ? historyCoverageRepo(db).firstMissing(historyFrom, asOfDay, version)
      : historyFrom;
  const plan = full ? planCalibration(db, store, config, version, asOf, options.calibrate) : null;
  const fitting = plan?.fit === true;
  const reach = lookbacks(config, triggers);
  const earliest = firstScoredDay(config, asOfDay, backfillFrom, plan);
  const ages = dataAgeRepo(db);
  const ids = full
    ? db.prepare<[], string>('SELECT account_id FROM accounts ORDER BY account_id').pluck().all()
    : [...new Set(options.accountIds)].sort();
  return {
    db,
    asOf,
    asOfDay,
    compareDay,
    now,
    version,
    config,
    triggers,
    store,
    full,
    ids,
    chunkSize: Math.max(1, options.chunkSize ?? 1000),
    window: {
      metricsFrom: earliest - reach.metrics,
      eventsFrom: earliest - reach.events,
      to: asOfDay,
      liveOnly: !fitting,
      churnedSince: historyForward ? undefined : (backfillFrom ?? undefined),
    },
    sync: itemsLive(asOf, today, metaRepo(db).get(ITEMS_SYNCED_KEY), () => ages.bookNewest(dayNumber(today))),
    plan,
    fitting,
    fitModel,
    model: churnModel.model,
    prefetch: typeof options.prefetch === 'object' ? options.prefetch : churnModel.prefetch,
    weights: inUse.weights,
    backfillFrom,
    historyForward,
    book: ages.bookCoverage(earliest, asOfDay),
    ages,
    existingItems: full ? groupByAccount(itemsRepo(db).relevant()) : new Map(),
    itemContext: {
      asOf,
      now,
      triggers,
      holdoutShare: holdoutShares(db, triggers),
    },
  };
}

/** The pass: each chunk of accounts read, scored, its history written. */
function readBook(run: Run, onProgress: ScoreAllOptions['onProgress']): Pass {
  const pass: Pass = {
    results: [],
    itemOps: [],
    samples: [],
    coverage: [],
    seen: new Set(),
    history: [],
    historyRows: 0,
    backfilled: 0,
    timings: { read: 0, evaluate: 0, write: 0 },
    // Every run folds the churn model's metric aggregates of the day as it reads (resolveCurve): a
    // whole-book run for the book's features, a rescore of a few accounts for theirs.
    aggregates: new MetricAggregator(run.asOfDay),
    events: run.full ? eventFoldFor(run.asOfDay, run.window) : undefined,
  };
  const reader = bundleReader(run.db);
  const items = itemsRepo(run.db);
  const coverage = historyCoverageRepo(run.db);
  const writeHistory = run.db.transaction((rows: ScoreRow[]) => {
    pass.historyRows += run.store.upsertScores(rows);
  });
  // A whole-book run reads through the series cache and keeps what it read there for the next day
  // (series-cache.ts). Read and kept in one write transaction, so no import lands in between.
  const reach = lookbacks(run.config, run.triggers).metrics;
  const cache = pass.aggregates ? cachePlan(run.asOfDay, run.config, reach, pass.aggregates.from) : undefined;
  // The walk of each chunk's uncached series, when the fit worker read it beside the pass
  // (series-prefetch.ts): taken inside the chunk's write transaction, where its check holds.
  const beside = run.full && cache ? run.prefetch : null;
  beside?.start(run.ids, run.chunkSize, run.window, pass.aggregates ?? { from: run.window.metricsFrom });
  const readRange = run.db.transaction((lo: string, hi: string, index: number) =>
    reader.range(lo, hi, run.window, pass.aggregates, cache, beside?.take(index) ?? undefined),
  );
  for (let offset = 0; offset < run.ids.length; offset += run.chunkSize) {
    const chunk = run.ids.slice(offset, offset + run.chunkSize);
    const lo = chunk[0] as string;
    const hi = chunk[chunk.length - 1] as string;
    let mark = performance.now();
    // A few accounts: their ids only, through the series cache (issue 16: one read for scoring and features).
    const bundles: AccountBundle[] = run.full
      ? readRange.immediate(lo, hi, offset / run.chunkSize)
      : reader.listed(chunk, run.window, pass.aggregates);
    if (!run.full) for (const id of chunk) run.existingItems.set(id, items.relevant(id));
    const stored = run.backfillFrom === null ? null : run.full ? coverage.range(lo, hi) : coverage.of(chunk);
    pass.timings.read += performance.now() - mark;
    mark = performance.now();
    if (pass.events) for (const bundle of bundles) pass.events.add(bundle);
    for (const bundle of bundles) scoreAccount(run, pass, bundle, stored?.get(bundle.account.account_id));
    pass.timings.evaluate += performance.now() - mark;
    mark = performance.now();
    if (pass.history.length > 0) writeHistory.immediate(pass.history);
    pass.history = [];
    pass.timings.write += performance.now() - mark;
    onProgress?.(Math.min(run.ids.length, offset + chunk.length), run.ids.length);
  }
  return pass;
}

/**
 * resolveCurve with the metric aggregates folded during the read handed to the churn model. In a
 * function of its own so that nothing holds them once the model has its features: kept in
 * scoreAll's scope, they stayed alive through the day's write (about 100 MB at 50,000 accounts).
 */
function curveInUse(run: Run, pass: Pass): ReturnType<typeof resolveCurve> {
  const { aggregates, events } = pass;
  pass.aggregates = undefined;
  pass.events = undefined;
  const resolve = () => resolveCurve(run, pass);
  if (!aggregates) return resolve();
  // Only the run's accounts were folded in a rescore of a few: they answer for those accounts alone.
  if (!run.full) return withAccountAggregates(run.db, run.asOf, run.ids, aggregates.rows(), resolve);
  // The whole book's, built as the features read them (their columns are far smaller than the rows).
  return withMetricAggregates(run.db, run.asOf, aggregates.lazyRows(), resolve, events);
}

export function scoreAll(db: Db, options: ScoreAllOptions): ScoreAllResult {
  // Every path that scores comes here: none may score half a first pull (QA 5 #2).
  assertNoOpenFirstPull(db);
  const started = performance.now();
  options.onStage?.('model', null);
  const run = prepareRun(db, options);
  // Whole-book runs collect the fit's garbage before the pass, the pass's before the features, and
  // the features' before the write (reclaim.ts).
  const reclaim = run.full ? passReclaimer(run.ids.length) : undefined;
  let pass: Pass;
  try {
    options.onStage?.('accounts', run.ids.length);
    pass = readBook(run, reclaim ? reclaim.progress(options.onProgress) : options.onProgress);
  } finally {
    // The pass is over (or failed): the fit worker stops reading its series (series-prefetch.ts).
    run.prefetch?.end();
  }
  options.onStage?.('write', run.ids.length);
  let mark = performance.now();
  reclaim?.now();
  const inUse = curveInUse(run, pass);
  reclaim?.now();
  pass.timings.evaluate += performance.now() - mark;
  mark = performance.now();
  // Counted as written: the churn model's agreement can move an account onto the at-risk list.
  const { changes, counts } = writeDay(run, pass, inUse, started);
  pass.timings.write += performance.now() - mark;
  const { calibration } = inUse;
  return {
    asOf: run.asOf,
    scope: run.full ? 'full' : 'accounts',
    accounts: pass.seen.size,
    ...counts,
    items: { ...changes, synced: run.sync.live, reason: run.sync.reason },
    historyRows: pass.historyRows,
    calibration: {
      id: inUse.calibrationId,
      method: calibration?.method ?? 'default',
      outcomes: calibration ? ('outcomes' in calibration ? calibration.outcomes : 0) : 0,
      auc: calibration?.auc ?? null,
      reused: inUse.reused,
    },
    configVersion: run.version,
    ms: Math.round(performance.now() - started),
    timings: {
      read: Math.round(pass.timings.read),
      evaluate: Math.round(pass.timings.evaluate),
      write: Math.round(pass.timings.write),
    },
    ...(run.prefetch ? { prefetched: { ...run.prefetch.counts } } : {}),
  };
}
