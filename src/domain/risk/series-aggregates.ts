/**
 * The churn model's per-metric aggregates (MetricAggregate in model/feature-sql.ts) folded from the
 * series a whole-book scoring run reads anyway, so the run does not scan the metrics table a second
 * time for them (issue 16: that scan cost more CPU than the whole scan baseline). The same numbers
 * as METRICS_SQL there, row for row: every row of the account's metric, all contacts together,
 * within the 90 days up to the day; test/integration/series-aggregates.test.ts holds the two
 * together. Kept in columns (typed arrays) until asked for, because they live through the whole
 * read: at 50,000 accounts an object per aggregate raised the run's peak RSS by a quarter.
 */
import type { MetricAggregate } from './model/feature-sql.ts';
import { METRIC_REACH } from './model/feature-sql.ts';
import { dayString } from './days.ts';

const NUMBERS = ['s28', 's90', 'd28', 'd56', 'd90', 'first', 'lastPositive'] as const;
type Column = (typeof NUMBERS)[number];

/**
 * What a bundle read folds every series it walks into (load.ts): one day's aggregator, or several
 * days' at once (foldIntoEach).
 */
export interface SeriesFold {
  /** The first day the fold needs: series must be read from here. */
  readonly from: number;
  add(accountId: string, metric: string, start: number, values: ArrayLike<number>): void;
  addLate(accountId: string, metric: string, start: number, values: ArrayLike<number>): void;
}

/**
 * One fold into every one of `aggregators` (the churn model's past days, model/past-health.ts):
 * each series read once, folded into each day's window.
 */
export function foldIntoEach(aggregators: readonly MetricAggregator[]): SeriesFold {
  return {
    from: Math.min(...aggregators.map((a) => a.from)),
    add: (accountId, metric, start, values) => {
      for (const a of aggregators) a.add(accountId, metric, start, values);
    },
    addLate: (accountId, metric, start, values) => {
      for (const a of aggregators) a.addLate(accountId, metric, start, values);
    },
  };
}

export class MetricAggregator implements SeriesFold {
  private readonly day: number;
  private readonly from90: number;
  private readonly from56: number;
  private readonly from28: number;
  /** Series added out of key order (re-read after the walk), merged when the rows are asked for. */
  private late: { accountId: string; metric: string; start: number; values: ArrayLike<number> }[] = [];
  private readonly accounts: string[] = [];
  private readonly metrics: string[] = [];
  /** One string per metric name, kept in `metrics` (the names the reader hands in are new strings for each series). */
  private readonly names = new Map<string, string>();
  private columns: Record<Column, Float64Array>;
  private size = 0;

  constructor(day: number) {
    this.day = day;
    this.from90 = day - METRIC_REACH + 1;
    this.from56 = day - 55;
    this.from28 = day - 27;
    this.columns = MetricAggregator.allocate(1024);
  }

  private static allocate(capacity: number): Record<Column, Float64Array> {
    return Object.fromEntries(NUMBERS.map((c) => [c, new Float64Array(capacity)])) as Record<Column, Float64Array>;
  }

  /** The first day the aggregates need: series must be read from here. */
  get from(): number {
    return this.from90;
  }

  /**
   * The slot of (account, metric). The walk yields series in primary-key order (account, metric,
   * contact, date), so a metric's series follow one another: only the last slot can match, and no
   * index of every key is kept (at 50,000 accounts, 350,000 keys alive through the whole read).
   */
  private slot(accountId: string, metric: string): number {
    const last = this.size - 1;
    if (last >= 0 && this.accounts[last] === accountId && this.metrics[last] === metric) return last;
    const at = this.size++;
    if (at >= this.columns.s28.length) {
      const grown = MetricAggregator.allocate(this.columns.s28.length * 2);
      for (const c of NUMBERS) grown[c].set(this.columns[c]);
      this.columns = grown;
    }
    const { s28, s90, d28, d56, d90, first, lastPositive } = this.columns;
    s28[at] = s90[at] = d28[at] = d56[at] = d90[at] = 0;
    first[at] = Infinity;
    lastPositive[at] = -Infinity;
    // Performance (issue 13): the keys live through the whole read, in the old generation, where
    // each collection marks them: an account's slots share its first slot's id string, and each
    // metric name is kept once, so the reader's own strings die young.
    this.accounts.push(last >= 0 && this.accounts[last] === accountId ? (this.accounts[last] as string) : accountId);
    let name = this.names.get(metric);
    if (name === undefined) this.names.set(metric, (name = metric));
    this.metrics.push(name);
    return at;
  }

