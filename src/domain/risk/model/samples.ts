/**
 * Rolling-origin samples: the book as it was on past days ("origins"), each active account's
 * features from data up to that day, and whether it churned in the following horizon, or in the
 * part of it that has passed by the as-of day (at least `minWindowDays`), so every label is known
 * on that day.
 */
import type { Db } from '../../db/open.ts';
import type { ScoreConfig } from '../config.ts';
import { dayNumber, dayString } from '../days.ts';
import { firstMetricDay } from '../series-cache-hooks.ts';
import { featureStatements, type AccountRow, type MetricAggregate } from './feature-sql.ts';
import { foldIntoEach, MetricAggregator } from '../series-aggregates.ts';
import { activeOn, aligner, buildFeatures, churnDayOf, type FeatureFrame } from './features.ts';
import { stableHash } from './hash.ts';
import { healthOnDays, type Health } from './past-health.ts';
import { eventAggregatesOn, eventGroupsFor, type EventGroup } from './past-events.ts';

export interface BacktestSettings {
  /** Days after an origin in which a churn counts (the model's horizon). */
  horizonDays: number;
  /** Days between origins. */
  stepDays: number;
  maxOrigins: number;
  /** An origin needs this many days of data before it. */
  minHistoryDays: number;
  /**
   * Origins whose horizon has not closed yet still teach the model when at least this many days
   * of their window have passed (their label is churn within the days seen, and the fit knows the
   * shorter window); the newest of them are replayed as the reported backtest (replay.ts).
   */
  minWindowDays: number;
  /** The reported backtest replays this many of the newest past days (replay.ts)... */
  reportDays: number;
  /** ...each with at least this many days of its outcome window seen. */
  reportMinWindowDays: number;
  /**
   * Account-days scored for the samples at most: a larger book gets fewer origins, further apart
   * over the same span, so fitting takes seconds, not minutes (each origin is one scoring pass).
   */
  maxAccountDays: number;
  /**
   * Accounts the samples are built from at most: a larger book's samples come from a fixed
   * sample of this many of its accounts (samplePlan), the same one on every past day, so the fit's
   * cost and memory stay bounded whatever the book's size.
   */
  maxSampleAccounts: number;
}

export const DEFAULT_BACKTEST: BacktestSettings = {
  horizonDays: 90,
  stepDays: 7,
  maxOrigins: 26,
  minHistoryDays: 28,
  minWindowDays: 7,
  reportDays: 4,
  reportMinWindowDays: 28,
  maxAccountDays: 300_000,
  // Above OULAD's 4,434 accounts and the bench's 5,000 (neither is sampled); a 50,000-account
  // book's samples are a tenth of it (docs/performance.md, "The churn model's fit").
  maxSampleAccounts: 5_000,
};

/** The settings for a book of `accounts` accounts: origins thinned to the account-day budget. */
export function scaledSettings(s: BacktestSettings, accounts: number): BacktestSettings {
  const origins = Math.max(3, Math.min(s.maxOrigins, Math.floor(s.maxAccountDays / Math.max(1, accounts))));
  if (origins >= s.maxOrigins) return s;
  const span = s.stepDays * s.maxOrigins;
  return { ...s, maxOrigins: origins, stepDays: Math.ceil(span / origins) };
}

/**
 * The accounts the samples are built from: all of them up to `maxSampleAccounts`, else that many
 * chosen by a hash of their id (deterministic, and the same accounts on every past day, so the
 * folds and the bootstrap by account stay whole), in id order. Null: every account.
 */
export function sampleOfAccounts(ids: readonly string[], s: BacktestSettings): string[] | null {
  if (ids.length <= s.maxSampleAccounts) return null;
  return ids
    .map((id) => ({ id, h: stableHash(`${id}#sample`) }))
    .sort((a, b) => a.h - b.h || (a.id < b.id ? -1 : 1))
    .slice(0, s.maxSampleAccounts)
    .map((x) => x.id)
    .sort();
}

export interface OriginSamples {
  day: string;
  /** Days of the outcome window seen by the as-of day (the horizon when closed). */
  windowDays: number;
  ids: string[];
  rows: Float64Array[];
  labels: Uint8Array;
  /** The health score on the origin day (null when no component had data). */
  scores: (number | null)[];
  /** The day number each account churned, as known on the as-of day (NaN: not churned). */
  churnDays: number[];
}

