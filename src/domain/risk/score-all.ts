/**
 * scoreAll: score, explain, rank and sync risk items for the whole book (or some accounts) as of a
 * day. One streaming pass reads the data a chunk of accounts at a time in primary-key order
 * (see load.ts); everything for the day is written in one transaction at the end, so readers see
 * either the previous ranking or the new one. History backfill rows, which can number millions,
 * are written per chunk instead, each chunk in its own transaction.
 *
 *   scoreAll(db, { asOf: '2026-03-31' })                          // the daily run: every account
 *   scoreAll(db, { asOf: '2026-03-31', accountIds: ['acc_1'] })   // after a sync: changed accounts only
 *   scoreAll(db, { asOf: '2026-03-31', historyDays: 90 })         // first run: also fill 90 days of history
 */
import { isIsoDay } from '../contract/dates.ts';
import type { Db } from '../db/open.ts';
import { UserFacingError } from '../errors.ts';
import { EVENT_HORIZON_DAYS, type AccountBundle, type AccountFacts } from './bundle.ts';
import { calibrate, type CalibrationResult, type Sample } from './calibration.ts';
import type { TriggerId } from './catalog.ts';
import { componentsFor, effectiveTriggers, fxRate, type EffectiveTrigger, type ScoreConfig } from './config.ts';
import { configRepo } from './config-repo.ts';
import { dayNumber, dayString } from './days.ts';
import {
  evaluateAccount,
  expectedArrAtRisk,
  packComponents,
  scoreDay,
  urgencyFactor,
  type Evaluation,
} from './evaluate.ts';
import {
  actionableTriggers,
  applyItemOps,
  isLive,
  isRiskTrigger,
  itemsRepo,
  planAccountItems,
  type ItemChanges,
  type ItemOp,
  type RiskItemRow,
} from './items.ts';
import { bundleReader, type LoadWindow } from './load.ts';
import { idList, riskStore, type CalibrationRow, type RiskStore, type ScoreRow } from './store.ts';
import { metaRepo } from '../db/repos/meta.ts';
import { recordFingerprint } from './fingerprint.ts';
import { churnModelFor, churnScorer } from './model/churn-model.ts';

export interface ScoreAllOptions {
  /** The evaluation day, YYYY-MM-DD. Nothing after it is read. */
  asOf: string;
  /** Only these accounts (after a sync); null or absent means the whole book. */
  accountIds?: readonly string[] | null;
  /**
   * Make sure this many days of daily score history exist (whole-book runs only): days not yet
   * scored under the current configuration are computed in the same pass. Default 0.
   */
  historyDays?: number;
  /** The instant written on risk items and runs. Default: the as-of day at 00:00Z (reproducible). */
  now?: string;
  /**
   * Fit the churn curve from the book's outcomes in the same pass (whole-book runs only): true
   * always, 'auto' unless it was already fitted for this day and these outcomes. Default false:
   * the latest stored curve (or the configured default) is used. The scoring job passes 'auto'.
   */
  calibrate?: boolean | 'auto';
  /** Accounts per read. Default 1,000. */
  chunkSize?: number;
  onProgress?: (processed: number, total: number) => void;
}

export interface ScoreAllResult {
  asOf: string;
  scope: 'full' | 'accounts';
  /** Accounts read. */
  accounts: number;
  /** Active accounts scored and written to the snapshot. */
  scored: number;
  atRisk: number;
  items: ItemChanges & { synced: boolean };
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
}

/** Days kept in the snapshot table (most recently computed). */
const SNAPSHOTS_KEPT = 3;
const ITEMS_SYNCED_KEY = 'risk.items_synced_through';

export type AccountStatusOn = 'active' | 'churned' | 'not_yet';

export function statusOn(
  account: Pick<AccountFacts, 'created_at' | 'status' | 'churned_at'>,
  asOf: string,
): AccountStatusOn {
  if (account.created_at && account.created_at > asOf) return 'not_yet';
  if (account.status === 'churned' && (!account.churned_at || account.churned_at <= asOf)) return 'churned';
  return 'active';
}

