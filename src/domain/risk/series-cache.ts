/**
 * The series cache (migration 22): each account's series as a whole-book scoring run read them,
 * kept from the first day a new day's run needs, so the next run reads one row per account plus
 * only the metric rows dated after each series' last cached day (one primary-key seek per series,
 * in the same statement) instead of walking every row of every series again (issue 16: that walk
 * alone was about 1.4× the aggregate-scan baseline).
 *
 * What the reader gets from the cache equals what the walk would give (load.ts;
 * test/integration/series-cache.test.ts compares whole runs row for row), because every writer
 * keeps it true (series-cache-hooks.ts and the migration's triggers). A series' values are packed
 * as Int32 when each is a whole number that fits (most metrics are counts), else Float64; a day
 * without a value is NaN (Int32: INT32_MIN). One row per account, not per series: reading 35,000
 * small BLOBs cost several times reading 5,000 larger ones.
 */
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import type { ScoreConfig } from './config.ts';
import { dayNumber, dayString } from './days.ts';
import { ANCHOR_DAYS } from './model/stored-model.ts';

/**
 * Days between rewrites of an account's cached series, staggered (each day about 1/14 of the book is
 * rewritten): the cache then holds at most 14 days more than a run reads, and reads at most 14 rows
 * a series by seek.
 */
export const REFRESH_DAYS = 14;
const NONE = -2147483648;

/** What a whole-book run tells the reader about the cache: the first day a new day's run needs. */
export interface SeriesCachePlan {
  keepFrom: number;
}

/**
 * The first day a new day's whole-book run reads: it refits the churn curve (planCalibration in
 * score-plan.ts) as of its fit day, up to ANCHOR_DAYS - 1 days before it, whose samples reach back
 * over the calibration window and its lead, plus the rules' reach (`metricsReach`), or the churn model's aggregates' first day if earlier. The same
 * for every run of a day, so runs that read less do not shrink what the next day needs.
 */
export function cachePlan(
  asOfDay: number,
  config: ScoreConfig,
  metricsReach: number,
  aggregatesFrom: number,
): SeriesCachePlan {
  const { windowDays, leadDays } = config.calibration;
  const fitDay = asOfDay - (ANCHOR_DAYS - 1);
  return { keepFrom: Math.min(fitDay - windowDays + 1 - leadDays - metricsReach, aggregatesFrom) };
}

/** A series as the reader hands it on: values[i] is day start + i (NaN: no value), ending in a value. */
export interface ReadSeries {
  metric: string;
  contactId: string;
  start: number;
  values: number[] | Float64Array;
}

/** One series in the `series` JSON: key, first day, values, packing (1: Float64) and last value day. */
type SeriesEntry = [metric: string, contactId: string, start: number, count: number, wide: 0 | 1, through: string];

/** One row of the cached read: the account, its cache, and its rows after the cache as [series index, date, value]. */
export type CachedRow = [accountId: string, fromDay: string, series: string, vals: Uint8Array, fresh: string | null];

function isInt32(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v === v && !(Number.isInteger(v) && v > NONE && v <= 2147483647)) return false;
  }
  return true;
}

/** Bytes before a series at `offset`: a Float64 series starts on a multiple of 8, so it can be read in place. */
const padding = (offset: number, wide: 0 | 1) => (wide === 1 && offset % 8 !== 0 ? 4 : 0);

/**
 * An account's series in one BLOB and their entries; the series are in key order. Performance
 * (issue 13): the BLOB is one zero-filled buffer sized first, each series written into it through a
 * view, not a buffer per series (and per padding) copied again by a concatenation.
 */
export function packSeries(series: readonly ReadSeries[]): { entries: SeriesEntry[]; vals: Buffer } {
  const entries: SeriesEntry[] = [];
  let size = 0;
  for (const s of series) {
    const wide = isInt32(s.values) ? 0 : 1;
    size += padding(size, wide) + s.values.length * (wide === 1 ? 8 : 4);
    entries.push([s.metric, s.contactId, s.start, s.values.length, wide, dayString(s.start + s.values.length - 1)]);
  }
  const buffer = new ArrayBuffer(size);
  let offset = 0;
  for (let k = 0; k < series.length; k++) {
    const { values } = series[k] as ReadSeries;
    const wide = (entries[k] as SeriesEntry)[4];
    offset += padding(offset, wide);
    if (wide === 1) new Float64Array(buffer, offset, values.length).set(values);
    else {
      const packed = new Int32Array(buffer, offset, values.length);
      for (let i = 0; i < values.length; i++) {
        const v = values[i] as number;
        packed[i] = v === v ? v : NONE;
      }
    }
    offset += values.length * (wide === 1 ? 8 : 4);
  }
  return { entries, vals: Buffer.from(buffer) };
}

