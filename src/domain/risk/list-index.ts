/**
 * The day's at-risk list, held in memory per connection until the data changes: the few columns
 * the list filters and sorts on, in rank order. Why: each keystroke in "Search accounts" asked
 * SQLite for a page (a window over every at-risk snapshot, a join and a sort) and for the totals (a
 * second pass with three LIKEs per row), ≈ 17 ms of the ≈ 21 ms a search took on the server with
 * 50,000 accounts; filtering and sorting ≈ 6,000 entries here takes about a millisecond
 * (docs/performance.md, "UI: search keystroke"). The page's full rows still come from SQLite.
 *
 * The filters and sorts reproduce the SQL they replaced, including SQLite's rules: LIKE and
 * COLLATE NOCASE fold ASCII letters only, text compares by UTF-8 bytes, and sums use the same
 * compensated summation as total(). test/integration/risk-list-index.test.ts holds the two together.
 */
import type { Band, RiskSortColumn } from '../../shared/dto/risk.ts';
import { cachedUntilDataChanges } from '../db/data-version.ts';
import type { Db } from '../db/open.ts';

export interface ListedAccount {
  rank: number;
  accountId: string;
  name: string;
  owner: string | null;
  segment: string | null;
  band: Band | null;
  /** ",id,id," as stored. */
  triggerIds: string;
  arrUsd: number;
  earUsd: number;
  scoreKey: number;
  scoreDelta: number | null;
  renewalDate: string | null;
  lastTouchOn: string | null;
  /** ASCII-folded, as LIKE and NOCASE compare. */
  foldedName: string;
  foldedId: string;
  foldedOwner: string | null;
}

export interface ListFilter {
  owner: string | null;
  segment: string | null;
  band: Band | null;
  trigger: string | null;
  search: string;
}

interface SnapshotRow {
  account_id: string;
  has_account: number;
  name: string | null;
  owner_email: string | null;
  segment: string | null;
  band: Band | null;
  trigger_ids: string;
  arr_usd: number;
  ear_usd: number;
  score_key: number;
  score_delta: number | null;
  renewal_date: string | null;
  last_touch_on: string | null;
}

/** Lower-cases A–Z only, as SQLite's LIKE and NOCASE do without ICU. */
export function foldAscii(text: string): string {
  return /[A-Z]/.test(text) ? text.replace(/[A-Z]+/g, (run) => run.toLowerCase()) : text;
}

/** SQLite's BINARY order for UTF-8 text: code point order (UTF-16 order differs above U+D7FF). */
export function compareText(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (a code point above U+FFFF) sorts after every unit from U+E000 up.
    if (x >= 0xd800 && y >= 0xd800) {
      x = x < 0xe000 ? x + 0x2000 : x - 0x800;
      y = y < 0xe000 ? y + 0x2000 : y - 0x800;
    }
    return x - y;
  }
  return a.length - b.length;
}

/** The day's at-risk snapshots in rank order: a walk of risk_snapshots_rank, no sort (a plan test holds it). */
export const DAY_IN_RANK_ORDER_SQL = `SELECT s.account_id, a.account_id IS NOT NULL AS has_account, a.name, a.owner_email, a.segment, s.band, s.trigger_ids,
       s.arr_usd, s.ear_usd, s.score_key, s.score_delta, a.renewal_date, s.last_touch_on
  FROM risk_snapshots s LEFT JOIN accounts a ON a.account_id = s.account_id
  WHERE s.as_of = ? AND s.at_risk = 1 ORDER BY s.ear_usd DESC, s.arr_usd DESC, s.score_key, s.account_id`;

/** Every at-risk snapshot of `asOf` in rank order; a snapshot whose account is gone keeps its rank but is not listed. */
function loadDay(db: Db, asOf: string): ListedAccount[] {
  const rows = db.prepare<[string], SnapshotRow>(DAY_IN_RANK_ORDER_SQL).all(asOf);
  const listed: ListedAccount[] = [];
  rows.forEach((r, index) => {
    if (r.has_account !== 1) return;
    const name = r.name ?? '';
    listed.push({
      rank: index + 1,
      accountId: r.account_id,
      name,
      owner: r.owner_email,
      segment: r.segment,
      band: r.band,
      triggerIds: r.trigger_ids,
      arrUsd: r.arr_usd,
      earUsd: r.ear_usd,
      scoreKey: r.score_key,
      scoreDelta: r.score_delta,
      renewalDate: r.renewal_date,
      lastTouchOn: r.last_touch_on,
      foldedName: foldAscii(name),
      foldedId: foldAscii(r.account_id),
      foldedOwner: r.owner_email === null ? null : foldAscii(r.owner_email),
    });
  });
  return listed;
}

/** Days loaded since the data last changed, per connection (the latest few: someone paging through history). */
const daysOf = cachedUntilDataChanges(() => new Map<string, ListedAccount[]>());
const DAYS_KEPT = 4;

export function listedAccounts(db: Db, asOf: string): ListedAccount[] {
  const days = daysOf(db);
  let day = days.get(asOf);
  if (!day) {
    day = loadDay(db, asOf);
    if (days.size >= DAYS_KEPT) days.delete(days.keys().next().value!);
    days.set(asOf, day);
  }
  return day;
}

export function filterListed(listed: readonly ListedAccount[], filter: ListFilter): ListedAccount[] {
  const owner = filter.owner === null ? null : foldAscii(filter.owner);
  const trigger = filter.trigger === null ? null : `,${filter.trigger},`;
  const search = foldAscii(filter.search);
  return listed.filter(
    (a) =>
      (owner === null || a.foldedOwner === owner) &&
      (filter.segment === null || a.segment === filter.segment) &&
      (filter.band === null || a.band === filter.band) &&
      (trigger === null || a.triggerIds.includes(trigger)) &&
      (search === '' ||
        a.foldedName.includes(search) ||
        a.foldedId.includes(search) ||
        (a.foldedOwner !== null && a.foldedOwner.includes(search))),
  );
}

type Key = (a: ListedAccount) => number | string;

/** Each column's sort key, as the SQL sorted it (coalesced defaults included). */
const SORT_KEYS: Record<RiskSortColumn, Key> = {
  rank: (a) => a.rank,
  name: (a) => a.foldedName,
  arr: (a) => a.arrUsd,
  score: (a) => a.scoreKey,
  trend: (a) => a.scoreDelta ?? 0,
  renewal: (a) => a.renewalDate ?? '9999-12-31',
  owner: (a) => a.owner ?? '~',
  last_touch: (a) => a.lastTouchOn ?? '0000-00-00',
  expected: (a) => a.earUsd,
};

/** Sorted by the column in the direction asked, ties by rank. */
export function sortListed(
  listed: readonly ListedAccount[],
  sort: RiskSortColumn,
  direction: 'asc' | 'desc',
): ListedAccount[] {
  if (sort === 'rank') return direction === 'asc' ? [...listed] : [...listed].reverse();
  const key = SORT_KEYS[sort];
  const sign = direction === 'asc' ? 1 : -1;
  return [...listed].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    const order = typeof x === 'number' ? x - (y as number) : compareText(x, y as string);
    return order !== 0 ? sign * Math.sign(order) : a.rank - b.rank;
  });
}

/** Sum with the Kahan–Babuška–Neumaier compensation SQLite's total() uses. */
export function compensatedSum(values: Iterable<number>): number {
  let sum = 0;
  let compensation = 0;
  for (const value of values) {
    const next = sum + value;
    compensation += Math.abs(sum) >= Math.abs(value) ? sum - next + value : value - next + sum;
    sum = next;
  }
  return sum + compensation;
}
