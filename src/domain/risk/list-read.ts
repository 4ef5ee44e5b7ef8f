/**
 * The stored day's list as read by key, without the history module's weight (issue 16: a one-shot
 * `foresight risks` loads this, not the scoring engine that fills history): the full entries of a
 * page (listEntries) and the whole book's entries (bookOnDay). list.ts sorts, filters and pages the
 * list and fills the page's sparklines; list-top.ts walks the rank index for `risks --top`.
 */
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import type { DataGap } from '../../shared/dto/data-gap.ts';
import type { Band, RiskRowTrigger, TriggerTier, Trend } from '../../shared/dto/risk.ts';
import { snoozedByColleague } from '../item-actions/fold.ts';
import { dataGapOf, unlessGap } from './data-gap.ts';
import { isLive, isSnoozed, type RiskItemRow } from './item-row.ts';
import { parseIdList } from './store.ts';

/** A trigger on a list entry: the row's trigger plus its tier. */
export interface RiskEntryTrigger extends RiskRowTrigger {
  tier: TriggerTier;
}

/**
 * One account of the at-risk list with everything stored about it (the CLI's `risks` prints this).
 * The API sends the smaller RiskListRow (listRowDto).
 */
export interface RiskListEntry {
  /** Position in the day's at-risk list (1 = most ARR at stake), whatever the filters. */
  rank: number;
  accountId: string;
  name: string;
  owner: string | null;
  segment: string | null;
  arr: number;
  currency: string;
  locale: string | null;
  arrUsd: number;
  score: number | null;
  band: Band | null;
  trend: Trend;
  scoreDelta: number | null;
  /**
   * Daily scores of the last 30 days, oldest first; null on a day without a score. Empty when the
   * reader asked for none (listEntries without `sparklines`: `risks --top`).
   */
  sparkline: (number | null)[];
  pChurn: number;
  expectedArrAtRisk: number;
  expectedArrAtRiskUsd: number;
  topReason: string;
  reasons: string[];
  triggers: RiskEntryTrigger[];
  renewalDate: string | null;
  daysToRenewal: number | null;
  lastTouchOn: string | null;
}

interface RowDb {
  account_id: string;
  name: string;
  owner_email: string | null;
  segment: string | null;
  arr: number;
  currency: string;
  locale: string | null;
  renewal_date: string | null;
  score: number | null;
  band: Band | null;
  trend: Trend;
  score_delta: number | null;
  p_churn: number;
  arr_usd: number;
  expected_arr_at_risk: number;
  ear_usd: number;
  days_to_renewal: number | null;
  last_touch_on: string | null;
  triggers_json: string;
  reasons_json: string;
  top_reason: string;
  actionable: string;
}

export const riskListRepo = perConnection((db: Db) => {
  // The page's rows in full, for the ids the list index chose (list-index.ts); the caller orders them.
  const rowsFor = db.prepare<{ ids: string; asOf: string }, RowDb>(
    `SELECT a.account_id, a.name, a.owner_email, a.segment, a.arr, a.currency, a.locale, a.renewal_date,
            s.score, s.band, s.trend, s.score_delta, s.p_churn, s.arr_usd, s.expected_arr_at_risk, s.ear_usd, s.days_to_renewal,
            s.last_touch_on, s.triggers_json, s.reasons_json, s.top_reason, s.actionable
     FROM json_each(@ids) j CROSS JOIN risk_snapshots s ON s.as_of = @asOf AND s.account_id = j.value
     JOIN accounts a ON a.account_id = s.account_id`,
  );
  const itemsFor = db.prepare<{ ids: string }, RiskItemRow>(
    // CROSS JOIN keeps the page's ids as the outer loop, so each id is one risk_items_account
    // lookup; with a plain JOIN the planner preferred a MULTI-INDEX OR on status and scanned the ids
    // once per live item (83 ms instead of about 1 ms per page on the 50,000-account bench book).
    `SELECT i.* FROM json_each(@ids) j CROSS JOIN risk_items i ON i.account_id = j.value
     WHERE i.status IN ('open', 'in_progress') OR (i.condition_cleared_on IS NULL AND i.status IN ('dismissed', 'resolved'))
     ORDER BY i.item_id`,
  );
  return { rowsFor, itemsFor };
});

export const SPARKLINE_DAYS = 30;

/**
 * The full entries of a page of the day's list, in the page's order: its snapshot rows and risk
 * items, read by key for just these accounts (riskList, and riskListTop in list-top.ts), and the
 * sparklines `sparklines` gives for them (riskList: history-fill.ts's dailyScores, which fills
 * their missing days first); without it, none (`risks --top` prints none).
 */