/**
 * The cached account's series in key order, each as a walk of the metrics table on [from, to] would
 * read it. Performance (issue 16): every series of the account is decoded into one Float64Array and
 * handed on as views of it; a typed array per series (two with the copy) cost about as much as the
 * whole cached read's SQL at 50,000 accounts.
 */
export function unpackSeries(row: CachedRow, from: number, to: number): ReadSeries[] {
  const entries = JSON.parse(row[2]) as SeriesEntry[];
  // One aligned copy: the Buffer better-sqlite3 returns need not be aligned for typed-array views.
  const bytes = new Uint8Array(row[3]).buffer;
  const fresh = row[4] === null ? [] : (JSON.parse(row[4]) as [number, string, number][]);
  let total = 0;
  for (const entry of entries) total += entry[3];
  const all = new Float64Array(total);
  const out: ReadSeries[] = [];
  let offset = 0;
  let at = 0;
  let f = 0;
  for (let i = 0; i < entries.length; i++) {
    const [metric, contactId, start, count, wide] = entries[i]!;
    offset += padding(offset, wide);
    const cached = all.subarray(at, at + count);
    if (wide === 1) cached.set(new Float64Array(bytes, offset, count));
    else {
      const packed = new Int32Array(bytes, offset, count);
      for (let k = 0; k < count; k++) {
        const v = packed[k] as number;
        cached[k] = v === NONE ? Number.NaN : v;
      }
    }
    offset += count * (wide === 1 ? 8 : 4);
    at += count;
    const mine: [string, number][] = [];
    // Rows after the cache, by series in entry order, each series' in date order (the seek's).
    while (f < fresh.length && fresh[f]![0] === i) {
      mine.push([fresh[f]![1], fresh[f]![2]]);
      f++;
    }
    const merged = merge(cached, start, mine, from, to);
    if (merged) out.push({ metric, contactId, ...merged });
  }
  return out;
}

/**
 * The cached values from `start` and the later rows on [from, to]: from the first value on or after
 * `from` to the last on or before `to`, holes NaN; null when there is no value there.
 */
function merge(
  cached: Float64Array,
  start: number,
  fresh: readonly [string, number][],
  from: number,
  to: number,
): { start: number; values: Float64Array } | null {
  const lo = Math.max(from, start);
  const hi = Math.min(to, start + cached.length - 1);
  let first = -1;
  let last = -1;
  for (let d = lo; d <= hi; d++)
    if (cached[d - start] === cached[d - start]) {
      first = d;
      break;
    }
  if (first >= 0)
    for (let d = hi; d >= first; d--)
      if (cached[d - start] === cached[d - start]) {
        last = d;
        break;
      }
  // Every later row is dated after every cached day.
  if (fresh.length > 0) {
    if (first < 0) first = dayNumber(fresh[0]![0]);
    last = dayNumber(fresh[fresh.length - 1]![0]);
  }
  if (first < 0) return null;
  // Nothing after the cache (a day without new data): a view of the decoded values, no copy.
  if (fresh.length === 0) return { start: first, values: cached.subarray(first - start, last - start + 1) };
  const values = new Float64Array(last - first + 1).fill(Number.NaN);
  const copyTo = Math.min(hi, last);
  if (copyTo >= first) values.set(cached.subarray(first - start, copyTo - start + 1), 0);
  for (const [date, value] of fresh) values[dayNumber(date) - first] = value;
  return { start: first, values };
}

/** Whether an account cached from `fromDay` is rewritten this run: every REFRESH_DAYS days, staggered by account. */
export function dueForRefresh(accountId: string, fromDay: string, keepFrom: number): boolean {
  const behind = keepFrom - dayNumber(fromDay);
  if (behind <= 0) return false;
  if (behind >= REFRESH_DAYS) return true;
  let hash = 0;
  for (let i = 0; i < accountId.length; i++) hash = (hash * 31 + accountId.charCodeAt(i)) | 0;
  return (keepFrom + (hash >>> 0)) % REFRESH_DAYS === 0;
}

