/**
 * The merge rule for a risk item's status across laptops (docs/feed-protocol.md, "Merge rules"):
 * an item is identified by its account and trigger; its status is the result of its episode's
 * actions applied in order of time, ties broken by the greater action id. Every laptop holding
 * the same actions folds them the same way, so every laptop converges, whatever order the actions
 * arrived in. An action older than the day the item opened here belongs to an earlier episode and
 * does not apply to it.
 */
import type { Db } from '../db/open.ts';
import { itemsRepo, isLive, type ItemStatus, type RiskItemRow } from '../risk/items.ts';
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

/** The item a remote action for this account and trigger applies to: the live one, else the latest one a person closed. */
export function targetItem(db: Db, accountId: string, triggerId: string): RiskItemRow | null {
  const items = itemsRepo(db)
    .relevant(accountId)
    .filter((item) => item.trigger_id === triggerId);
  return items.find(isLive) ?? items.at(-1) ?? null;
}

/** The episode's actions for this item: those at or after the day it opened here. */
export function episodeActions(db: Db, item: RiskItemRow): ItemActionRow[] {
  return itemActionsRepo(db).episode(item.account_id, item.trigger_id, item.first_fired_on);
}

const VERB: Record<ItemActionRecord['action'], string> = {
  start: 'Started',
  snooze: 'Snoozed',
  dismiss: 'Dismissed',
  resolve: 'Resolved',
  reopen: 'Reopened',
};

/**
 * Brings one account's trigger item in line with its episode's actions. Only an episode holding an
 * action from elsewhere is folded: a purely local history is already the item's state (and an
 * item acted on before the log existed keeps what it has). Returns whether the item changed.
 */
export function applyEpisode(db: Db, accountId: string, triggerId: string, now: string): boolean {
  const item = targetItem(db, accountId, triggerId);
  if (!item) return false;
  const actions = episodeActions(db, item);
  if (!actions.some((a) => a.origin !== 'local')) return false;
  const { state, last } = foldActions(OPENED, actions);
  const repo = itemsRepo(db);
  let changed = false;
  if (state.status !== item.status) {
    const who = last?.actor_email ? ` by ${last.actor_email}` : '';
    const reason = `${VERB[last?.action ?? 'reopen']}${who}${state.closeReason ? `: ${state.closeReason}` : ''}`;
    const closed = state.status === 'dismissed' || state.status === 'resolved';
    repo.changeStatus(item, state.status, now, {
      closedOn: state.closedOn,
      reason: closed ? (state.closeReason ?? reason) : reason,
      // A closed item holds back a new one until its condition clears; a reopened one is live again.
      clearedOn: closed ? null : item.condition_cleared_on,
    });
    changed = true;
  }
  if (state.snoozedUntil !== item.snoozed_until || state.snoozeReason !== item.snooze_reason) {
    repo.snooze(item.item_id, state.snoozedUntil, state.snoozeReason, now);
    changed = true;
  }
  return changed;
}

/** Who snoozed the item, when its current snooze came from a colleague's action (for "Snoozed by …"). */
export function snoozedByColleague(db: Db, item: RiskItemRow): string | null {
  if (item.snoozed_until === null) return null;
  const { snoozedBy } = foldActions(OPENED, episodeActions(db, item));
  if (!snoozedBy || snoozedBy.origin === 'local' || snoozedBy.snooze_until !== item.snoozed_until) return null;
  return snoozedBy.actor_email;
}

/**
 * Applies the logged colleagues' actions to the items of these accounts (null: all): run after
 * scoring, so an item the engine opens after its actions arrived (a first sync pulls the actions
 * before the accounts are scored) still follows them. Returns how many items changed.
 */
export function applyLoggedActions(db: Db, accountIds: readonly string[] | null, now: string): number {
  const wanted = accountIds === null ? null : new Set(accountIds);
  let changed = 0;
  for (const { account_id, trigger_id } of itemActionsRepo(db).remoteEpisodes())
    if ((wanted === null || wanted.has(account_id)) && applyEpisode(db, account_id, trigger_id, now)) changed++;
  return changed;
}
