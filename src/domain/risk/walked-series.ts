/**
 * A series as the metric walk returns it (load-sql.ts, everySeries): one row per series, its values
 * packed as text, "count first last [v1,v2,…]". Parsed here for the pass, whether the pass walked
 * the rows itself or the fit worker walked them beside it (series-prefetch.ts), so both read the
 * same values the same way.
 */
import { dayNumber, dayString } from './days.ts';
import type { LoadWindow } from './load.ts';

/**
 * The parameters of a range's metric walk, but its bounds (@lo, @hi): the window's, from the
 * aggregates' first day when they read earlier. The pass and the reader beside it use the same.
 */
export function seriesParams(window: LoadWindow, aggregates?: { from: number }) {
  return {
    liveOnly: window.liveOnly ? 1 : 0,
    churnedSince: dayString(window.churnedSince ?? window.to + 1),
    metricsFrom: dayString(aggregates ? Math.min(window.metricsFrom, aggregates.from) : window.metricsFrom),
    metricsTo: dayString(window.to),
  };
}

/** A walked series with a value on every day from `first` on, or null: it has holes, re-read by its dates. */
function parsePacked(packed: string): { first: number; values: number[] } | null {
  const bracket = packed.indexOf('[');
  const head = packed.slice(0, bracket - 1).split(' ');
  const first = dayNumber(head[1] as string);
  // The primary-key range is walked in date order: as many values as days means no hole.
  if (Number(head[0]) !== dayNumber(head[2] as string) - first + 1) return null;
  return { first, values: JSON.parse(packed.slice(bracket)) as number[] };
}

/** Row flags: the series has rows after the day; no value in the window (packed NULL); holes (re-read by dates). */
export const LATER = 1;
export const NO_VALUES = 2;
export const HOLES = 4;

/**
 * The metric walk of one chunk of the pass (the rows the pass's statement returns, in its order),
 * parsed: for row r, keys[3r…3r+2] = account, metric, contact; meta[3r] = first day, meta[3r+1] =
 * its flags (LATER, NO_VALUES, HOLES), meta[3r+2] = its values' count,
 * which follow the previous rows' in `values`. Typed arrays, so posting a chunk moves it, not copies it.
 */
export interface WalkedChunk {
  /** The chunk's place in the pass. */
  index: number;
  keys: string[];
  meta: Int32Array;
  values: Float64Array;
}

export type WalkedRow = [accountId: string, metric: string, contactId: string, packed: string | null, later?: number];

/** A copy of `array` with room for at least `size` elements: twice as long, or `size`. */
function grown<T extends Int32Array | Float64Array>(array: T, size: number): T {
  const bigger = new (array.constructor as new (length: number) => T)(Math.max(size, array.length * 2));
  bigger.set(array);
  return bigger;
}

/**
 * A chunk's walked rows, parsed into a WalkedChunk. Performance (issue 13): the numbers go straight
 * into growing typed arrays, trimmed once at the end, instead of a JS array of each row's numbers
 * and of the meta copied again at the end (garbage the scoring thread's collector went through).
 */
export function packWalk(index: number, rows: Iterable<WalkedRow>): WalkedChunk {
  const keys: string[] = [];
  let meta = new Int32Array(3 * 4096);
  let values = new Float64Array(1 << 18);
  let size = 0;
  let total = 0;
  for (const [accountId, metric, contactId, packed, later] of rows) {
    keys.push(accountId, metric, contactId);
    const parsed = packed === null ? null : parsePacked(packed);
    const flags = (later === 1 ? LATER : 0) | (packed === null ? NO_VALUES : parsed === null ? HOLES : 0);
    if (size + 3 > meta.length) meta = grown(meta, size + 3);
    meta[size] = parsed?.first ?? 0;
    meta[size + 1] = flags;
    meta[size + 2] = parsed?.values.length ?? 0;
    size += 3;
    if (parsed) {
      if (total + parsed.values.length > values.length) values = grown(values, total + parsed.values.length);
      values.set(parsed.values, total);
      total += parsed.values.length;
    }
  }
  return { index, keys, meta: meta.slice(0, size), values: values.slice(0, total) };
}

/** Each row of a chunk as the pass takes it: values null with NO_VALUES or HOLES. */
export function forEachWalked(
  chunk: WalkedChunk,
  take: (
    accountId: string,
    metric: string,
    contactId: string,
    flags: number,
    first: number,
    values: Float64Array | null,
  ) => void,
): void {
  const { keys, meta } = chunk;
  let at = 0;
  for (let r = 0; r * 3 < meta.length; r++) {
    const flags = meta[3 * r + 1] as number;
    const count = meta[3 * r + 2] as number;
    const values = flags & (NO_VALUES | HOLES) ? null : chunk.values.subarray(at, at + count);
    at += count;
    take(
      keys[3 * r] as string,
      keys[3 * r + 1] as string,
      keys[3 * r + 2] as string,
      flags,
      meta[3 * r] as number,
      values,
    );
  }
}
