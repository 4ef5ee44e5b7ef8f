/**
 * The desktop shell's badge: open high-priority risk items, from risk_items (the table the risk
 * engine writes); holdout (control) items are never counted, since the user is not meant to act on
 * them. "My accounts" narrows it to the owner in preferences when one is set. The digest
 * notification's content is the morning digest (digest/morning.ts).
 */
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';

/** Priority 1 is the most urgent; the badge counts 1 and 2. */
export const HIGH_PRIORITY_MAX = 2;

export const desktopRepo = perConnection((db: Db) => {
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
    highPriorityOpenCount: countHighPriorityOpen,
  };
});
