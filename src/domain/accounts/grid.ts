/**
 * The Accounts grid: every account with its health score and band, trend, P(churn), ARR converted
 * to USD at the configured rates (so ARR sorts correctly across currencies), renewal, last touch,
 * owner, segment and the age of its newest data, filtered, sorted and paged in SQL. Scores come
 * from the latest scored day ≤ as-of, the same snapshot the ranked list reads; its data age is the
 * snapshot's too (any kind of data the engine reads), or newer data since.
 */
import { daysBetween } from '../contract/dates.ts';
import type { Db } from '../db/open.ts';
import { configRepo } from '../risk/config-repo.ts';
import { dataGapOf, unlessGap } from '../risk/data-gap.ts';
import { dayNumber, endOfDayInstant } from '../risk/days.ts';
import { dailyScores } from '../risk/history-fill.ts';
import { riskStore } from '../risk/store.ts';
import type { AccountStatus, GridPage, GridRow, GridSort } from '../../shared/dto/accounts-grid.ts';

export interface GridQuery {
  asOf: string;
  search: string;
  band?: 'red' | 'yellow' | 'green' | null;
  segment?: string | null;
  /** Only this status (active or churned); null for both. */
  status?: AccountStatus | null;
  /** An owner email, or null for everyone. */
  owner?: string | null;
  sort: GridSort;
  direction: 'asc' | 'desc';
  offset: number;
  limit: number;
  /** Read (and fill) each row's score history. Default true. */
  history?: boolean;
}

const ORDER: Record<GridSort, (dir: 'ASC' | 'DESC') => string> = {
  name: (d) => `name COLLATE NOCASE ${d}`,
  arr: (d) => `arr_usd ${d}`,
  // Stale data shows no score or P(churn) (data-gap.ts): such rows sort with the unscored.
  score: (d) => `iif(stale = 1, NULL, score) ${d} NULLS LAST`,
  p_churn: (d) => `iif(stale = 1 OR score IS NULL, NULL, p_churn) ${d} NULLS LAST`,
  renewal: (d) => `renewal_date ${d} NULLS LAST`,
  last_touch: (d) => `last_touch_on ${d} NULLS LAST`,
  // Ascending age is the newest data first.
  data_age: (d) => `newest_data_on ${d === 'ASC' ? 'DESC' : 'ASC'} NULLS LAST`,
  owner: (d) => `owner_email COLLATE NOCASE ${d} NULLS LAST`,
  segment: (d) => `segment ${d} NULLS LAST`,
};

const FILTERED = `
  WITH fx (code, rate) AS (SELECT key, value FROM json_each(@fx))
  SELECT a.account_id, a.name, a.owner_email, a.segment, a.plan, a.status, a.churned_at, a.arr, a.currency, a.renewal_date,
         s.score, s.band, s.trend, s.score_delta, s.p_churn, s.last_touch_on, s.stale,
         a.arr * coalesce(fx.rate, 1) AS arr_usd, fx.rate IS NOT NULL AS fx_known,
         nullif(max(
           coalesce(s.data_through, ''),
           coalesce((SELECT max(m.date) FROM metrics m WHERE m.account_id = a.account_id AND m.metric = 'active_users' AND m.contact_id = '' AND m.date <= @asOf), ''),
           coalesce((SELECT max(m.date) FROM metrics m WHERE m.account_id = a.account_id AND m.metric = 'usage' AND m.contact_id = '' AND m.date <= @asOf), ''),
           coalesce((SELECT substr(max(e.occurred_at), 1, 10) FROM events e WHERE e.account_id = a.account_id AND e.occurred_at < @eventsTo), '')
         ), '') AS newest_data_on
  FROM accounts a
  LEFT JOIN risk_snapshots s ON s.as_of = @snap AND s.account_id = a.account_id
  LEFT JOIN fx ON fx.code = upper(a.currency)
  WHERE (@pattern IS NULL OR a.name LIKE @pattern ESCAPE '\\' OR a.account_id LIKE @pattern ESCAPE '\\' OR a.owner_email LIKE @pattern ESCAPE '\\')
    AND (@band IS NULL OR s.band = @band)
    AND (@segment IS NULL OR a.segment = @segment)
    AND (@status IS NULL OR a.status = @status)
    AND (@owner IS NULL OR a.owner_email = @owner COLLATE NOCASE)`;

interface DbRow {
  account_id: string;
  name: string;
  owner_email: string | null;
  segment: string | null;
  plan: string | null;
  status: AccountStatus;
  churned_at: string | null;
  arr: number;
  currency: string;
  renewal_date: string | null;
  score: number | null;
  band: GridRow['band'];
  trend: GridRow['trend'];
  score_delta: number | null;
  p_churn: number | null;
  last_touch_on: string | null;
  stale: number | null;
  arr_usd: number;
  fx_known: number;
  newest_data_on: string | null;
}