export interface SampleSet {
  names: string[];
  origins: OriginSamples[];
  /** Set when the samples come from a sample of the book's accounts: how many, of how many. */
  sample?: AccountSample;
  /** Past days left out because no account had fresh data on them (withoutGaps). */
  daysWithoutData?: number;
}

export interface AccountSample {
  accounts: number;
  of: number;
}

/**
 * The first day of the book's history: its first metric (usage is what most features read; a
 * book whose events reach further back than its metrics would otherwise yield past days with no
 * usage at all), or its first event when it has no metrics.
 */
export function firstDataDay(db: Db): number | null {
  // The first metric day is kept with the book by its writers (series-cache-hooks.ts): a scan of
  // the whole metrics table otherwise, on every run (issue 16).
  const metric = firstMetricDay(db);
  if (metric !== null) return dayNumber(metric);
  const row = db
    .prepare<[], { first: string | null }>(
      "SELECT (SELECT substr(min(occurred_at), 1, 10) FROM events WHERE type <> 'churned') AS first",
    )
    .get();
  return row?.first ? dayNumber(row.first) : null;
}

/**
 * Origins for the as-of day, oldest first: every step back from D while history allows, each with
 * the days of its outcome window that have passed by D (at most the horizon).
 */
export function originsFor(
  asOfDay: number,
  first: number | null,
  s: BacktestSettings,
): { day: number; window: number }[] {
  if (first === null) return [];
  const out: { day: number; window: number }[] = [];
  for (let k = 1; out.length < s.maxOrigins; k++) {
    const day = asOfDay - k * s.stepDays;
    if (day < first + s.minHistoryDays) break;
    const window = Math.min(s.horizonDays, asOfDay - day);
    if (window >= Math.min(s.minWindowDays, s.horizonDays)) out.push({ day, window });
  }
  return out.reverse();
}

export function withHealth(frame: FeatureFrame, health: (id: string) => Health | undefined): FeatureFrame {
  const extra = new Set<string>(['score']);
  const values = frame.ids.map((id) => health(id));
  for (const h of values) for (const name of Object.keys(h?.signals ?? {})) extra.add(name);
  const added = [...extra].sort();
  const names = [...frame.names, ...added];
  const rows = frame.rows.map((row, i) => {
    const out = new Float64Array(names.length).fill(NaN);
    out.set(row);
    const h = values[i];
    added.forEach((name, k) => {
      const v = name === 'score' ? h?.score : h?.signals[name];
      if (v !== undefined && v !== null) out[frame.names.length + k] = v;
    });
    return out;
  });
  return { ...frame, names, rows };
}

/** One past day's samples before the feature names of all days are known (their frame's own order). */
interface OriginFrame {
  day: number;
  window: number;
  frame: FeatureFrame;
  scores: (number | null)[];
}

/** A past day's three reads, made for every past day at once (buildSamples), and its health. */
interface OriginReads {
  metrics: MetricAggregator;
  events: readonly EventGroup[];
  health: Map<string, Health>;
}

/**
 * Each origin's frame with the engine's health folded in. Performance (issue 13/16): the health
 * objects and the raw frame are dropped as soon as the origin's rows hold them, so only one
 * origin's intermediate objects are alive at a time.
 */
function originFrame(
  db: Db,
  accounts: readonly AccountRow[],
  origin: { day: number; window: number },
  reads: OriginReads,
): OriginFrame {
  const day = dayString(origin.day);
  const given = {
    accounts,
    metrics: inKeyOrder(reads.metrics.rows()),
    events: eventAggregatesOn(reads.events, origin.day),
  };
  const raw = withoutGaps(buildFeatures(db, day, { given }), reads.health);
  const frame = withHealth(raw, (id) => reads.health.get(id));
  return { ...origin, frame, scores: frame.ids.map((id) => reads.health.get(id)?.score ?? null) };
}

/**
 * The frame without the account-days the app would show nothing for (stale data or no data,
 * data-gap.ts): stale data never looks healthy, and it is no evidence either. Kept, such a day
 * got the "no score" probability and counted as a survivor (or a churner) of the backtest, so a
 * book whose data stopped long ago was certified calibrated on days without any data.
 */
