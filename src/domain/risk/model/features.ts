/**
 * The churn model's features for every account active on a day, from SQL aggregates over the raw
 * tables (feature-sql.ts) and nothing dated after the day. Any metric or event type the book
 * holds becomes features by its name, so a data team's own signals count without code changes:
 *
 *   m:<metric>:days28|days56|days90   days with a value above zero in the last 28/56/90 days
 *   m:<metric>:level28                log(1 + daily mean over the last 28 days)
 *   m:<metric>:vs_own                 that level against the account's own earlier 62 days (log ratio)
 *   m:<metric>:vs_peers               that level against accounts of the same tenure (log ratio)
 *   m:<metric>:since, gap_ratio       days since the last non-zero day, and that over the usual gap
 *   e:<type>:n28|n90|n180|since|value90  event counts, days since the last one (181 when none in
 *                                    180 days: an absent event is a fact, not a missing value), mean value
 *   a:tenure|renewal_in|renewal_soon|log_arr
 * Missing values are NaN, which the model reads as "like the average account".
 */
import type { Db } from '../../db/open.ts';
import { dayNumber, dayString, startOfDayInstant } from '../days.ts';
import {
  EVENT_REACH,
  METRIC_REACH,
  featureStatements,
  type AccountRow,
  type EventAggregate,
  type FeatureBounds,
  type MetricAggregate,
} from './feature-sql.ts';

export interface FeatureFrame {
  asOf: string;
  ids: string[];
  names: string[];
  rows: Float64Array[];
}

/** The day an account churned (a churned status or a `churned` event, the earlier), or null. */
export function churnDayOf(account: AccountRow): number | null {
  let day: number | null = null;
  if (account.status === 'churned') day = account.churned_at ? dayNumber(account.churned_at) : -Infinity;
  if (account.churn_event_at) {
    const eventDay = dayNumber(account.churn_event_at);
    day = day === null ? eventDay : Math.min(day, eventDay);
  }
  return day;
}

/** Created by the day (or undated) and not churned by it. */
export function activeOn(account: AccountRow, day: number): boolean {
  if (account.created_at && dayNumber(account.created_at) > day) return false;
  const churned = churnDayOf(account);
  return churned === null || churned > day;
}

export function boundsFor(asOf: string): FeatureBounds {
  const d = dayNumber(asOf);
  return {
    from90: dayString(d - METRIC_REACH + 1),
    from56: dayString(d - 55),
    from28: dayString(d - 27),
    asOf,
    eventFrom180: startOfDayInstant(d - EVENT_REACH + 1),
    eventFrom90: startOfDayInstant(d - 89),
    eventFrom28: startOfDayInstant(d - 27),
    eventTo: startOfDayInstant(d + 1),
  };
}

/**
 * A growing set of named columns over the frame's accounts, each a Float64Array of NaN until set
 * (issue 16, peak memory: a boxed array of values per account, then a typed row per account, were
 * the whole-book features' peak at 100,000 accounts; columns hold the same numbers once).
 */
class FrameBuilder {
  readonly names: string[] = [];
  readonly columns: Float64Array[] = [];
  private readonly column = new Map<string, number>();
  /** The row of each account in the frame. */
  readonly index = new Map<string, number>();
  readonly ids: string[] = [];

  /** Adds an account's row (before any column is made). */
  addAccount(id: string): number {
    const i = this.ids.length;
    this.ids.push(id);
    this.index.set(id, i);
    return i;
  }

  /** The column of `name`, added after the others on first use (the order names are first set in). */
  columnOf(name: string): Float64Array {
    let j = this.column.get(name);
    if (j === undefined) {
      j = this.names.length;
      this.names.push(name);
      this.column.set(name, j);
      this.columns.push(new Float64Array(this.ids.length).fill(NaN));
    }
    return this.columns[j] as Float64Array;
  }

  set(i: number, name: string, value: number): void {
    this.columnOf(name)[i] = value;
  }
}

/**
 * Feature names by metric or event type, built once per name rather than per account and value
 * (performance, issue 16: building the frame's names per value was a fifth of the features' cost).
 */
const metricNames = new Map<string, Record<(typeof METRIC_FEATURES)[number], string>>();
const METRIC_FEATURES = ['days28', 'days56', 'days90', 'level28', 'vs_own', 'since', 'gap_ratio'] as const;
const eventNames = new Map<string, Record<(typeof EVENT_FEATURES)[number], string>>();
const EVENT_FEATURES = ['n28', 'n90', 'n180', 'since', 'value90'] as const;

/**
 * A metric with no positive day in its window has no "last" day: its days-since feature is the days
 * of data observed plus this pad (a placeholder past the window, not a date), and words.ts says
 * "no … in the last N days" for it rather than inventing a date.
 */