/** How far back the components and triggers look, in days, for metrics and for events. */
export function lookbacks(
  config: ScoreConfig,
  triggers: Record<TriggerId, EffectiveTrigger>,
): { metrics: number; events: number } {
  const params: { [K in keyof ScoreConfig['components']]?: Partial<ScoreConfig['components'][K]> }[] = [
    config.components,
    ...Object.values(config.segments).map((s) => s.components ?? {}),
  ];
  let metrics = 0;
  let events = 0;
  for (const c of params) {
    if (c.usage_trend) metrics = Math.max(metrics, (c.usage_trend.recentDays ?? 0) + (c.usage_trend.baselineDays ?? 0));
    if (c.adoption) metrics = Math.max(metrics, c.adoption.recentDays ?? 0);
    if (c.engagement) metrics = Math.max(metrics, c.engagement.zeroAfterDays ?? 0);
    if (c.billing) events = Math.max(events, c.billing.lookbackDays ?? 0, c.billing.windowDays ?? 0);
    if (c.support)
      events = Math.max(
        events,
        (c.support.windowDays ?? 0) + (c.support.baselineDays ?? 0),
        c.support.escalationDays ?? 0,
      );
    if (c.sentiment) events = Math.max(events, c.sentiment.windowDays ?? 0);
    if (c.relationship) events = Math.max(events, c.relationship.touchZeroAfterDays ?? 0);
  }
  const p = (id: TriggerId, key: string) => triggers[id].params[key] ?? 0;
  metrics = Math.max(
    metrics,
    p('usage_drop', 'recentDays') + p('usage_drop', 'baselineDays'),
    p('seat_drop', 'recentDays') + p('seat_drop', 'baselineDays'),
    p('power_user_dormant', 'quietDays') + p('power_user_dormant', 'baselineDays'),
    p('performance_degradation', 'recentDays') + p('performance_degradation', 'baselineDays'),
    p('approaching_limit', 'recentDays'),
  );
  events = Math.max(
    events,
    p('setup_incomplete', 'maxAgeDays'),
    p('payment_failing', 'windowDays'),
    p('champion_left', 'windowDays'),
    p('support_surge', 'windowDays') + p('support_surge', 'baselineDays'),
    p('detractor', 'windowDays'),
    p('silent_churn', 'quietDays'),
  );
  return { metrics: metrics + 1, events: Math.max(events, EVENT_HORIZON_DAYS) + 1 };
}

/** Holdout shares: the interventions capability's overrides when its table exists, else the catalog's. */
export function holdoutShares(db: Db, triggers: Record<TriggerId, EffectiveTrigger>): (id: TriggerId) => number {
  const overrides = new Map<string, number>();
  const exists = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'trigger_outcome_settings'")
    .get();
  if (exists) {
    for (const row of db
      .prepare<[], { trigger_id: string; holdout_share: number | null }>(
        'SELECT trigger_id, holdout_share FROM trigger_outcome_settings',
      )
      .all()) {
      if (row.holdout_share !== null) overrides.set(row.trigger_id, row.holdout_share);
    }
  }
  return (id) => overrides.get(id) ?? triggers[id].holdoutShare;
}

/** What the write needs of one evaluated account. */
interface PendingAccount {
  id: string;
  arr: number;
  rate: number;
  score: number | null;
  band: Evaluation['band'];
  previousScore: number | null;
  delta: number | null;
  trend: Evaluation['trend'];
  daysToRenewal: number | null;
  lastTouchOn: string | null;
  triggerIds: string;
  triggersJson: string;
  reasonsJson: string;
  topReason: string;
  actionable: string;
  atRisk: boolean;
  nowPacked: string;
  before: { score: number | null; band: Evaluation['band']; packed: string } | null;
}

interface CalibrationPlan {
  signature: string;
  existing: CalibrationRow | null;
  fit: boolean;
  churners: number;
  active: number;
  windowFrom: number;
}

