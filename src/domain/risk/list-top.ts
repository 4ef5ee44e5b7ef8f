/**
 * The first N of a day's at-risk list straight from SQL, for a one-shot `foresight risks --top N`
 * (issue 16). riskList (list.ts) loads the day's whole at-risk list into memory first (list-index.ts),
 * which pays off for the app, whose connection keeps it for every keystroke and page, but in a
 * process that prints ten rows it was most of the time: 7,241 entries at 50,000 accounts, each
 * snapshot row read from the table. Here the walk of risk_snapshots_rank stops at the N-th entry
 * that matches, and the totals are one aggregate over the same index.
 *
 * The same answer as riskList sorted by rank (test/integration/risk-list-top.test.ts): rank is the
 * position in the day's whole at-risk list, a snapshot whose account is gone keeps its rank but is
 * not listed, the owner matches as LIKE/NOCASE fold (ASCII letters only, foldAscii), and the sums
 * are total()'s compensated sums taken in rank order, as compensatedSum takes them.
 */
import type { RiskListTotals } from '../../shared/dto/risk.ts';
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import { foldAscii } from './list-index.ts';
import { listEntries, type RiskListEntry } from './list-read.ts';

export interface TopQuery {
  asOf: string;
  /** Owner email to filter on (ASCII case folded), or null for everyone. */
  owner: string | null;
  segment: string | null;
  limit: number;
}

interface WalkRow {
  account_id: string;
  has_account: number;
  owner_email: string | null;
  segment: string | null;
}

/** The day's at-risk snapshots in rank order, with what the filters need: a walk of risk_snapshots_rank. */
export const TOP_WALK_SQL = `SELECT s.account_id, a.account_id IS NOT NULL AS has_account, a.owner_email, a.segment
  FROM risk_snapshots s LEFT JOIN accounts a ON a.account_id = s.account_id
  WHERE s.as_of = ? AND s.at_risk = 1 ORDER BY s.ear_usd DESC, s.arr_usd DESC, s.score_key, s.account_id`;

/**
 * Count and sums of the listed entries that match, summed in rank order (CROSS JOIN keeps the
 * snapshots' index the outer loop, so with an owner the planner cannot start from accounts_owner).
 */
export const TOP_TOTALS_SQL = `SELECT count(*) AS n, total(s.arr_usd) AS arr, total(s.ear_usd) AS ear
  FROM risk_snapshots s CROSS JOIN accounts a ON a.account_id = s.account_id
  WHERE s.as_of = @asOf AND s.at_risk = 1
    AND (@owner IS NULL OR a.owner_email = @owner COLLATE NOCASE) AND (@segment IS NULL OR a.segment = @segment)`;

const statements = perConnection((db: Db) => ({
  walk: db.prepare<[string], WalkRow>(TOP_WALK_SQL),
  totals: db.prepare<
    { asOf: string; owner: string | null; segment: string | null },
    { n: number; arr: number; ear: number }
  >(TOP_TOTALS_SQL),
}));

/**
 * `sparklines`: the entries' sparklines, as riskList gives them (history-fill.ts's dailyScores); without
 * it none are read (the CLI prints none, and its module graph stays without the scoring engine).
 */
export function riskListTop(
  db: Db,
  query: TopQuery,
  sparklines?: Parameters<typeof listEntries>[3],
): { rows: RiskListEntry[]; total: number; totals: RiskListTotals } {
  const { walk, totals } = statements(db);
  const owner = query.owner === null ? null : foldAscii(query.owner);
  const page: { accountId: string; rank: number }[] = [];
  let rank = 0;
  if (query.limit > 0)
    for (const row of walk.iterate(query.asOf)) {
      rank++;
      if (row.has_account !== 1) continue;
      if (owner !== null && (row.owner_email === null || foldAscii(row.owner_email) !== owner)) continue;
      if (query.segment !== null && row.segment !== query.segment) continue;
      page.push({ accountId: row.account_id, rank });
      // Leaving the loop ends the statement (better-sqlite3 resets an iterator that is returned).
      if (page.length === query.limit) break;
    }
  const sums = totals.get({ asOf: query.asOf, owner: query.owner, segment: query.segment })!;
  return {
    rows: listEntries(db, query.asOf, page, sparklines),
    total: sums.n,
    totals: { accounts: sums.n, arrUsd: sums.arr, expectedArrAtRiskUsd: sums.ear },
  };
}
