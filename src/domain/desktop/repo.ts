/**
 * The desktop shell's reads: the digest and the badge. They use risk_items (schema version 2), the
 * table the risk engine writes; holdout (control) items are never counted, since the user is not
 * meant to act on them. "My accounts" narrows both to the owner in preferences when one is set.
 */
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import { isOpportunity, TRIGGER_IDS } from '../risk/catalog.ts';
import type { DigestSummary } from './digest.ts';

/** An upgrade or a milestone is good news: it never makes an account "newly at risk" in the digest. */
const OPPORTUNITIES = JSON.stringify(TRIGGER_IDS.filter(isOpportunity));

/** Priority 1 is the most urgent; the badge counts 1 and 2. */
export const HIGH_PRIORITY_MAX = 2;

export const desktopRepo = perConnection((db: Db) => {
  const newAtRisk = db.prepare<
    { since: string; owner: string | null; opportunities: string },
    { currency: string; accounts: number; arr: number }
  >(`
    SELECT a.currency AS currency, count(*) AS accounts, total(a.arr) AS arr
    FROM accounts a
    WHERE a.status = 'active'
      AND (@owner IS NULL OR a.owner_email = @owner)
      AND EXISTS (
        SELECT 1 FROM risk_items r
        WHERE r.account_id = a.account_id
          AND r.status IN ('open', 'in_progress')
          AND r.is_control = 0
          AND r.first_fired_on > @since
          AND r.trigger_id NOT IN (SELECT value FROM json_each(@opportunities))
      )
    GROUP BY a.currency
  `);
  const highPriorityOpen = db.prepare<{ today: string; owner: string | null; maxPriority: number }, { n: number }>(`
    SELECT count(*) AS n
    FROM risk_items r JOIN accounts a ON a.account_id = r.account_id
    WHERE r.status = 'open'
      AND a.status = 'active'
      AND r.priority <= @maxPriority
      AND r.is_control = 0
      AND (r.snoozed_until IS NULL OR r.snoozed_until <= @today)
      AND (@owner IS NULL OR a.owner_email = @owner)
  `);
  const countHighPriorityOpen = (options: { today: string; owner: string | null }): number =>
    highPriorityOpen.get({ ...options, maxPriority: HIGH_PRIORITY_MAX })?.n ?? 0;
  return {
    /** `since` is the last digest's day (YYYY-MM-DD): items first fired after it are new. */
    digestSummary(options: { since: string; today: string; owner: string | null }): DigestSummary {
      const rows = newAtRisk.all({ since: options.since, owner: options.owner, opportunities: OPPORTUNITIES });
      return {
        newAtRiskAccounts: rows.reduce((sum, row) => sum + row.accounts, 0),
        arrAtRisk: rows.map((row) => ({ currency: row.currency, amount: row.arr })),
        highPriorityOpen: countHighPriorityOpen({ today: options.today, owner: options.owner }),
      };
    },
    highPriorityOpenCount: countHighPriorityOpen,
  };
});