export const NEVER_SEEN_PAD = 30;

function namesOf<K extends string>(cache: Map<string, Record<K, string>>, prefix: string, features: readonly K[]) {
  let names = cache.get(prefix);
  if (!names) {
    names = Object.fromEntries(features.map((f) => [f, `${prefix}:${f}`])) as Record<K, string>;
    cache.set(prefix, names);
  }
  return names;
}

const metricNamesOf = (metric: string) => namesOf(metricNames, `m:${metric}`, METRIC_FEATURES);
const eventNamesOf = (key: string) => namesOf(eventNames, key, EVENT_FEATURES);

const TENURE_BUCKETS = [30, 90, 180, 365, 730];
export const tenureBucket = (days: number) => {
  const i = TENURE_BUCKETS.findIndex((limit) => days < limit);
  return i === -1 ? TENURE_BUCKETS.length : i;
};

/**
 * The columns a metric's (or an event type's) rows always set, made in the order a row sets them
 * (the frame's name order), found once per name rather than per row and feature (performance).
 */
type Columns<K extends string> = Record<K, Float64Array>;
const ALWAYS_METRIC = ['days28', 'days56', 'days90', 'level28'] as const;
const ALWAYS_METRIC_AFTER = ['since', 'gap_ratio'] as const;
const ALWAYS_EVENT = ['n28', 'n90', 'n180', 'since'] as const;

/** The frame's row of the account the reads are on (rows come grouped by account: the last is kept). */
class RowOf {
  private id: string | undefined;
  private row: number | undefined;
  private readonly frame: FrameBuilder;
  constructor(frame: FrameBuilder) {
    this.frame = frame;
  }
  of(id: string): number | undefined {
    if (id !== this.id) {
      this.id = id;
      this.row = this.frame.index.get(id);
    }
    return this.row;
  }
}

type MetricColumns = Columns<(typeof ALWAYS_METRIC)[number] | (typeof ALWAYS_METRIC_AFTER)[number]>;

function metricAdder(frame: FrameBuilder, day: number) {
  const rowOf = new RowOf(frame);
  const byMetric = new Map<string, { n: ReturnType<typeof metricNamesOf>; c: MetricColumns }>();
  const windowStart = day - METRIC_REACH + 1;
  return (m: MetricAggregate): void => {
    const row = rowOf.of(m.account_id);
    if (row === undefined) return;
    const first = Math.max(dayNumber(m.first_day), windowStart);
    const observed = day - first + 1;
    const earlierDays = observed - 28;
    let named = byMetric.get(m.metric);
    if (!named) {
      const n = metricNamesOf(m.metric);
      // In the order a row sets them; vs_own where the first row that has one sets it.
      const c = Object.fromEntries(ALWAYS_METRIC.map((f) => [f, frame.columnOf(n[f])]));
      if (earlierDays >= 14) frame.columnOf(n.vs_own);
      for (const f of ALWAYS_METRIC_AFTER) c[f] = frame.columnOf(n[f]);
      named = { n, c: c as MetricColumns };
      byMetric.set(m.metric, named);
    }
    const { n, c } = named;
    const level = Math.log1p(Math.max(0, m.s28 / Math.min(28, observed)));
    c.days28[row] = m.d28;
    c.days56[row] = m.d56;
    c.days90[row] = m.d90;
    c.level28[row] = level;
    if (earlierDays >= 14) frame.set(row, n.vs_own, level - Math.log1p(Math.max(0, (m.s90 - m.s28) / earlierDays)));
    const since = m.last_positive ? day - dayNumber(m.last_positive) : observed + NEVER_SEEN_PAD;
    const usualGap = observed / Math.max(1, m.d90);
    c.since[row] = since;
    c.gap_ratio[row] = Math.log1p(since / usualGap);
  };
}

function eventAdder(frame: FrameBuilder, day: number) {
  const rowOf = new RowOf(frame);
  const byType = new Map<string, { n: ReturnType<typeof eventNamesOf>; c: Columns<(typeof ALWAYS_EVENT)[number]> }>();
  return (e: EventAggregate): void => {
    const row = rowOf.of(e.account_id);
    if (row === undefined) return;
    let named = byType.get(e.type);
    if (!named) {
      const n = eventNamesOf(`e:${e.type}`);
      const c = Object.fromEntries(ALWAYS_EVENT.map((f) => [f, frame.columnOf(n[f])]));
      named = { n, c: c as Columns<(typeof ALWAYS_EVENT)[number]> };
      byType.set(e.type, named);
    }
    const { n, c } = named;
    c.n28[row] = Math.log1p(e.n28);
    c.n90[row] = Math.log1p(e.n90);
    c.n180[row] = Math.log1p(e.n180);
    c.since[row] = day - dayNumber(e.last_at);
    if (e.value90 !== null) frame.set(row, n.value90, e.value90);
  };
}

