/**
 * Folding an item's episode of actions into its state (the merge rule, merge.ts), and who snoozed
 * it. Apart from merge.ts, which changes items, so that the readers (the ranked list, the account
 * view) can say "Snoozed by …" without loading the item writer and the trigger catalog (issue 16).
 */
import type { Db } from '../db/open.ts';
import type { ItemStatus, RiskItemRow } from '../risk/item-row.ts';
import { itemActionsRepo, type ItemActionRecord, type ItemActionRow } from './repo.ts';

export interface ItemState {
  status: ItemStatus;
  snoozedUntil: string | null;
  snoozeReason: string | null;
  closedOn: string | null;
  closeReason: string | null;
}

export const OPENED: ItemState = {
  status: 'open',
  snoozedUntil: null,
  snoozeReason: null,
  closedOn: null,
  closeReason: null,
};

const byMergeOrder = (a: ItemActionRecord, b: ItemActionRecord) =>
  a.at < b.at ? -1 : a.at > b.at ? 1 : a.action_id < b.action_id ? -1 : a.action_id > b.action_id ? 1 : 0;

const CLOSE_DEFAULT = { dismiss: 'Dismissed', resolve: 'Resolved by hand' } as const;

/** One action on a state. The same meaning as the local actions in risk/items.ts. */
function step(state: ItemState, action: ItemActionRecord): ItemState {
  const live = state.status === 'open' || state.status === 'in_progress';
  switch (action.action) {
    case 'start':
      return { ...state, status: 'in_progress', closedOn: null, closeReason: null };
    case 'snooze':
      return {
        ...state,
        status: live ? state.status : 'open',
        closedOn: live ? state.closedOn : null,
        closeReason: live ? state.closeReason : null,
        snoozedUntil: action.snooze_until,
        snoozeReason: action.reason,
      };
    case 'reopen':
      return {
        ...state,
        status: live ? state.status : 'open',
        closedOn: null,
        closeReason: null,
        snoozedUntil: null,
        snoozeReason: null,
      };
    case 'dismiss':
    case 'resolve':
      return {
        ...state,
        status: action.action === 'dismiss' ? 'dismissed' : 'resolved',
        closedOn: action.at.slice(0, 10),
        closeReason: action.reason?.trim() || CLOSE_DEFAULT[action.action],
      };
  }
}

/** The state an item reaches from `base` through `actions`, in merge order (whatever order they are given in). */
export function foldActions<A extends ItemActionRecord>(
  base: ItemState,
  actions: readonly A[],
): { state: ItemState; last: A | null; snoozedBy: A | null } {
  let state = base;
  let snoozedBy: A | null = null;
  const ordered = [...actions].sort(byMergeOrder);
  for (const action of ordered) {
    state = step(state, action);
    if (action.action === 'snooze') snoozedBy = action;
    else if (action.action === 'reopen' || state.snoozedUntil === null) snoozedBy = null;
  }
  return { state, last: ordered.at(-1) ?? null, snoozedBy };
}

/** The episode's actions for this item: those at or after the day it opened here. */
export function episodeActions(db: Db, item: RiskItemRow): ItemActionRow[] {
  return itemActionsRepo(db).episode(item.account_id, item.trigger_id, item.first_fired_on);
}

/** Who snoozed the item, when its current snooze came from a colleague's action (for "Snoozed by …"). */
export function snoozedByColleague(db: Db, item: RiskItemRow): string | null {
  if (item.snoozed_until === null) return null;
  const { snoozedBy } = foldActions(OPENED, episodeActions(db, item));
  if (!snoozedBy || snoozedBy.origin === 'local' || snoozedBy.snooze_until !== item.snoozed_until) return null;
  return snoozedBy.actor_email;
}
