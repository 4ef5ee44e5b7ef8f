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

/** A growing set of named columns; each account's values go in a sparse array, NaN elsewhere. */
class FrameBuilder {
  readonly names: string[] = [];
  private readonly column = new Map<string, number>();
  readonly values = new Map<string, number[]>();

  set(id: string, name: string, value: number): void {
    let j = this.column.get(name);
    if (j === undefined) {
      j = this.names.length;
      this.names.push(name);
      this.column.set(name, j);
    }
    const row = this.values.get(id);
    if (row) row[j] = value;
  }

  get(id: string, name: string): number {
    const j = this.column.get(name);
    return j === undefined ? NaN : (this.values.get(id)?.[j] ?? NaN);
  }
}

const TENURE_BUCKETS = [30, 90, 180, 365, 730];
export const tenureBucket = (days: number) => {
  const i = TENURE_BUCKETS.findIndex((limit) => days < limit);
  return i === -1 ? TENURE_BUCKETS.length : i;
};

function addMetric(frame: FrameBuilder, m: MetricAggregate, day: number): void {
  const id = m.account_id;
  const key = `m:${m.metric}`;
  const windowStart = day - METRIC_REACH + 1;
  const first = Math.max(dayNumber(m.first_day), windowStart);
  const observed = day - first + 1;
  frame.set(id, `${key}:days28`, m.d28);
  frame.set(id, `${key}:days56`, m.d56);
  frame.set(id, `${key}:days90`, m.d90);
  const rate28 = m.s28 / Math.min(28, observed);
  frame.set(id, `${key}:level28`, Math.log1p(Math.max(0, rate28)));
  const earlierDays = observed - 28;
  if (earlierDays >= 14)
    frame.set(
      id,
      `${key}:vs_own`,
      Math.log1p(Math.max(0, rate28)) - Math.log1p(Math.max(0, (m.s90 - m.s28) / earlierDays)),
    );
  const since = m.last_positive ? day - dayNumber(m.last_positive) : observed + 30;
  const usualGap = observed / Math.max(1, m.d90);
  frame.set(id, `${key}:since`, since);
  frame.set(id, `${key}:gap_ratio`, Math.log1p(since / usualGap));
}

function addEvent(frame: FrameBuilder, e: EventAggregate, day: number): void {
  const key = `e:${e.type}`;
  frame.set(e.account_id, `${key}:n28`, Math.log1p(e.n28));
  frame.set(e.account_id, `${key}:n90`, Math.log1p(e.n90));
  frame.set(e.account_id, `${key}:n180`, Math.log1p(e.n180));
  frame.set(e.account_id, `${key}:since`, day - dayNumber(e.last_at));
  if (e.value90 !== null) frame.set(e.account_id, `${key}:value90`, e.value90);
}

/**
 * Events are facts: an account without an event of a type the book holds had none, which is
 * information (no assessment submitted, no login recorded), not a missing value.
 */
function addAbsentEvents(frame: FrameBuilder, ids: readonly string[]): void {
  const types = new Set(
    frame.names.filter((n) => n.startsWith('e:') && n.endsWith(':n180')).map((n) => n.slice(0, -5)),
  );
  for (const key of types)
    for (const id of ids) {
      if (frame.get(id, `${key}:n180`) === frame.get(id, `${key}:n180`)) continue;
      frame.set(id, `${key}:n28`, 0);
      frame.set(id, `${key}:n90`, 0);
      frame.set(id, `${key}:n180`, 0);
      frame.set(id, `${key}:since`, EVENT_REACH + 1);
    }
}

/** Each tenure bucket's mean level, for buckets of at least 5 accounts with a value: the peers of vs_peers. */
export function peerMeans(
  ids: readonly string[],
  level: (id: string) => number,
  tenure: ReadonlyMap<string, number>,
): Map<number, number> {
  const sums = new Map<number, { sum: number; n: number }>();
  for (const id of ids) {
    const v = level(id);
    if (!(v === v)) continue;
    const b = tenureBucket(tenure.get(id) ?? Infinity);
    const s = sums.get(b) ?? { sum: 0, n: 0 };
    s.sum += v;
    s.n++;
    sums.set(b, s);
  }
  const means = new Map<number, number>();
  for (const [b, s] of sums) if (s.n >= 5) means.set(b, s.sum / s.n);
  return means;
}

/** Level against accounts of the same tenure: each level28 minus its tenure bucket's mean. */
function addPeerLevels(frame: FrameBuilder, ids: readonly string[], tenure: Map<string, number>): void {
  const levels = frame.names.filter((n) => n.endsWith(':level28'));
  for (const name of levels) {
    const means = peerMeans(ids, (id) => frame.get(id, name), tenure);
    const peers = name.replace(':level28', ':vs_peers');
    for (const id of ids) {
      const v = frame.get(id, name);
      const mean = means.get(tenureBucket(tenure.get(id) ?? Infinity));
      if (v === v && mean !== undefined) frame.set(id, peers, v - mean);
    }
  }
}

function addAccount(frame: FrameBuilder, a: AccountRow, day: number, tenure: Map<string, number>): void {
  if (a.created_at) {
    const days = day - dayNumber(a.created_at);
    tenure.set(a.account_id, days);
    frame.set(a.account_id, 'a:tenure', Math.log1p(Math.max(0, days)));
  }
  if (a.renewal_date) {
    const left = dayNumber(a.renewal_date) - day;
    frame.set(a.account_id, 'a:renewal_in', Math.max(-60, Math.min(400, left)));
    frame.set(a.account_id, 'a:renewal_soon', left >= -30 && left <= 90 ? 1 : 0);
  }
  frame.set(a.account_id, 'a:log_arr', Math.log1p(a.arr));
}

/**
 * Features as of `asOf` for every account active on it (or the one given). Two grouped scans (metrics over 90 days,
 * events over 180) plus the accounts table.
 */
export function buildFeatures(db: Db, asOf: string, accountId?: string): FeatureFrame {
  const s = featureStatements(db);
  const day = dayNumber(asOf);
  const bounds = boundsFor(asOf);
  const accounts = accountId === undefined ? s.accountsAll.all() : [s.accountsOne.get(accountId)].filter((a) => !!a);
  const frame = new FrameBuilder();
  const tenure = new Map<string, number>();
  const ids: string[] = [];
  for (const a of accounts) {
    if (!activeOn(a, day)) continue;
    ids.push(a.account_id);
    frame.values.set(a.account_id, []);
    addAccount(frame, a, day, tenure);
  }
  const metrics = accountId === undefined ? s.metricsAll.all(bounds) : s.metricsOne.all({ ...bounds, id: accountId });
  for (const m of metrics) if (frame.values.has(m.account_id)) addMetric(frame, m, day);
  const events = accountId === undefined ? s.eventsAll.all(bounds) : s.eventsOne.all({ ...bounds, id: accountId });
  for (const e of events) if (frame.values.has(e.account_id)) addEvent(frame, e, day);
  addAbsentEvents(frame, ids);
  addPeerLevels(frame, ids, tenure);
  const p = frame.names.length;
  const rows = ids.map((id) => {
    const row = new Float64Array(p).fill(NaN);
    const values = frame.values.get(id) ?? [];
    for (let j = 0; j < values.length; j++) if (values[j] !== undefined) row[j] = values[j] as number;
    return row;
  });
  return { asOf, ids, names: frame.names, rows };
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
