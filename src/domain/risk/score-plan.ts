/**
 * What a scoring run decides before it reads the book: who is active on the day (statusOn), how far
 * back the rules look (lookbacks), the holdout shares, whether the churn curve is refitted
 * (planCalibration) and whether the run may move the live risk items (itemsLive).
 */
import type { AccountFacts } from './bundle.ts';
import { EVENT_HORIZON_DAYS } from './bundle.ts';
import type { TriggerId } from './catalog.ts';
import type { EffectiveTrigger, ScoreConfig } from './config.ts';
import type { Db } from '../db/open.ts';
import { dayNumber, dayString } from './days.ts';
import { ANCHOR_DAYS, fitDayFor } from './model/stored-model.ts';
import { dataKindsOn } from './model/data-kinds.ts';
import { triggerLookbacks } from './triggers.ts';
import type { CalibrationRow, RiskStore } from './store.ts';

export type AccountStatusOn = 'active' | 'churned' | 'not_yet';

/**
 * The account's state on `asOf`, from facts dated on or before it only: created by then, and churned
 * by then. `churnedOn` dates the churn of a churned account (its churned_at, else its first `churned`
 * event; null: unknown, so churned on every day). A book fed day by day, where an account turns
 * churned in a later import, scores an earlier day exactly as it did before that import.
 */
export function statusOn(
  account: Pick<AccountFacts, 'created_at' | 'status' | 'churned_at'>,
  asOf: string,
  churnedOn: string | null = account.churned_at,
): AccountStatusOn {
  if (account.created_at && account.created_at > asOf) return 'not_yet';
  if (account.status !== 'churned') return 'active';
  return churnedOn === null || churnedOn.slice(0, 10) <= asOf ? 'churned' : 'active';
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
  for (const reach of triggerLookbacks(triggers)) {
    metrics = Math.max(metrics, reach.metricDays ?? 0);
    events = Math.max(events, reach.eventDays ?? 0);
  }
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

export interface CalibrationPlan {
  signature: string;
  existing: CalibrationRow | null;
  fit: boolean;
  /** The day the curve is fitted as of (fitDayFor): the samples' day, its window and counts. */
  asOf: string;
  asOfDay: number;
  churners: number;
  active: number;
  windowFrom: number;
}

/** A signature without its count of active accounts: what must be the same on the fit day. */
const outcomesPart = (signature: string): string => signature.replace(/\|a\d+$/, '');

/**
 * The churn curve in use on the day: the one fitted as of its fit day (stored-model.ts,
 * ANCHOR_DAYS), as the churn model is, so the curve for a day is the same whichever days were
 * scored before. A refit reads every account's events over the calibration window (most of a new
 * day's read at 50,000 accounts), so a new day mostly reuses the stored fit; new churn, a churner
 * leaving the window, a new kind of data or a changed configuration move the fit day at once.
 */
export function planCalibration(
  db: Db,
  store: RiskStore,
  config: ScoreConfig,
  version: number,
  day: string,
  wanted: boolean | 'auto' | undefined,
): CalibrationPlan | null {
  const count = db.prepare<{ from: string; asOf: string }, { churners: number; last: string | null; active: number }>(
    `SELECT count(*) FILTER (WHERE status = 'churned' AND churned_at >= @from AND churned_at <= @asOf) AS churners,
            max(churned_at) FILTER (WHERE status = 'churned' AND churned_at <= @asOf) AS last,
            count(*) FILTER (WHERE (created_at IS NULL OR created_at <= @asOf) AND NOT (status = 'churned' AND (churned_at IS NULL OR churned_at <= @asOf))) AS active
     FROM accounts`,
  );
  const c = config.calibration;
  const on = (asOf: string) => {
    const windowFrom = dayNumber(asOf) - c.windowDays + 1;
    const counts = count.get({ from: dayString(windowFrom), asOf })!;
    const signature = `v${version}|lead${c.leadDays}|w${c.windowDays}|h${config.churnCurve.horizonDays}|min${c.minOutcomes}|k${dataKindsOn(db, asOf)}|c${counts.churners}|${counts.last ?? '-'}|a${counts.active}`;
    return { asOf, windowFrom, counts, signature };
  };
  const onDay = on(day);
  const asOf = fitDayFor(
    day,
    (d) => outcomesPart(on(d).signature) === outcomesPart(onDay.signature),
    onDay.counts.last?.slice(0, 10) ?? null,
  );
  const fitDay = asOf === day ? onDay : on(asOf);
  const existing = wanted === true ? null : store.calibrationFor(asOf, fitDay.signature);
  return {
    signature: fitDay.signature,
    existing,
    fit: wanted === true || (wanted === 'auto' && !existing),
    asOf,
    asOfDay: dayNumber(asOf),
    churners: fitDay.counts.churners,
    active: fitDay.counts.active,
    windowFrom: fitDay.windowFrom,
  };
}

/**
 * The first day a run's pass scores, which with the lookbacks sets how far back it reads: the
 * comparison day, the first history day it backfills, and the calibration's first sample day when
 * it fits the curve. The pass (score-all.ts) and the series-cache warm-up beside the fit
 * (run-model.ts) both read from it.
 */
export function firstScoredDay(
  config: ScoreConfig,
  asOfDay: number,
  backfillFrom: number | null,
  plan: CalibrationPlan | null,
): number {
  const earliest = Math.min(asOfDay - config.trend.compareDays, backfillFrom ?? asOfDay);
  if (!plan?.fit) return earliest;
  // From the earliest fit day's window whatever the fit day (at most ANCHOR_DAYS - 1 days back), as
  // the series cache keeps it (series-cache.ts, cachePlan): a run that fits reads, and keeps, the
  // same days whether or not the cache was warmed beside the fit.
  const windowFrom = Math.min(plan.windowFrom, asOfDay - (ANCHOR_DAYS - 1) - config.calibration.windowDays + 1);
  return Math.min(earliest, windowFrom - config.calibration.leadDays);
}

export const ITEMS_SYNCED_KEY = 'risk.items_synced_through';

/**
 * Whether a run for `asOf` may move the live risk items. Items follow the present: only a run for
 * today or for the newest data day does (a book whose feed ends earlier is still worked on);
 * a look at the future or the past ranks and explains but never rewrites them, and items never
 * move back in time. `newestDataDay` is asked only for a past day.
 */
export function itemsLive(
  asOf: string,
  today: string,
  syncedThrough: string | null,
  newestDataDay: () => string | null,
): { live: boolean; reason: string } {
  if (asOf > today) return { live: false, reason: `${asOf} is in the future; risk items were left as they are.` };
  if (syncedThrough !== null && asOf < syncedThrough)
    return {
      live: false,
      reason: `Risk items already follow ${syncedThrough}; a look at ${asOf} leaves them as they are.`,
    };
  if (asOf === today) return { live: true, reason: 'today' };
  const newest = newestDataDay();
  if (newest !== null && asOf === newest) return { live: true, reason: 'the newest data day' };
  return {
    live: false,
    reason: `${asOf} is neither today nor the newest data day (${newest ?? 'none'}); risk items were left as they are.`,
  };
}
