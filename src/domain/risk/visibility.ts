/**
 * An account's place on the at-risk list after a person acts on one of its items (starts, snoozes,
 * dismisses): which fired triggers still ask for action, in each stored snapshot of the account.
 * The day's scores are not touched; the scoring run (score-all.ts) decides them.
 */
import type { Db } from '../db/open.ts';
import { actionableTriggers, isListedAtRisk, type RiskItemRow } from './items.ts';
import { idList, riskStore } from './store.ts';

/**
 * Recomputes which fired triggers still ask for action, and so whether the account is on the
 * at-risk list, in each stored snapshot of the account. Called after a person acts on an item.
 */
export function refreshAccountVisibility(db: Db, accountId: string): void {
  const store = riskStore(db);
  const all = db.prepare<[string], RiskItemRow>('SELECT * FROM risk_items WHERE account_id = ?').all(accountId);
  for (const snapshot of store.snapshotsOf(accountId)) {
    const fired = snapshot.trigger_ids.split(',').filter(Boolean);
    const actionable = actionableTriggers(fired, all, snapshot.as_of);
    // A stale account stays in its own group, whatever a person did with its items.
    const atRisk = isListedAtRisk({ stale: snapshot.stale !== 0, band: snapshot.band, fired, actionable });
    store.setVisibility({
      as_of: snapshot.as_of,
      account_id: accountId,
      actionable: idList(actionable),
      at_risk: atRisk ? 1 : 0,
    });
  }
}
