/**
 * Today's "stale data" group and the day's data-through line. An account whose newest data is
 * older than the limit has no band and is not ranked on old numbers (score-all.ts); it is listed
 * here instead, with the age of its data, so a feed that stopped never reads as "nobody needs you".
 * So is an account with no data to score (no score, data-gap.ts): a book whose usage never arrived
 * must not read as "nobody needs you" either.
 * Kept per connection until the data changes, like the ranked list (list-index.ts): the list is
 * asked on every search keystroke.
 */
import type { StaleAccountRow } from '../../shared/dto/risk.ts';
import { cachedUntilDataChanges } from '../db/data-version.ts';
import type { Db } from '../db/open.ts';
import { dataGapOf } from './data-gap.ts';
import { dayNumber } from './days.ts';

export type StaleAccount = StaleAccountRow;

interface Day {
  /** The newest data day over the day's scored accounts. */
  dataThrough: string | null;
  /** Accounts with stale data or no data, most ARR (USD) first. */
  stale: StaleAccount[];
}

interface Row {
  account_id: string;
  name: string;
  owner_email: string | null;
  segment: string | null;
  arr: number;
  currency: string;
  data_through: string | null;
  stale: number;
  score: number | null;
}

function loadDay(db: Db, asOf: string): Day {
  const dataThrough = db
    .prepare<[string], string | null>('SELECT max(data_through) FROM risk_snapshots WHERE as_of = ?')
    .pluck()
    .get(asOf);
  const rows = db
    .prepare<[string], Row>(
      `SELECT a.account_id, a.name, a.owner_email, a.segment, a.arr, a.currency, s.data_through, s.stale, s.score
       FROM risk_snapshots s JOIN accounts a ON a.account_id = s.account_id
       WHERE s.as_of = ? AND (s.stale = 1 OR s.score IS NULL) ORDER BY s.arr_usd DESC, s.account_id`,
    )
    .all(asOf);
  const day = dayNumber(asOf);
  return {
    dataThrough: dataThrough ?? null,
    stale: rows.map((r) => ({
      accountId: r.account_id,
      name: r.name,
      owner: r.owner_email,
      segment: r.segment,
      arr: r.arr,
      currency: r.currency,
      dataThrough: r.data_through,
      dataAgeDays: r.data_through === null ? null : day - dayNumber(r.data_through),
      gap: dataGapOf(r) ?? 'no_data',
    })),
  };
}

const daysOf = cachedUntilDataChanges(() => new Map<string, Day>());

function dayOf(db: Db, asOf: string): Day {
  const days = daysOf(db);
  let found = days.get(asOf);
  if (!found) {
    found = loadDay(db, asOf);
    if (days.size >= 4) days.delete(days.keys().next().value!);
    days.set(asOf, found);
  }
  return found;
}

/**
 * The accounts with stale data or no data of a scored day for an owner and segment (null: all),
 * the first `limit` of them, their count (`noData` of them with no data), and the newest data day
 * of the whole day's book.
 */
export function staleGroup(
  db: Db,
  asOf: string,
  filter: { owner: string | null; segment: string | null },
  limit: number,
): { dataThrough: string | null; count: number; noData: number; accounts: StaleAccount[] } {
  const day = dayOf(db, asOf);
  const owner = filter.owner?.toLowerCase() ?? null;
  const matching = day.stale.filter(
    (a) =>
      (owner === null || a.owner?.toLowerCase() === owner) && (filter.segment === null || a.segment === filter.segment),
  );
  return {
    dataThrough: day.dataThrough,
    count: matching.length,
    noData: matching.filter((a) => a.gap === 'no_data').length,
    accounts: matching.slice(0, limit),
  };
}
