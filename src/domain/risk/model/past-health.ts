/**
 * The engine's health score, components and trigger flags of the fit's accounts on each past day
 * ("origin", samples.ts), from ONE read of their bundles over every origin's window.
 *
 * Performance (issues 13 and 16): the origins' windows overlap by most of their length (a rule
 * looks back about 250 days, origins are 7–31 days apart), and one read and scoring pass per origin
 * read the same rows again for each: about 60% of building the samples at 50,000 accounts. Each
 * origin now scores a view of the one read cut to exactly what a read of its own window returns
 * (bundleAsOf): the same series, starting and ending on the same days, and the same events, so the
 * scores are those of a read per origin and nothing dated after an origin reaches it
 * (test/unit/churn-past-health.test.ts).
 */
import type { Db } from '../../db/open.ts';
import type { AccountBundle, EventList } from '../bundle.ts';
import { Series } from '../bundle.ts';
import { componentsFor, effectiveTriggers, type ScoreConfig } from '../config.ts';
import { dataGapOf } from '../data-gap.ts';
import { endOfDayInstant, startOfDayInstant } from '../days.ts';
import { scoreDay } from '../evaluate.ts';
import { bundleReader } from '../load.ts';
import { lookbacks } from '../score-all.ts';
import type { SeriesFold } from '../series-aggregates.ts';
import { checkTriggers } from '../triggers.ts';

/** The engine's own view of an account on a day: health score, components (`c:`) and trigger flags (`t:`). */
export interface Health {
  score: number | null;
  signals: Record<string, number>;
  /**
   * The account had stale data or no data on the day (data-gap.ts): the app shows it nothing, so
   * it is no evidence either, and samples.ts leaves the account-day out of the fit and backtest.
   */
  gap: boolean;
}

/** One past day to score, and the accounts active on it (the others are not scored). */
export interface PastDay {
  day: number;
  ids: ReadonlySet<string>;
}

/** What a bundle read needs to be told: the metric and event windows' first days and the last day. */
interface Window {
  metricsFrom: number;
  eventsFrom: number;
  to: number;
}

/** Present values only: NaN marks a day without a row. */
const present = (v: number) => v === v;

function seriesIn(series: Series, from: number, to: number): Series | null {
  const values = series.values;
  let a = Math.max(0, from - series.start);
  let b = Math.min(values.length, to - series.start + 1);
  // A read of the window starts a series at its first row in it and ends it at its last.
  while (a < b && !present(values[a] as number)) a++;
  while (b > a && !present(values[b - 1] as number)) b--;
  if (a >= b) return null;
  if (a === 0 && b === values.length) return series;
  const kept = values instanceof Float64Array ? values.subarray(a, b) : Array.prototype.slice.call(values, a, b);
  return new Series(series.start + a, kept as ArrayLike<number>);
}

/** The first index of the sorted `at` not below `bound` (string order, as SQLite compares the text). */
function lowerBound(at: readonly string[], bound: string): number {
  let lo = 0;
  let hi = at.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((at[mid] as string) < bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function eventsIn(list: EventList, from: string, before: string): EventList | null {
  const a = lowerBound(list.at, from);
  const b = lowerBound(list.at, before);
  if (a >= b) return null;
  if (a === 0 && b === list.at.length) return list;
  return {
    days: list.days.slice(a, b),
    at: list.at.slice(a, b),
    values: list.values.slice(a, b),
    contacts: list.contacts.slice(a, b),
  };
}

/**
 * The bundle a read of `window` returns for the account, cut from a read of a wider window that
 * covers it: series and events outside it dropped, as the read's own date bounds would
 * (load.ts: metrics dated metricsFrom…to, events at or after metricsFrom's midnight and before the
 * midnight after `to`). The account, its contacts and the book's coverage are undated.
 */
export function bundleAsOf(bundle: AccountBundle, window: Window): AccountBundle {
  const metrics = new Map<string, Series>();
  for (const [metric, series] of bundle.metrics) {
    const kept = seriesIn(series, window.metricsFrom, window.to);
    if (kept) metrics.set(metric, kept);
  }
  const contactLogins = new Map<string, Series>();
  for (const [contact, series] of bundle.contactLogins) {
    const kept = seriesIn(series, window.metricsFrom, window.to);
    if (kept) contactLogins.set(contact, kept);
  }
  const events = new Map<string, EventList>();
  const from = startOfDayInstant(window.eventsFrom);
  const before = endOfDayInstant(window.to);
  for (const [type, list] of bundle.events) {
    const kept = eventsIn(list, from, before);
    if (kept) events.set(type, kept);
  }
  const out: AccountBundle = { account: bundle.account, contacts: bundle.contacts, metrics, contactLogins, events };
  if (bundle.book) out.book = bundle.book;
  return out;
}

/**
 * Health on each past day for the accounts active on it: the accounts' bundles are read once per
 * chunk of 1,000 over the union of the days' windows, and each day scores its view of them.
 * `sampled`: the accounts are a sample scattered over the book, read by id (not the ranges
 * between them). Index k of the result is `days[k]`. With `fold`, every series the read walks (of
 * any metric or contact, from the fold's first day on) is folded into it too: the past days' metric
 * aggregates of the churn model's features. Performance (issue 13): from the same walk, not a
 * second read of the same rows (about 1 CPU-s of a refit at 50,000 accounts).
 */
export function healthOnDays(
  db: Db,
  config: ScoreConfig,
  ids: readonly string[],
  days: readonly PastDay[],
  sampled = false,
  fold?: SeriesFold,
): Map<string, Health>[] {
  const out = days.map(() => new Map<string, Health>());
  if (days.length === 0) return out;
  const reach = lookbacks(config, effectiveTriggers(config));
  const triggers = effectiveTriggers(config);
  const reader = bundleReader(db);
  const first = Math.min(...days.map((d) => d.day));
  const last = Math.max(...days.map((d) => d.day));
  const union = { metricsFrom: first - reach.metrics, eventsFrom: first - reach.events, to: last, liveOnly: false };
  const wanted = new Set<string>();
  for (const d of days) for (const id of d.ids) wanted.add(id);
  const sorted = ids.filter((id) => wanted.has(id)).sort();
  for (let i = 0; i < sorted.length; i += 1000) {
    const chunk = sorted.slice(i, i + 1000);
    const bundles = sampled
      ? reader.listed(chunk, union, fold)
      : reader.range(chunk[0] as string, chunk[chunk.length - 1] as string, union, fold);
    for (const bundle of bundles) {
      const id = bundle.account.account_id;
      const params = componentsFor(config, bundle.account.segment);
      days.forEach(({ day, ids: active }, k) => {
        if (!active.has(id)) return;
        const view = bundleAsOf(bundle, { metricsFrom: day - reach.metrics, eventsFrom: day - reach.events, to: day });
        const s = scoreDay(view, day, config, params);
        const signals: Record<string, number> = {};
        for (const v of s.values) if (v.score !== null) signals[`c:${v.id}`] = Math.round(v.score);
        // Trigger flags as the scoring run sees them (the same checks, on the origin day).
        for (const check of checkTriggers({ bundle: view, day, band: s.band, score: s.score }, triggers, () => false))
          signals[`t:${check.id}`] = check.fired ? 1 : 0;
        // No data inside the day's windows is data older than they reach back: stale too.
        const stale = s.freshness.stale || s.freshness.dataThrough === null;
        const gap = dataGapOf({ stale, score: s.score }) !== null;
        (out[k] as Map<string, Health>).set(id, { score: s.score, signals, gap });
      });
    }
  }
  return out;
}
