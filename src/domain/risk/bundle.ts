/**
 * Everything the engine knows about one account while it evaluates it: the account record, its
 * contacts, its daily metric series as dense arrays (windows of at most a few weeks are summed
 * directly) and its events grouped by type as sorted day numbers (so any window count is a binary
 * search).
 */
import type { BookCoverage } from './data-age.ts';

export interface AccountFacts {
  account_id: string;
  name: string;
  owner_email: string | null;
  segment: string | null;
  arr: number;
  currency: string;
  seats_purchased: number | null;
  usage_limit: number | null;
  renewal_date: string | null;
  created_at: string | null;
  status: 'active' | 'churned';
  churned_at: string | null;
  lifecycle_stage: string | null;
}

export interface ContactFacts {
  contact_id: string;
  name: string | null;
  is_champion: boolean;
  active: boolean;
}

/** Series.median's working array (one thread runs one median at a time). */
let medianScratch = new Float64Array(128);

/**
 * A daily series from day `start`; missing days are NaN. Windows are summed directly, always in
 * the same order, so a figure never depends on how often the series was asked (floating-point
 * prefix differences would make facts differ in the last digit between runs).
 */
export class Series {
  readonly start: number;
  readonly values: ArrayLike<number>;

  constructor(start: number, values: ArrayLike<number>) {
    this.start = start;
    this.values = values;
  }

  get end(): number {
    return this.start + this.values.length - 1;
  }

  /** Clips [from, to] to the series, as indexes [a, b). */
  private range(from: number, to: number): [number, number] {
    const a = Math.max(0, from - this.start);
    const b = Math.min(this.values.length, to - this.start + 1);
    return a < b ? [a, b] : [0, 0];
  }

  /** Sum and number of days with a value in [from, to]. */
  window(from: number, to: number): { sum: number; n: number } {
    const [a, b] = this.range(from, to);
    let sum = 0;
    let n = 0;
    const values = this.values;
    for (let i = a; i < b; i++) {
      const v = values[i] as number;
      if (v === v) {
        sum += v;
        n++;
      }
    }
    return { sum, n };
  }

  /** Mean of the days with a value in [from, to], or null when there are fewer than `minDays`. */
  mean(from: number, to: number, minDays = 1): { mean: number; n: number } | null {
    const { sum, n } = this.window(from, to);
    return n >= Math.max(1, minDays) ? { mean: sum / n, n } : null;
  }

  /** Days in [from, to] with a value above zero. */
  positiveDays(from: number, to: number): number {
    const [a, b] = this.range(from, to);
    let n = 0;
    for (let i = a; i < b; i++) if ((this.values[i] as number) > 0) n++;
    return n;
  }

  /** The last day in (day − horizon, day] with a value above zero, or null. */
  lastPositive(day: number, horizon: number): number | null {
    const stop = Math.max(0, day - horizon + 1 - this.start);
    for (let i = Math.min(this.values.length - 1, day - this.start); i >= stop; i--) {
      if ((this.values[i] as number) > 0) return this.start + i;
    }
    return null;
  }

  /** Median of the present values in [from, to], or null with fewer than `minDays`. */
  median(from: number, to: number, minDays = 1): { median: number; n: number } | null {
    const [a, b] = this.range(from, to);
    // Performance (issue 13): one scratch array for every median (a whole-book run asks one per
    // account), sorted in place and read before the next call; not a new buffer each time.
    if (medianScratch.length < b - a) medianScratch = new Float64Array(Math.max(b - a, 2 * medianScratch.length));
    const all = medianScratch;
    let count = 0;
    for (let i = a; i < b; i++) {
      const v = this.values[i] as number;
      if (v === v) all[count++] = v;
    }
    if (count < Math.max(1, minDays)) return null;
    const present = all.subarray(0, count).sort();
    const mid = present.length >> 1;
    const median =
      present.length % 2 ? (present[mid] as number) : ((present[mid - 1] as number) + (present[mid] as number)) / 2;
    return { median, n: present.length };
  }

  hasDataBetween(from: number, to: number): boolean {
    const [a, b] = this.range(from, to);
    for (let i = a; i < b; i++) if (this.values[i] === this.values[i]) return true;
    return false;
  }
}

/** One event type's occurrences, in time order. */
export interface EventList {
  days: number[];
  at: string[];
  values: (number | null)[];
  contacts: (string | null)[];
}

export interface AccountBundle {
  account: AccountFacts;
  contacts: ContactFacts[];
  /** Account-level series by metric name. */
  metrics: Map<string, Series>;
  /** Per-contact `logins` series by contact id. */
  contactLogins: Map<string, Series>;
  events: Map<string, EventList>;
  /** Which kinds of data the whole book holds (data-age.ts); absent for a lone evaluation. */
  book?: BookCoverage;
}

export function emptyBundle(account: AccountFacts): AccountBundle {
  return { account, contacts: [], metrics: new Map(), contactLogins: new Map(), events: new Map() };
}

const NO_EVENTS: EventList = { days: [], at: [], values: [], contacts: [] };

export function eventsOf(bundle: AccountBundle, type: string): EventList {
  return bundle.events.get(type) ?? NO_EVENTS;
}

/** Index of the first element > day (days sorted ascending). */
export function upperBound(days: readonly number[], day: number): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((days[mid] as number) <= day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Occurrences with from ≤ day ≤ to. */
export function countBetween(list: EventList, from: number, to: number): number {
  if (to < from) return 0;
  return upperBound(list.days, to) - upperBound(list.days, from - 1);
}

/**
 * How far back "the latest X" looks, in days. Fixed (not "whatever was loaded"), so an evaluation
 * does not depend on how wide a window the run happened to read; every run loads at least this.
 */
export const EVENT_HORIZON_DAYS = 180;

/** Index of the last occurrence on or before `day` (within EVENT_HORIZON_DAYS), or -1. */
export function lastIndexOnOrBefore(list: EventList, day: number): number {
  const i = upperBound(list.days, day) - 1;
  return i >= 0 && (list.days[i] as number) > day - EVENT_HORIZON_DAYS ? i : -1;
}