export const seriesCacheRepo = perConnection((db: Db) => {
  const replace = db.prepare<[string, string, string, Buffer]>(
    'INSERT OR REPLACE INTO series_cache (account_id, from_day, series, vals) VALUES (?, ?, ?, ?)',
  );
  const forget = db.prepare<[string]>('DELETE FROM series_cache WHERE account_id = ?');
  return {
    /**
     * The cached read of the accounts in @lo…@hi (or those `accounts` selects, as `a`; `live` their liveness condition) whose
     * cache reaches back to @metricsFrom: each account's row and the metric rows after each of
     * its series' last day up to @metricsTo, one primary-key seek per series.
     */
    readSql: (live: string, accounts = 'a.account_id >= @lo AND a.account_id <= @hi') =>
      `SELECT c.account_id, c.from_day, c.series, c.vals,
         (SELECT json_group_array(json_array(k.key, x.date, x.value)) FROM json_each(c.series) k CROSS JOIN metrics x
          WHERE x.account_id = c.account_id AND x.metric = k.value ->> 0 AND x.contact_id = k.value ->> 1
            AND x.date > k.value ->> 5 AND x.date >= @metricsFrom AND x.date <= @metricsTo
          HAVING count(*) > 0)
       FROM accounts a CROSS JOIN series_cache c
       WHERE ${accounts} AND ${live} AND c.account_id = a.account_id AND c.from_day <= @metricsFrom`,
    /** Keeps an account's series from `keepFrom` (each from its first value there); none: forgets it. */
    write(accountId: string, series: readonly ReadSeries[], keepFrom: number): void {
      const kept: ReadSeries[] = [];
      for (const s of series) {
        let i = Math.max(0, keepFrom - s.start);
        while (i < s.values.length && s.values[i] !== s.values[i]) i++;
        // A view, not a copy: packSeries copies the values into the BLOB.
        if (i < s.values.length)
          kept.push({ ...s, start: s.start + i, values: i === 0 ? s.values : s.values.slice(i) });
      }
      if (kept.length === 0) {
        forget.run(accountId);
        return;
      }
      // Key order, as the walk reads them (the reader hands them on in this order).
      kept.sort((x, y) => (x.metric < y.metric ? -1 : x.metric > y.metric ? 1 : x.contactId < y.contactId ? -1 : 1));
      const { entries, vals } = packSeries(kept);
      replace.run(accountId, dayString(keepFrom), JSON.stringify(entries), vals);
    },
  };
});

/**
 * What a chunk's read keeps in the cache: every account it walked (unless a series has rows after
 * the day: a series with only later rows would be missing from the cache), and the cached accounts
 * due for a rewrite (dueForRefresh), each with all of its series as read.
 */
export class CacheWrites {
  private readonly keepFrom: number;
  private readonly writeFrom: number;
  private readonly writing = new Map<string, ReadSeries[]>();
  private readonly skipped = new Set<string>();

  /** `keepFrom`: the run's plan; `readFrom`: the first day read, when later (a run that read less keeps less). */
  constructor(keepFrom: number, readFrom: number) {
    this.keepFrom = keepFrom;
    this.writeFrom = Math.max(keepFrom, readFrom);
  }

  /** A cached account read (its cache reaching back to `fromDay`). */
  cached(accountId: string, fromDay: string): void {
    if (dueForRefresh(accountId, fromDay, this.keepFrom)) this.writing.set(accountId, []);
  }

  /** A series group of an account walked; `later`: the series has rows after the day. */
  walked(accountId: string, later: boolean): void {
    if (later) {
      this.skipped.add(accountId);
      this.writing.delete(accountId);
    } else if (!this.skipped.has(accountId) && !this.writing.has(accountId)) this.writing.set(accountId, []);
  }

  add(accountId: string, series: ReadSeries): void {
    this.writing.get(accountId)?.push(series);
  }

  write(db: Db): void {
    const repo = seriesCacheRepo(db);
    for (const [accountId, series] of this.writing) repo.write(accountId, series, this.writeFrom);
  }
}