function withoutGaps(frame: FeatureFrame, health: ReadonlyMap<string, Health>): FeatureFrame {
  const kept = frame.ids.map((id, i) => ({ id, i })).filter(({ id }) => health.get(id)?.gap === false);
  if (kept.length === frame.ids.length) return frame;
  return { ...frame, ids: kept.map((k) => k.id), rows: kept.map((k) => frame.rows[k.i] as Float64Array) };
}

/**
 * Aggregates in the order a walk of the metric rows in key order (account, metric) gives them.
 * The features' columns are named in the order they are first set (features.ts), so the rows keep
 * that order whatever order the read folded the series in (cached accounts first, series with
 * holes last): the same columns, in the same order, as a walk of the table.
 */
function inKeyOrder(rows: MetricAggregate[]): MetricAggregate[] {
  const before = (a: MetricAggregate, b: MetricAggregate) =>
    a.account_id < b.account_id || (a.account_id === b.account_id && a.metric < b.metric);
  for (let i = 1; i < rows.length; i++)
    if (before(rows[i] as MetricAggregate, rows[i - 1] as MetricAggregate))
      return rows.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
  return rows;
}

export function buildSamples(db: Db, config: ScoreConfig, asOf: string, s: BacktestSettings): SampleSet {
  const asOfDay = dayNumber(asOf);
  const churnDay = new Map<string, number | null>();
  const book = featureStatements(db).accountsAll.all();
  for (const a of book) churnDay.set(a.account_id, churnDayOf(a));
  const sample = sampleOfAccounts([...churnDay.keys()], s);
  const inSample = sample ? new Set(sample) : null;
  // The accounts' rows once for every past day (in id order, as a read of the sample by id gives them).
  const accounts = inSample ? book.filter((a) => inSample.has(a.account_id)) : book;
  const origins = originsFor(asOfDay, firstDataDay(db), scaledSettings(s, accounts.length));
  const days = origins.map((o) => o.day);
  // Every past day's reads from one pass each (events; bundles and metric rows), not one per day.
  const metrics: (MetricAggregator | null)[] = days.map((day) => new MetricAggregator(day));
  const events = eventGroupsFor(db, days, sample);
  const active = days.map((day) => ({
    day,
    ids: new Set(accounts.filter((a) => activeOn(a, day)).map((a) => a.account_id)),
  }));
  const health: (Map<string, Health> | null)[] = healthOnDays(
    db,
    config,
    accounts.map((a) => a.account_id),
    active,
    sample !== null,
    // Every past day's metric aggregates from the same walk of the metric rows as the bundles.
    foldIntoEach(metrics as MetricAggregator[]),
  );
  const frames: (OriginFrame | null)[] = origins.map((o, k) => {
    const reads = { metrics: metrics[k] as MetricAggregator, events, health: health[k] as Map<string, Health> };
    metrics[k] = null;
    health[k] = null;
    return originFrame(db, accounts, o, reads);
  });
  const names: string[] = [];
  const seen = new Set<string>();
  for (const f of frames)
    for (const n of f?.frame.names ?? [])
      if (!seen.has(n)) {
        seen.add(n);
        names.push(n);
      }
  const out: OriginSamples[] = frames.map((f, k) => {
    const { day, window, frame, scores } = f as OriginFrame;
    // Aligned one origin at a time, its own frame released at once (bounded memory).
    frames[k] = null;
    const align = aligner(frame.names, names);
    const labels = new Uint8Array(frame.ids.length);
    frame.ids.forEach((id, i) => {
      const churned = churnDay.get(id) ?? null;
      labels[i] = churned !== null && churned > day && churned <= day + window ? 1 : 0;
    });
    return {
      day: dayString(day),
      windowDays: window,
      ids: frame.ids,
      rows: frame.rows.map(align),
      labels,
      scores,
      churnDays: frame.ids.map((id) => churnDay.get(id) ?? NaN),
    };
  });
  // A past day on which no account had fresh data has nothing to teach or judge.
  const withData = out.filter((o) => o.ids.length > 0);
  return {
    names,
    origins: withData,
    ...(sample ? { sample: { accounts: sample.length, of: churnDay.size } } : {}),
    ...(withData.length < out.length ? { daysWithoutData: out.length - withData.length } : {}),
  };
}