function planCalibration(
  db: Db,
  store: RiskStore,
  config: ScoreConfig,
  version: number,
  asOf: string,
  wanted: boolean | 'auto' | undefined,
): CalibrationPlan | null {
  const asOfDay = dayNumber(asOf);
  const windowFrom = asOfDay - config.calibration.windowDays + 1;
  const counts = db
    .prepare<{ from: string; asOf: string }, { churners: number; last: string | null; active: number }>(
      `SELECT count(*) FILTER (WHERE status = 'churned' AND churned_at >= @from AND churned_at <= @asOf) AS churners,
              max(churned_at) FILTER (WHERE status = 'churned' AND churned_at <= @asOf) AS last,
              count(*) FILTER (WHERE (created_at IS NULL OR created_at <= @asOf) AND NOT (status = 'churned' AND (churned_at IS NULL OR churned_at <= @asOf))) AS active
       FROM accounts`,
    )
    .get({ from: dayString(windowFrom), asOf })!;
  const c = config.calibration;
  const signature = `v${version}|lead${c.leadDays}|w${c.windowDays}|h${config.churnCurve.horizonDays}|min${c.minOutcomes}|c${counts.churners}|${counts.last ?? '-'}|a${counts.active}`;
  const existing = store.calibrationFor(asOf, signature);
  return {
    signature,
    existing,
    fit: wanted === true || (wanted === 'auto' && !existing),
    churners: counts.churners,
    active: counts.active,
    windowFrom,
  };
}