export function listEntries(
  db: Db,
  asOf: string,
  pageOf: readonly { accountId: string; rank: number }[],
  sparklines?: (accountIds: readonly string[]) => ReadonlyMap<string, (number | null)[]>,
): RiskListEntry[] {
  const repo = riskListRepo(db);
  const byId = new Map(
    repo.rowsFor.all({ ids: JSON.stringify(pageOf.map((a) => a.accountId)), asOf }).map((r) => [r.account_id, r]),
  );
  const raw = pageOf.flatMap((listed) => {
    const row = byId.get(listed.accountId);
    return row ? [{ ...row, rank: listed.rank }] : [];
  });
  const ids = JSON.stringify(raw.map((r) => r.account_id));

  const lines = sparklines?.(raw.map((r) => r.account_id)) ?? new Map<string, (number | null)[]>();
  const items = new Map<string, RiskItemRow[]>();
  for (const item of repo.itemsFor.all({ ids })) {
    const list = items.get(item.account_id);
    if (list) list.push(item);
    else items.set(item.account_id, [item]);
  }

  return raw.map((r): RiskListEntry => {
    const actionable = new Set(parseIdList(r.actionable));
    const mine = items.get(r.account_id) ?? [];
    const triggers = (
      JSON.parse(r.triggers_json) as Omit<
        RiskEntryTrigger,
        'itemId' | 'itemStatus' | 'snoozedUntil' | 'snoozedBy' | 'control' | 'actionable'
      >[]
    ).map((t) => {
      const item =
        mine.find((i) => i.trigger_id === t.id && isLive(i)) ?? mine.find((i) => i.trigger_id === t.id) ?? null;
      return {
        ...t,
        itemId: item?.item_id ?? null,
        itemStatus: item?.status ?? null,
        snoozedUntil: item && isSnoozed(item, asOf) ? item.snoozed_until : null,
        snoozedBy: item && isSnoozed(item, asOf) ? snoozedByColleague(db, item) : null,
        control: item?.is_control === 1,
        actionable: actionable.has(t.id),
      };
    });
    return {
      rank: r.rank,
      accountId: r.account_id,
      name: r.name,
      owner: r.owner_email,
      segment: r.segment,
      arr: r.arr,
      currency: r.currency,
      locale: r.locale,
      arrUsd: r.arr_usd,
      score: r.score,
      band: r.band,
      trend: r.trend,
      scoreDelta: r.score_delta,
      sparkline: lines.get(r.account_id) ?? (sparklines ? new Array<number | null>(SPARKLINE_DAYS).fill(null) : []),
      pChurn: r.p_churn,
      expectedArrAtRisk: r.expected_arr_at_risk,
      expectedArrAtRiskUsd: r.ear_usd,
      topReason: r.top_reason,
      reasons: JSON.parse(r.reasons_json) as string[],
      triggers,
      renewalDate: r.renewal_date,
      daysToRenewal: r.days_to_renewal,
      lastTouchOn: r.last_touch_on,
    };
  });
}

/** One account of the whole book on a day, as `foresight risks --all` prints it. */
export interface BookEntry {
  accountId: string;
  /** Null with stale data or no data (dataGap): a placeholder is never shown. */
  score: number | null;
  band: Band | null;
  /** Null with stale data or no data: no forecast. */
  pChurn: number | null;
  expectedArrAtRisk: number | null;
  dataThrough: string | null;
  stale: boolean;
  dataGap: DataGap | null;
}

/**
 * Every account active on the scored day (created by then, not churned by then), once each, in
 * account order: the day's snapshot holds exactly those (score-all.ts writes one row per active
 * account and removes the others).
 */
export function bookOnDay(db: Db, asOf: string): BookEntry[] {
  return db
    .prepare<
      [string],
      {
        account_id: string;
        score: number | null;
        band: Band | null;
        p_churn: number;
        expected_arr_at_risk: number;
        data_through: string | null;
        stale: number;
      }
    >(
      `SELECT s.account_id, s.score, s.band, s.p_churn, s.expected_arr_at_risk, s.data_through, s.stale
       FROM risk_snapshots s JOIN accounts a ON a.account_id = s.account_id WHERE s.as_of = ? ORDER BY s.account_id`,
    )
    .all(asOf)
    .map((r) => {
      const gap = dataGapOf(r);
      return {
        accountId: r.account_id,
        score: unlessGap(gap, r.score),
        band: unlessGap(gap, r.band),
        pChurn: unlessGap(gap, r.p_churn),
        expectedArrAtRisk: unlessGap(gap, r.expected_arr_at_risk),
        dataThrough: r.data_through,
        stale: r.stale === 1,
        dataGap: gap,
      };
    });
}
