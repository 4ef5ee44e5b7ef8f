/**
 * Every past day's event aggregates (EventAggregate, feature-sql.ts) from ONE walk of the events of
 * the fit's accounts, instead of one grouped SQL read per past day. Performance (issues 13 and 16):
 * the past days' 180-day event windows overlap by most of their length, so each read walked the
 * same rows again. The numbers are EVENTS_SQL's, row for row and in its order (account, type): the
 * walk reads the events in that order, so each day's aggregates come out as the grouped read's
 * (test/unit/churn-past-health.test.ts holds the two together).
 */
import type { Db } from '../../db/open.ts';
import { dayString } from '../days.ts';
import { featureStatements, type EventAggregate, type EventRowTuple } from './feature-sql.ts';
import { boundsFor } from './features.ts';

/**
 * avg() as SQLite computes it over REAL values: a Kahan-Babuska-Neumaier sum divided by the count,
 * so a mean of fractional values is the same double as the SQL's, not one differing in its last bit.
 */
class SqlMean {
  private sum = 0;
  private error = 0;
  private n = 0;

  add(r: number): void {
    const s = this.sum;
    const t = s + r;
    if (Math.abs(s) > Math.abs(r)) this.error += s - t + r;
    else this.error += r - t + s;
    this.sum = t;
    this.n++;
  }

  value(): number | null {
    if (this.n === 0) return null;
    const total = Number.isFinite(this.error) ? this.sum + this.error : this.sum;
    return total / this.n;
  }
}

/** One account's events of one type (in time order) aggregated as of one day's bounds. */
function aggregate(
  accountId: string,
  type: string,
  at: readonly string[],
  values: readonly (number | null)[],
  b: ReturnType<typeof boundsFor>,
): EventAggregate | null {
  let n28 = 0;
  let n90 = 0;
  let n180 = 0;
  let last = '';
  const mean = new SqlMean();
  for (let i = 0; i < at.length; i++) {
    const t = at[i] as string;
    if (t < b.eventFrom180) continue;
    if (t >= b.eventTo) break;
    n180++;
    last = t;
    if (t >= b.eventFrom90) {
      n90++;
      const v = values[i];
      if (v !== null && v !== undefined) mean.add(v);
    }
    if (t >= b.eventFrom28) n28++;
  }
  if (n180 === 0) return null;
  return { account_id: accountId, type, n28, n90, n180, value90: mean.value(), last_at: last };
}

/** One account's events of one type, in time order: what a day's aggregate is folded from. */
export interface EventGroup {
  accountId: string;
  type: string;
  at: string[];
  values: (number | null)[];
}

/**
 * The events every day in `days` aggregates, of the sampled accounts or, with `sample` null, of
 * every account, read once and grouped by account and type (in that order). Kept as read rather
 * than as each day's aggregates: the rows are fewer than the aggregates of 26 past days.
 */
export function eventGroupsFor(db: Db, days: readonly number[], sample: readonly string[] | null): EventGroup[] {
  const groups: EventGroup[] = [];
  if (days.length === 0) return groups;
  const from = boundsFor(dayString(Math.min(...days))).eventFrom180;
  const to = boundsFor(dayString(Math.max(...days))).eventTo;
  const s = featureStatements(db);
  const rows: Iterable<EventRowTuple> = sample
    ? s.eventRowsSome.iterate({ from, to, ids: JSON.stringify(sample) })
    : s.eventRowsAll.iterate({ from, to });
  let group: EventGroup | null = null;
  for (const [accountId, type, occurredAt, value] of rows) {
    if (!group || accountId !== group.accountId || type !== group.type) {
      group = { accountId, type, at: [], values: [] };
      groups.push(group);
    }
    group.at.push(occurredAt);
    group.values.push(value);
  }
  return groups;
}

/** The day's event aggregates from the groups: EVENTS_SQL's rows, in its (account, type) order. */
export function eventAggregatesOn(groups: readonly EventGroup[], day: number): EventAggregate[] {
  const b = boundsFor(dayString(day));
  const out: EventAggregate[] = [];
  for (const g of groups) {
    const row = aggregate(g.accountId, g.type, g.at, g.values, b);
    if (row) out.push(row);
  }
  return out;
}
