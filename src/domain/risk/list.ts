/**
 * The ranked at-risk list, paged, sorted and filtered so a 50,000-account book never leaves the
 * database whole: the day's at-risk entries are filtered and sorted in memory (list-index.ts), and
 * only the page's rows are read in full (list-read.ts), with their sparklines (history-fill.ts).
 * Rank is the position in the day's at-risk list ordered by expected ARR at risk (USD), then ARR,
 * then score, then account id: a walk of risk_snapshots_rank.
 */
import type { Db } from '../db/open.ts';
import type { Band, RiskListRow, RiskListTotals, RiskSortColumn } from '../../shared/dto/risk.ts';
import { dailyScores } from './history-fill.ts';
import { cachedUntilDataChanges } from '../db/data-version.ts';
import { compensatedSum, filterListed, listedAccounts, sortListed } from './list-index.ts';
import { listEntries, SPARKLINE_DAYS, type RiskListEntry } from './list-read.ts';

export {
  bookOnDay,
  listEntries,
  riskListRepo,
  SPARKLINE_DAYS,
  type BookEntry,
  type RiskEntryTrigger,
  type RiskListEntry,
} from './list-read.ts';

export interface RiskListQuery {
  asOf: string;
  /** Owner email to filter on, or null for everyone. */
  owner: string | null;
  segment: string | null;
  band: Band | null;
  trigger: string | null;
  search: string;
  sort: RiskSortColumn;
  direction: 'asc' | 'desc';
  offset: number;
  limit: number;
}

export function riskList(
  db: Db,
  query: RiskListQuery,
): { rows: RiskListEntry[]; total: number; totals: RiskListTotals } {
  const matching = filterListed(listedAccounts(db, query.asOf), {
    owner: query.owner,
    segment: query.segment,
    band: query.band,
    trigger: query.trigger,
    search: query.search.trim(),
  });
  const pageOf = sortListed(matching, query.sort, query.direction).slice(query.offset, query.offset + query.limit);
  const sums = {
    n: matching.length,
    arr: compensatedSum(matching.map((a) => a.arrUsd)),
    ear: compensatedSum(matching.map((a) => a.earUsd)),
  };
  return {
    rows: listEntries(db, query.asOf, pageOf, (ids) => dailyScores(db, ids, query.asOf, SPARKLINE_DAYS)),
    total: sums.n,
    totals: { accounts: sums.n, arrUsd: sums.arr ?? 0, expectedArrAtRiskUsd: sums.ear ?? 0 },
  };
}

/**
 * The row the Today table gets: what it shows and no more. The reasons that are only a trigger's
 * "Label: evidence" are left out (the renderer rebuilds them from the triggers, listRowReasons),
 * which was most of the old row's bytes.
 */
export function listRowDto(entry: RiskListEntry): RiskListRow {
  const own = entry.triggers.map((t) => `${t.label}: ${t.evidence}`);
  const leading = own.every((reason, i) => entry.reasons[i] === reason);
  return {
    rank: entry.rank,
    accountId: entry.accountId,
    name: entry.name,
    owner: entry.owner,
    segment: entry.segment,
    arr: entry.arr,
    currency: entry.currency,
    score: entry.score,
    band: entry.band,
    trend: entry.trend,
    scoreDelta: entry.scoreDelta,
    sparkline: entry.sparkline,
    expectedArrAtRisk: entry.expectedArrAtRisk,
    // Scored by one evaluation, the reasons always start with the triggers'; should an older
    // snapshot not, its own reasons follow in full rather than being lost.
    notes: leading ? entry.reasons.slice(own.length) : entry.reasons,
    triggers: entry.triggers.map((t) => ({
      id: t.id,
      label: t.label,
      priority: t.priority,
      evidence: t.evidence,
      itemId: t.itemId,
      itemStatus: t.itemStatus,
      snoozedUntil: t.snoozedUntil,
      snoozedBy: t.snoozedBy ?? null,
      control: t.control,
      actionable: t.actionable,
    })),
    renewalDate: entry.renewalDate,
    daysToRenewal: entry.daysToRenewal,
    lastTouchOn: entry.lastTouchOn,
  };
}

/**
 * Performance (docs/performance.md, "UI: first rows"): the segments are a scan of every account
 * (about 13 ms on 50,000), asked by every Today load ahead of the list on a server that answers one
 * call at a time. Kept per connection until the data can have changed (cachedUntilDataChanges).
 */
const bookFacets = cachedUntilDataChanges((db: Db) => ({
  owners: db
    .prepare<[], string>('SELECT DISTINCT owner_email FROM accounts WHERE owner_email IS NOT NULL ORDER BY owner_email')
    .pluck()
    .all(),
  segments: db
    .prepare<[], string>('SELECT DISTINCT segment FROM accounts WHERE segment IS NOT NULL ORDER BY segment')
    .pluck()
    .all(),
}));

/** The distinct owners and segments of the book, for the filter menus. */
export function riskFacets(db: Db): { owners: string[]; segments: string[] } {
  const facets = bookFacets(db);
  return { owners: [...facets.owners], segments: [...facets.segments] };
}