type Params = Record<string, string | number | null>;

/** Statements by sort, per connection: the ORDER BY is part of the SQL. */
const cache = new WeakMap<Db, Map<string, ReturnType<Db['prepare']>>>();
function prepared(db: Db, key: string, sql: string) {
  let mine = cache.get(db);
  if (!mine) cache.set(db, (mine = new Map()));
  let statement = mine.get(key);
  if (!statement) mine.set(key, (statement = db.prepare(sql)));
  return statement;
}

type ViewQuery = Omit<GridQuery, 'offset' | 'limit' | 'history'>;

function viewParams(db: Db, query: ViewQuery): { params: Params; order: string; scoredAsOf: string | null } {
  const { config } = configRepo(db).active();
  const scored = riskStore(db).latestSnapshotDay(query.asOf);
  const search = query.search.trim();
  const params: Params = {
    fx: JSON.stringify(config.fxToUsd),
    asOf: query.asOf,
    eventsTo: endOfDayInstant(dayNumber(query.asOf)),
    snap: scored?.as_of ?? '',
    pattern: search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null,
    band: query.band ?? null,
    segment: query.segment ?? null,
    status: query.status ?? null,
    owner: query.owner ?? null,
  };
  const direction = query.direction === 'asc' ? 'ASC' : 'DESC';
  return { params, order: `${ORDER[query.sort](direction)}, a.account_id`, scoredAsOf: scored?.as_of ?? null };
}

function countOf(db: Db, params: Params): number {
  return (prepared(db, 'count', `SELECT count(*) AS n FROM (${FILTERED})`).get(params) as { n: number }).n;
}

export function accountsGrid(db: Db, query: GridQuery): GridPage {
  const { params, order, scoredAsOf } = viewParams(db, query);
  const rows = prepared(db, `page:${order}`, `${FILTERED} ORDER BY ${order} LIMIT @limit OFFSET @offset`).all({
    ...params,
    limit: query.limit,
    offset: query.offset,
  }) as DbRow[];
  const total = countOf(db, params);
  // Each row's last 30 days, its missing days filled first (history-fill.ts).
  const history =
    query.history === false
      ? new Map<string, (number | null)[]>()
      : dailyScores(
          db,
          rows.map((r) => r.account_id),
          query.asOf,
          HISTORY_DAYS,
        );
  return {
    rows: rows.map((r) => toRow(r, query.asOf, history.get(r.account_id) ?? [])),
    total,
    offset: query.offset,
    asOf: query.asOf,
    scoredAsOf,
  };
}

/**
 * Every row of a view, in the grid's order, for an export. One sorted read: paging it (as the
 * screen does) sorted the whole book again for every page, 50 sorts for a 50,000-account book, and
 * the data age of every account was computed each time (38 s for a CSV). No score history: an
 * export writes no history column. `progress` hears the rows read so far, every `every` rows.
 */
export function allGridRows(
  db: Db,
  query: ViewQuery,
  progress?: (read: number, total: number) => void,
  every = 1000,
): GridRow[] {
  const { params, order } = viewParams(db, query);
  const total = countOf(db, params);
  progress?.(0, total);
  const rows: GridRow[] = [];
  for (const r of prepared(db, `all:${order}`, `${FILTERED} ORDER BY ${order}`).iterate(params) as Iterable<DbRow>) {
    rows.push(toRow(r, query.asOf, []));
    if (rows.length % every === 0) progress?.(rows.length, total);
  }
  progress?.(rows.length, Math.max(total, rows.length));
  return rows;
}

const HISTORY_DAYS = 30;

function toRow(r: DbRow, asOf: string, history: (number | null)[]): GridRow {
  // A churned account is not scored: it has nothing missing, just nothing to show.
  const gap = r.status === 'churned' ? null : dataGapOf(r);
  return {
    accountId: r.account_id,
    name: r.name,
    owner: r.owner_email,
    segment: r.segment,
    plan: r.plan,
    status: r.status,
    churnedOn: r.status === 'churned' ? (r.churned_at?.slice(0, 10) ?? null) : null,
    arr: r.arr,
    currency: r.currency,
    arrUsd: r.arr_usd,
    fxKnown: r.fx_known === 1,
    score: unlessGap(gap, r.score),
    band: unlessGap(gap, r.score === null ? null : r.band),
    // A trend from data that stopped arriving is no more evidence than its score.
    trend: unlessGap(gap, r.trend),
    scoreDelta: unlessGap(gap, r.score_delta),
    pChurn: unlessGap(gap, r.score === null ? null : r.p_churn),
    dataGap: gap,
    renewalDate: r.renewal_date,
    lastTouchOn: r.last_touch_on,
    newestDataOn: r.newest_data_on,
    dataAgeDays: r.newest_data_on ? daysBetween(r.newest_data_on, asOf) : null,
    history,
  };
}