  /** A series out of key order (a series with holes, re-read after the walk): merged in rows(). */
  addLate(accountId: string, metric: string, start: number, values: ArrayLike<number>): void {
    this.late.push({ accountId, metric, start, values });
  }

  /** One series (a metric of an account, or of one of its contacts): values[i] is day start + i, NaN for none. */
  add(accountId: string, metric: string, start: number, values: ArrayLike<number>): void {
    this.fold(accountId, metric, start, values);
  }

  /** Folds a series into slot `at`, or into the slot of its key in walk order. */
  private fold(accountId: string, metric: string, start: number, values: ArrayLike<number>, at?: number): void {
    const lo = Math.max(0, this.from90 - start);
    const hi = Math.min(values.length, this.day - start + 1);
    let rows = 0;
    let s28 = 0;
    let s90 = 0;
    let d28 = 0;
    let d56 = 0;
    let d90 = 0;
    let first = Infinity;
    let lastPositive = -Infinity;
    for (let i = lo; i < hi; i++) {
      const value = values[i] as number;
      if (value !== value) continue;
      rows++;
      const d = start + i;
      s90 += value;
      if (d >= this.from28) s28 += value;
      if (value > 0) {
        d90++;
        if (d >= this.from56) d56++;
        if (d >= this.from28) d28++;
        if (d > lastPositive) lastPositive = d;
      }
      if (d < first) first = d;
    }
    if (rows === 0) return;
    // Contacts of the same metric add up in one aggregate, as the SQL's GROUP BY account, metric.
    at ??= this.slot(accountId, metric);
    const c = this.columns;
    c.s28[at] = (c.s28[at] as number) + s28;
    c.s90[at] = (c.s90[at] as number) + s90;
    c.d28[at] = (c.d28[at] as number) + d28;
    c.d56[at] = (c.d56[at] as number) + d56;
    c.d90[at] = (c.d90[at] as number) + d90;
    c.first[at] = Math.min(c.first[at] as number, first);
    c.lastPositive[at] = Math.max(c.lastPositive[at] as number, lastPositive);
  }

  /** The aggregates, in no particular order. */
  rows(): MetricAggregate[] {
    return [...this.lazyRows()];
  }

  /**
   * The aggregates as an iterable made again on each walk, each row built as it is reached: the
   * whole-book features consume them one by one, so they need not all be objects at once (at
   * 100,000 accounts about 700,000 of them, beside the features' own rows: issue 16, peak memory).
   */
  lazyRows(): Iterable<MetricAggregate> {
    this.mergeLate();
    return { [Symbol.iterator]: () => this.walk() };
  }

  private *walk(): Generator<MetricAggregate> {
    const { s28, s90, d28, d56, d90, first, lastPositive } = this.columns;
    for (let i = 0; i < this.size; i++)
      yield {
        account_id: this.accounts[i]!,
        metric: this.metrics[i]!,
        s28: s28[i]!,
        s90: s90[i]!,
        d28: d28[i]!,
        d56: d56[i]!,
        d90: d90[i]!,
        first_day: dayString(first[i]!),
        last_positive: lastPositive[i] === -Infinity ? null : dayString(lastPositive[i]!),
      };
  }

  private mergeLate(): void {
    if (this.late.length > 0) {
      const slots = new Map<string, number>();
      for (let i = 0; i < this.size; i++) slots.set(`${this.accounts[i]}\u0000${this.metrics[i]}`, i);
      for (const { accountId, metric, start, values } of this.late) {
        const at = slots.get(`${accountId}\u0000${metric}`);
        const before = this.size;
        this.fold(accountId, metric, start, values, at);
        if (this.size > before) slots.set(`${accountId}\u0000${metric}`, before);
      }
      this.late = [];
    }
  }
}