/**
 * Events are facts: an account without an event of a type the book holds had none, which is
 * information (no assessment submitted, no login recorded), not a missing value.
 */
function addAbsentEvents(frame: FrameBuilder): void {
  const types = frame.names.filter((n) => n.startsWith('e:') && n.endsWith(':n180')).map((n) => n.slice(0, -5));
  for (const key of new Set(types)) {
    const n = eventNamesOf(key);
    // Made with :n180 (eventAdder), so none is added here.
    const [n28, n90, n180, since] = [n.n28, n.n90, n.n180, n.since].map((name) => frame.columnOf(name)) as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    for (let i = 0; i < frame.ids.length; i++) {
      const held = n180[i] as number;
      if (held === held) continue;
      n28[i] = n90[i] = n180[i] = 0;
      since[i] = EVENT_REACH + 1;
    }
  }
}

/**
 * Each tenure bucket's mean of `values` (NaN: none), in account order, for buckets of at least 5
 * accounts with a value: the peers of vs_peers.
 */
function bucketMeans(values: Float64Array, buckets: Uint8Array): Map<number, number> {
  const sums = new Map<number, { sum: number; n: number }>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!(v === v)) continue;
    const b = buckets[i] as number;
    const s = sums.get(b) ?? { sum: 0, n: 0 };
    s.sum += v;
    s.n++;
    sums.set(b, s);
  }
  const means = new Map<number, number>();
  for (const [b, s] of sums) if (s.n >= 5) means.set(b, s.sum / s.n);
  return means;
}

/** Each account's tenure bucket (tenureBucket; no creation day: the last bucket). */
function bucketsOf(ids: readonly string[], tenure: ReadonlyMap<string, number>): Uint8Array {
  return Uint8Array.from(ids, (id) => tenureBucket(tenure.get(id) ?? Infinity));
}

/** peerMeans of `level` over `ids`, by their tenure in days. */
export function peerMeans(
  ids: readonly string[],
  level: (id: string) => number,
  tenure: ReadonlyMap<string, number>,
): Map<number, number> {
  return bucketMeans(Float64Array.from(ids, level), bucketsOf(ids, tenure));
}

/**
 * Level against accounts of the same tenure: each level28 minus its tenure bucket's mean. Returns
 * the means by level name (the day's book part, touched-features.ts).
 */
function addPeerLevels(frame: FrameBuilder, tenure: Map<string, number>): Map<string, Map<number, number>> {
  const buckets = bucketsOf(frame.ids, tenure);
  const out = new Map<string, Map<number, number>>();
  const levels = frame.names.filter((n) => n.endsWith(':level28'));
  for (const name of levels) {
    const level = frame.columnOf(name);
    const means = bucketMeans(level, buckets);
    out.set(name, means);
    const peers = name.replace(':level28', ':vs_peers');
    let column: Float64Array | undefined;
    for (let i = 0; i < level.length; i++) {
      const v = level[i] as number;
      const mean = means.get(buckets[i] as number);
      if (!(v === v) || mean === undefined) continue;
      // Made on its first value, as every column (the frame's name order).
      column ??= frame.columnOf(peers);
      column[i] = v - mean;
    }
  }
  return out;
}

/**
 * The account's renewal date as known on `day`. The book keeps only today's renewal_date, which a
 * renewal pushes forward (a year, usually), while a churner keeps the date it left on: read on a
 * past day (the fit's past days, a past --as-of) it told who would renew. So an account with a
 * `renewed` event after the day had, on the day, its renewal due at the first of them; one without
 * has the date it has now, since the book recorded no renewal that would have moved it (a book that
 * moves renewal dates without `renewed` events: docs/risk-engine.md, "Known limits").
 */
export function renewalDateOn(a: Pick<AccountRow, 'renewal_date' | 'renewed_days'>, day: number): number | null {
  if (a.renewed_days)
    for (const renewed of a.renewed_days.split(',')) {
      const on = dayNumber(renewed);
      if (on > day) return on;
    }
  return a.renewal_date ? dayNumber(a.renewal_date) : null;
}

function addAccount(frame: FrameBuilder, a: AccountRow, day: number, tenure: Map<string, number>): void {
  const i = frame.index.get(a.account_id) as number;
  if (a.created_at) {
    const days = day - dayNumber(a.created_at);
    tenure.set(a.account_id, days);
    frame.set(i, 'a:tenure', Math.log1p(Math.max(0, days)));
  }
  const renewal = renewalDateOn(a, day);
  if (renewal !== null) {
    const left = renewal - day;
    frame.set(i, 'a:renewal_in', Math.max(-60, Math.min(400, left)));
    frame.set(i, 'a:renewal_soon', left >= -30 && left <= 90 ? 1 : 0);
  }
  frame.set(i, 'a:log_arr', Math.log1p(a.arr));
}