export function scoreAll(db: Db, options: ScoreAllOptions): ScoreAllResult {
  const started = performance.now();
  const { asOf } = options;
  if (!isIsoDay(asOf))
    throw new UserFacingError('INVALID_DATE', `The as-of date must be a real date as YYYY-MM-DD, not "${asOf}".`);
  const now = options.now ?? `${asOf}T00:00:00.000Z`;
  const { version, config } = configRepo(db).active();
  const triggers = effectiveTriggers(config);
  const store = riskStore(db);
  const reader = bundleReader(db);
  const items = itemsRepo(db);
  const meta = metaRepo(db);
  const asOfDay = dayNumber(asOf);
  const compareDay = asOfDay - config.trend.compareDays;
  const full = options.accountIds === undefined || options.accountIds === null;

  // Days of history still missing under this configuration (whole-book runs only).
  const historyDays = full ? Math.max(0, Math.min(400, Math.floor(options.historyDays ?? 0))) : 0;
  let backfill: number[] = [];
  if (historyDays > 1) {
    const done = store.scoredDays(dayString(asOfDay - historyDays + 1), dayString(asOfDay), version);
    for (let d = asOfDay - historyDays + 1; d < asOfDay; d++)
      if (d !== compareDay && !done.has(dayString(d))) backfill.push(d);
  }
  backfill = backfill.sort((a, b) => a - b);

  const plan = full ? planCalibration(db, store, config, version, asOf, options.calibrate) : null;
  const fitting = plan?.fit === true;
  const lead = config.calibration.leadDays;

  const reach = lookbacks(config, triggers);
  let earliest = Math.min(compareDay, backfill[0] ?? asOfDay);
  if (fitting && plan) earliest = Math.min(earliest, plan.windowFrom - lead);
  const window: LoadWindow = {
    metricsFrom: earliest - reach.metrics,
    eventsFrom: earliest - reach.events,
    to: asOfDay,
    liveOnly: !fitting,
  };

  // Which accounts, in id order, in chunks.
  let ids: string[];
  if (full) ids = db.prepare<[], string>('SELECT account_id FROM accounts ORDER BY account_id').pluck().all();
  else ids = [...new Set(options.accountIds)].sort();
  const chunkSize = Math.max(1, options.chunkSize ?? 1000);

  // Risk items move forward in time only: a run for an earlier day than the last synced one
  // scores and ranks, but leaves the items as they are.
  const syncedThrough = meta.get(ITEMS_SYNCED_KEY);
  const syncItems = syncedThrough === null || asOf >= syncedThrough;
  const shares = holdoutShares(db, triggers);
  const existingItems = new Map<string, RiskItemRow[]>();
  if (full) {
    for (const item of items.relevant()) {
      const list = existingItems.get(item.account_id);
      if (list) list.push(item);
      else existingItems.set(item.account_id, [item]);
    }
  }
  const itemContext = { asOf, now, triggers, holdoutShare: shares };

  // Per account only what the write needs is kept (not the evaluation), so memory and garbage
  // collection stay flat however large the book.
  const results: PendingAccount[] = [];
  const itemOps: ItemOp[] = [];
  const samples: Sample[] = [];
  const seen = new Set<string>();
  const timings = { read: 0, evaluate: 0, write: 0 };
  let historyRows = 0;
  const writeHistory = db.transaction((rows: ScoreRow[]) => {
    for (const row of rows) if (store.upsertScore(row)) historyRows++;
  });

  for (let offset = 0; offset < ids.length; offset += chunkSize) {
    const chunk = ids.slice(offset, offset + chunkSize);
    let mark = performance.now();
    const bundles: AccountBundle[] = full
      ? reader.range(chunk[0] as string, chunk[chunk.length - 1] as string, window)
      : chunk.map((id) => reader.one(id, window)).filter((b): b is AccountBundle => b !== null);
    if (!full) for (const id of chunk) existingItems.set(id, items.relevant(id));
    timings.read += performance.now() - mark;
    mark = performance.now();
    const history: ScoreRow[] = [];
    for (const bundle of bundles) {
      const account = bundle.account;
      const id = account.account_id;
      seen.add(id);
      const status = statusOn(account, asOf);
      const params = componentsFor(config, account.segment);
      const created = account.created_at ? dayNumber(account.created_at) : null;
      if (status === 'active') {
        const nowScore = scoreDay(bundle, asOfDay, config, params);
        const existedBefore = created === null || created <= compareDay;
        const before = scoreDay(bundle, compareDay, config, params);
        const existing = existingItems.get(id) ?? [];
        // The current state of a trigger that did not fire is only read as the reason a live item resolves.
        const wantText = (trigger: TriggerId) => existing.some((item) => item.trigger_id === trigger && isLive(item));
        const evaluation = evaluateAccount(
          bundle,
          asOf,
          config,
          triggers,
          { now: nowScore, before, wantText },
          'summary',
        );
        let actionable: string[];
        if (syncItems) {
          const planned = planAccountItems(
            { accountId: id, fired: evaluation.fired, checks: evaluation.checks },
            existing,
            itemContext,
          );
          for (const op of planned.ops) itemOps.push(op);
          actionable = planned.actionable;
        } else {
          actionable = actionableTriggers(
            evaluation.fired.map((f) => f.id),
            existing,
            asOf,
          );
        }
        const firedIds = evaluation.fired.map((f) => f.id);
        const { rate } = fxRate(config, account.currency);
        results.push({
          id,
          arr: account.arr,
          rate,
          score: evaluation.score,
          band: evaluation.band,
          previousScore: evaluation.previous?.score ?? null,
          delta: evaluation.delta,
          trend: evaluation.trend,
          daysToRenewal: evaluation.daysToRenewal,
          lastTouchOn: evaluation.lastTouchOn,
          triggerIds: idList(firedIds),
          triggersJson: JSON.stringify(
            evaluation.fired.map((f) => ({
              id: f.id,
              label: f.label,
              priority: f.priority,
              tier: f.tier,
              evidence: f.evidence,
            })),
          ),
          reasonsJson: JSON.stringify(evaluation.reasons),
          topReason: evaluation.topReason,
          actionable: idList(actionable),
          atRisk: evaluation.band === 'red' || evaluation.band === 'yellow' || actionable.some(isRiskTrigger),
          nowPacked: packComponents(nowScore),
          before: existedBefore ? { score: before.score, band: before.band, packed: packComponents(before) } : null,
        });
        for (const d of backfill) {
          if (created !== null && created > d) continue;
          const s = scoreDay(bundle, d, config, params);
          history.push({
            account_id: id,
            as_of: dayString(d),
            score: s.score,
            band: s.band,
            components: packComponents(s),
            config_version: version,
          });
        }
        if (fitting && (created === null || created <= asOfDay - lead)) {
          const s = scoreDay(bundle, asOfDay - lead, config, params);
          if (s.score !== null) samples.push({ score: s.score, label: 0 });
        }
      } else if (status === 'churned' && fitting && plan && account.churned_at) {
        const churnedDay = dayNumber(account.churned_at);
        const at = churnedDay - lead;
        if (churnedDay >= plan.windowFrom && (created === null || created <= at)) {
          const s = scoreDay(bundle, at, config, params);
          if (s.score !== null) samples.push({ score: s.score, label: 1 });
        }
      }
      if (syncItems && status !== 'active') {
        // Live items of an account that is no longer active close, with the reason.
        for (const item of existingItems.get(id) ?? []) {
          if (isLive(item))
            itemOps.push({
              kind: 'resolve',
              item,
              reason: `Resolved automatically on ${asOf}: the account is no longer active.`,
            });
        }
      }
    }
    timings.evaluate += performance.now() - mark;
    mark = performance.now();
    if (history.length > 0) writeHistory.immediate(history);
    timings.write += performance.now() - mark;
    options.onProgress?.(Math.min(ids.length, offset + chunk.length), ids.length);
  }

  // The churn curve: fitted now, reused from earlier today, or the latest earlier one / the default.
  let mark = performance.now();
  let calibration: CalibrationResult | CalibrationRow | null = null;
  let calibrationId: number | null = null;
  let reused = false;
  if (fitting && plan) {
    const fitted = calibrate({
      samples,
      churners: plan.churners,
      windowDays: config.calibration.windowDays,
      activeAccounts: plan.active,
      horizonDays: config.churnCurve.horizonDays,
      minOutcomes: config.calibration.minOutcomes,
      fallback: config.churnCurve,
    });
    calibration = fitted;
    calibrationId = store.insertCalibration({
      as_of: asOf,
      signature: plan.signature,
      method: fitted.method,
      intercept: fitted.intercept,
      slope: fitted.slope,
      horizon_days: config.churnCurve.horizonDays,
      samples: fitted.samples,
      outcomes: fitted.outcomes,
      auc: fitted.auc,
      top_decile_share: fitted.topDecileShare,
      top_decile_recall: fitted.topDecileRecall,
      base_rate: fitted.baseRate,
      details_json: JSON.stringify({
        note: fitted.note,
        leadDays: lead,
        windowDays: config.calibration.windowDays,
        minOutcomes: config.calibration.minOutcomes,
      }),
      config_version: version,
      created_at: now,
    });
  } else {
    const stored = plan?.existing ?? store.calibrationAtOrBefore(asOf, version);
    if (stored) {
      calibration = stored;
      calibrationId = stored.calibration_id;
      reused = true;
    }
  }
  // P(churn): the churn model chosen by rolling-origin backtest (src/domain/risk/model, docs/risk-engine.md).
  const churn = churnScorer(
    db,
    churnModelFor(db, { asOf, fit: full ? (options.calibrate ?? false) : false, now }),
    asOf,
  );
  timings.evaluate += performance.now() - mark;

  // Write the day in one transaction: scores, items, snapshot, the run record.
  mark = performance.now();
  const changes: ItemChanges = { opened: 0, updated: 0, resolved: 0, suppressed: 0 };
  let atRisk = 0;
  db.transaction(() => {
    if (full) store.deleteSnapshotDay(asOf);
    else {
      // Accounts that are no longer active (churned, deleted) leave the day's ranking.
      const active = new Set(results.map((r) => r.id));
      for (const id of ids) if (!active.has(id)) store.deleteSnapshot(asOf, id);
    }
    if (syncItems) {
      applyItemOps(items, itemOps, asOf, now, changes);
      meta.set(ITEMS_SYNCED_KEY, asOf);
    }
    const compareIso = dayString(compareDay);
    for (const r of results) {
      store.upsertScore({
        account_id: r.id,
        as_of: asOf,
        score: r.score,
        band: r.band,
        components: r.nowPacked,
        config_version: version,
      });
      if (r.before)
        store.upsertScore({
          account_id: r.id,
          as_of: compareIso,
          score: r.before.score,
          band: r.before.band,
          components: r.before.packed,
          config_version: version,
        });
      const probability = churn.probability(r.id, r.score, r.nowPacked, r.triggerIds);
      const urgency = urgencyFactor(r.daysToRenewal, config.urgency);
      const ear = expectedArrAtRisk(r.arr, probability, urgency);
      if (r.atRisk) atRisk++;
      store.upsertSnapshot({
        as_of: asOf,
        account_id: r.id,
        score: r.score,
        band: r.band,
        previous_score: r.previousScore,
        score_delta: r.delta,
        trend: r.trend,
        p_churn: probability,
        urgency,
        arr_usd: r.arr * r.rate,
        expected_arr_at_risk: ear,
        ear_usd: ear * r.rate,
        score_key: r.score ?? 101,
        days_to_renewal: r.daysToRenewal,
        last_touch_on: r.lastTouchOn,
        trigger_ids: r.triggerIds,
        triggers_json: r.triggersJson,
        reasons_json: r.reasonsJson,
        top_reason: r.topReason,
        actionable: r.actionable,
        at_risk: r.atRisk ? 1 : 0,
        config_version: version,
        calibration_id: calibrationId,
      });
    }
    const ms = Math.round(performance.now() - started);
    store.recordRun({
      as_of: asOf,
      scope: full ? 'full' : 'accounts',
      accounts: results.length,
      config_version: version,
      started_at: now,
      ms,
    });
    for (const d of backfill)
      store.recordRun({
        as_of: dayString(d),
        scope: 'history',
        accounts: results.length,
        config_version: version,
        started_at: now,
        ms: 0,
      });
    store.pruneSnapshots(SNAPSHOTS_KEPT);
    if (full) recordFingerprint(db);
  }).immediate();
  timings.write += performance.now() - mark;

  const method = calibration?.method ?? 'default';
  return {
    asOf,
    scope: full ? 'full' : 'accounts',
    accounts: seen.size,
    scored: results.length,
    atRisk,
    items: { ...changes, synced: syncItems },
    historyRows,
    calibration: {
      id: calibrationId,
      method,
      outcomes: calibration ? ('outcomes' in calibration ? calibration.outcomes : 0) : 0,
      auc: calibration?.auc ?? null,
      reused,
    },
    configVersion: version,
    ms: Math.round(performance.now() - started),
    timings: {
      read: Math.round(timings.read),
      evaluate: Math.round(timings.evaluate),
      write: Math.round(timings.write),
    },
  };
}

/**
 * Recomputes which fired triggers still ask for action, and so whether the account is on the
 * at-risk list, in each stored snapshot of the account. Called after a person acts on an item.
 */
export function refreshAccountVisibility(db: Db, accountId: string): void {
  const store = riskStore(db);
  const all = db.prepare<[string], RiskItemRow>('SELECT * FROM risk_items WHERE account_id = ?').all(accountId);
  for (const snapshot of store.snapshotsOf(accountId)) {
    const fired = snapshot.trigger_ids.split(',').filter(Boolean);
    const actionable = actionableTriggers(fired, all, snapshot.as_of);
    const atRisk = snapshot.band === 'red' || snapshot.band === 'yellow' || actionable.some(isRiskTrigger);
    store.setVisibility({
      as_of: snapshot.as_of,
      account_id: accountId,
      actionable: idList(actionable),
      at_risk: atRisk ? 1 : 0,
    });
  }
}
