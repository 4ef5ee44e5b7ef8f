/**
 * The churn model's per-event-type aggregates (EventAggregate in model/feature-sql.ts) folded from
 * the events a whole-book scoring run reads anyway (the engine's types, load.ts), so the features
 * read only the other types from the events table (issue 13: the grouped scan of 180 days of
 * events was the larger part of the features' cost after the pass, about 1.4 s at 50,000
 * accounts). The same numbers as EVENTS_SQL there, row for row, including avg()'s summation
 * (SQLite's Kahan-Babuska-Neumaier sum); test/integration/event-aggregates.test.ts holds the two
 * together.
 */
import type { AccountBundle, EventList } from './bundle.ts';
import { EVENT_REACH, type EventAggregate } from './model/feature-sql.ts';
import { startOfDayInstant } from './days.ts';
import { ENGINE_EVENT_TYPES } from './load-sql.ts';
import type { LoadWindow } from './load.ts';

/**
 * avg() as SQLite computes it over REAL values (func.c: a Kahan-Babuska-Neumaier sum, the error
 * term added unless it overflowed, then one division), of `values[lo..hi)`; null without a value.
 */
function sqliteAverage(values: readonly (number | null)[], lo: number, hi: number): number | null {
  let sum = 0;
  let err = 0;
  let n = 0;
  for (let i = lo; i < hi; i++) {
    const r = values[i];
    if (r === null || r === undefined) continue;
    const t = sum + r;
    if (Math.abs(sum) > Math.abs(r)) err += sum - t + r;
    else err += r - t + sum;
    sum = t;
    n++;
  }
  if (n === 0) return null;
  return (Number.isFinite(err) ? sum + err : sum) / n;
}

/**
 * The first event of `list` (in time order) at or after `instant`, the start of `day`, from `lo` on: a search
 * of its day numbers, then the instants of that day compared as text, as the SQL compares them.
 */
function firstFrom(list: EventList, day: number, instant: string, lo = 0): number {
  const { days, at } = list;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((days[mid] as number) < day) lo = mid + 1;
    else hi = mid;
  }
  while (lo < days.length && days[lo] === day && (at[lo] as string) < instant) lo++;
  return lo;
}

/**
 * Byte order of UTF-8 text (SQLite's BINARY collation): code point order. JS's `<` compares
 * UTF-16 code units, which differs only beside surrogate pairs.
 */
export function compareBinary(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const surrogate = (c: number) => c >= 0xd800 && c <= 0xdfff;
    // A surrogate (a code point above U+FFFF) sorts after every other BMP character.
    if (surrogate(x) !== surrogate(y)) return surrogate(x) ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

const COUNTS = ['n28', 'n90', 'n180'] as const;

/**
 * Kept in columns until asked for, like the metric aggregates (series-aggregates.ts): they live
 * through the whole read (about 250,000 rows at 50,000 accounts).
 */
export class EventAggregator {
  /** The first days of the 180, 90 and 28 days, and the day after them. */
  private readonly bounds: { from180: number; from90: number; from28: number; to: number };
  /** Their first instants, as the SQL compares them. */
  private readonly instants: { from180: string; from90: string; from28: string; to: string };
  /** The types folded here: every other type (but `churned`) is read from the table. */
  readonly types: readonly string[];
  private readonly accounts: string[] = [];
  private readonly typeOf: string[] = [];
  private readonly lastAt: string[] = [];
  private counts: Record<(typeof COUNTS)[number], Int32Array>;
  /** avg() of the values within 90 days; NaN for none (SQLite stores no NaN, so it means NULL). */
  private value90: Float64Array;
  private size = 0;

  /** `types`: the event types the bundles hold in full over the 180 days up to `day`. */
  constructor(day: number, types: readonly string[]) {
    this.bounds = { from180: day - EVENT_REACH + 1, from90: day - 89, from28: day - 27, to: day + 1 };
    const b = this.bounds;
    this.instants = {
      from180: startOfDayInstant(b.from180),
      from90: startOfDayInstant(b.from90),
      from28: startOfDayInstant(b.from28),
      to: startOfDayInstant(b.to),
    };
    // In SQLite's order of text, the order of an account's rows.
    this.types = types.filter((t) => t !== 'churned').sort(compareBinary);
    this.counts = { n28: new Int32Array(1024), n90: new Int32Array(1024), n180: new Int32Array(1024) };
    this.value90 = new Float64Array(1024);
  }

  /** The first day the fold needs: a bundle's events must be read from here. */
  get from(): number {
    return this.bounds.from180;
  }

  private grow(): void {
    const grown = (a: Int32Array) => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    for (const c of COUNTS) this.counts[c] = grown(this.counts[c]);
    const v = new Float64Array(this.value90.length * 2);
    v.set(this.value90);
    this.value90 = v;
  }

  /**
   * One account's events (every event of the folded types within the 180 days, as the pass reads
   * them). Accounts must come in SQLite's account_id order, as the pass reads them.
   */
  add(bundle: AccountBundle): void {
    const { bounds: b, instants: t } = this;
    const id = bundle.account.account_id;
    // Each type's events are in time order (load.ts): the windows are bounds found by search.
    for (const type of this.types) {
      const list = bundle.events.get(type);
      if (!list) continue;
      const from180 = firstFrom(list, b.from180, t.from180);
      const to = firstFrom(list, b.to, t.to, from180);
      if (to === from180) continue;
      const from90 = firstFrom(list, b.from90, t.from90, from180);
      const from28 = firstFrom(list, b.from28, t.from28, from90);
      if (this.size === this.value90.length) this.grow();
      const at = this.size++;
      this.accounts.push(id);
      this.typeOf.push(type);
      this.lastAt.push(list.at[to - 1] as string);
      this.counts.n28[at] = Math.max(0, to - from28);
      this.counts.n90[at] = Math.max(0, to - from90);
      this.counts.n180[at] = to - from180;
      this.value90[at] = sqliteAverage(list.values, from90, to) ?? NaN;
    }
  }

  private row(i: number): EventAggregate {
    const value = this.value90[i] as number;
    return {
      account_id: this.accounts[i] as string,
      type: this.typeOf[i] as string,
      n28: this.counts.n28[i] as number,
      n90: this.counts.n90[i] as number,
      n180: this.counts.n180[i] as number,
      value90: value === value ? value : null,
      last_at: this.lastAt[i] as string,
    };
  }

  /**
   * The folded rows merged with `others` (the other types' rows, in SQLite's account_id, type
   * order), in that order: the rows EVENTS_SQL grouped by account and type gives, one by one.
   */
  *mergedWith(others: Iterable<EventAggregate>): Generator<EventAggregate> {
    let i = 0;
    const before = (r: EventAggregate) => {
      const account = compareBinary(this.accounts[i] as string, r.account_id);
      return account < 0 || (account === 0 && compareBinary(this.typeOf[i] as string, r.type) < 0);
    };
    for (const r of others) {
      while (i < this.size && before(r)) yield this.row(i++);
      yield r;
    }
    while (i < this.size) yield this.row(i++);
  }
}

/**
 * A whole-book run's fold of the engine's event types (ENGINE_EVENT_TYPES, what its pass reads),
 * when the run's window holds their 180 days up to `day`; the features then read only the book's
 * other types. Undefined: the features read every type from the table.
 */
export function eventFoldFor(day: number, window: Pick<LoadWindow, 'eventsFrom' | 'to'>): EventAggregator | undefined {
  const fold = new EventAggregator(day, ENGINE_EVENT_TYPES);
  return window.eventsFrom <= fold.from && window.to === day ? fold : undefined;
}
