/**
 * The churn model's per-metric aggregates (MetricAggregate in model/feature-sql.ts) folded from the
 * series a whole-book scoring run reads anyway, so the run does not scan the metrics table a second
 * time for them (issue 16: that scan was 40% of a new day's `risks`). The same numbers as
 * METRICS_SQL there, row for row: every row of the account's metric, all contacts together, within
 * the 90 days up to the day; test/integration/series-aggregates.test.ts holds the two together.
 */
import type { MetricAggregate } from './model/feature-sql.ts';
import { METRIC_REACH } from './model/feature-sql.ts';
import { dayString } from './days.ts';

export class MetricAggregator {
  private readonly day: number;
  private readonly from90: number;
  private readonly from56: number;
  private readonly from28: number;
  private readonly byKey = new Map<string, MetricAggregate & { first: number; lastPositive: number }>();

  constructor(day: number) {
    this.day = day;
    this.from90 = day - METRIC_REACH + 1;
    this.from56 = day - 55;
    this.from28 = day - 27;
  }

  /** The first day the aggregates need: series must be read from here. */
  get from(): number {
    return this.from90;
  }

  /** One series (a metric of an account, or of one of its contacts): values[i] is day start + i, NaN for none. */
  add(accountId: string, metric: string, start: number, values: ArrayLike<number>): void {
    const key = `${accountId}\u0000${metric}`;
    let a = this.byKey.get(key);
    const lo = Math.max(0, this.from90 - start);
    const hi = Math.min(values.length, this.day - start + 1);
    for (let i = lo; i < hi; i++) {
      const value = values[i] as number;
      if (value !== value) continue;
      if (!a) {
        a = {
          account_id: accountId,
          metric,
          s28: 0,
          s90: 0,
          d28: 0,
          d56: 0,
          d90: 0,
          first_day: '',
          last_positive: null,
          first: Infinity,
          lastPositive: -Infinity,
        };
        this.byKey.set(key, a);
      }
      const d = start + i;
      const positive = value > 0;
      a.s90 += value;
      if (d >= this.from28) a.s28 += value;
      if (positive) {
        a.d90++;
        if (d >= this.from56) a.d56++;
        if (d >= this.from28) a.d28++;
        if (d > a.lastPositive) a.lastPositive = d;
      }
      if (d < a.first) a.first = d;
    }
  }

  /** The aggregates, in no particular order. */
  rows(): MetricAggregate[] {
    return [...this.byKey.values()].map(({ first, lastPositive, ...a }) => ({
      ...a,
      first_day: dayString(first),
      last_positive: lastPositive === -Infinity ? null : dayString(lastPositive),
    }));
  }
}