/**
 * The three reads of a day already made elsewhere: the fit's one pass over every past day
 * (samples.ts), whose accounts may include some not active on the day (they are left out here).
 */
export interface GivenReads {
  accounts: readonly AccountRow[];
  metrics: readonly MetricAggregate[];
  events: readonly EventAggregate[];
}

/**
 * Whose features: the whole book, one account, a sample of accounts (`ids`), or the accounts of
 * reads already made (`given`, the fit's samples.ts).
 */
export type FeatureScope = string | { ids: readonly string[] } | { given: GivenReads } | undefined;

/** The scope's three reads: accounts, metric and event aggregates. */
function scopedReads(db: Db, scope: FeatureScope, bounds: FeatureBounds) {
  const s = featureStatements(db);
  if (scope === undefined)
    return {
      accounts: s.accountsAll.all(),
      metrics: () => s.metricsAll.each(bounds),
      // Streamed: the whole book's grouped event rows as one array were a peak of their own.
      events: () => s.eventsAll.iterate(bounds),
    };
  if (typeof scope === 'string')
    return {
      accounts: [s.accountsOne.get(scope)].filter((a) => !!a),
      metrics: () => s.metricsOne.all({ ...bounds, id: scope }),
      events: () => s.eventsOne.all({ ...bounds, id: scope }),
    };
  if ('given' in scope) {
    const given = scope.given;
    return { accounts: given.accounts, metrics: () => given.metrics, events: () => given.events };
  }
  const ids = JSON.stringify(scope.ids);
  return {
    accounts: s.accountsSome.all(ids),
    metrics: () => s.metricsSome.all({ ...bounds, ids }),
    events: () => s.eventsSome.all({ ...bounds, ids }),
  };
}

/** A frame kept as columns: `columns[j][i]` is feature `names[j]` of account `ids[i]`, NaN when missing. */
export interface FeatureColumns {
  asOf: string;
  ids: string[];
  names: string[];
  columns: Float64Array[];
  /** Each `m:<metric>:level28`'s mean per tenure bucket, as vs_peers used them (peerMeans). */
  peers: Map<string, Map<number, number>>;
}

/**
 * Features as of `asOf` for every account active on it (or the one given, or a sample of them),
 * as columns. Two grouped scans (metrics over 90 days, events over 180) plus the accounts table;
 * for a sample, index seeks of its accounts only. Peers (vs_peers) are then the sample's accounts.
 */
export function buildFeatureColumns(db: Db, asOf: string, scope?: FeatureScope): FeatureColumns {
  const day = dayNumber(asOf);
  const bounds = boundsFor(asOf);
  const reads = scopedReads(db, scope, bounds);
  const frame = new FrameBuilder();
  const tenure = new Map<string, number>();
  // Every row first: a column is as long as the frame's accounts from the moment it is made.
  const active = reads.accounts.filter((a) => activeOn(a, day));
  for (const a of active) frame.addAccount(a.account_id);
  for (const a of active) addAccount(frame, a, day, tenure);
  const addMetric = metricAdder(frame, day);
  for (const m of reads.metrics()) addMetric(m);
  const addEvent = eventAdder(frame, day);
  for (const e of reads.events()) addEvent(e);
  addAbsentEvents(frame);
  const peers = addPeerLevels(frame, tenure);
  return { asOf, ids: frame.ids, names: frame.names, columns: frame.columns, peers };
}

/** The same features as rows: `rows[i]` holds account `ids[i]`'s values in the order of `names`. */
export function buildFeatures(db: Db, asOf: string, scope?: FeatureScope): FeatureFrame {
  const { ids, names, columns } = buildFeatureColumns(db, asOf, scope);
  const rows = ids.map((_, i) => {
    const row = new Float64Array(names.length);
    for (let j = 0; j < columns.length; j++) row[j] = (columns[j] as Float64Array)[i] as number;
    return row;
  });
  return { asOf, ids, names, rows };
}

/** Reorders a frame's row to the model's feature names (absent names are NaN). */
export function aligner(
  frameNames: readonly string[],
  modelNames: readonly string[],
): (row: Float64Array) => Float64Array {
  const position = new Map(frameNames.map((n, j) => [n, j]));
  const map = modelNames.map((n) => position.get(n) ?? -1);
  return (row) => {
    const out = new Float64Array(map.length);
    for (let k = 0; k < map.length; k++) {
      const j = map[k] as number;
      out[k] = j >= 0 ? (row[j] as number) : NaN;
    }
    return out;
  };
}
