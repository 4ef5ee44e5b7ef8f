/**
 * The merge rule for a risk item's status across laptops (docs/feed-protocol.md, "Merge rules"):
 * an item is identified by its account and trigger; its status is the result of its episode's
 * actions applied in order of time, ties broken by the greater action id. Every laptop holding
 * the same actions folds them the same way, so every laptop converges, whatever order the actions
 * arrived in. An action older than the day the item opened here belongs to an earlier episode and
 * does not apply to it.
 */
import type { Db } from '../db/open.ts';
import { itemsRepo, isLive, type RiskItemRow } from '../risk/items.ts';
import { episodeActions, foldActions, OPENED } from './fold.ts';
import { itemActionsRepo, type ItemActionRecord } from './repo.ts';

// The fold and "snoozed by" live in fold.ts, which the readers import; re-exported for the rest.
export { episodeActions, foldActions, OPENED, snoozedByColleague, type ItemState } from './fold.ts';

/** The item a remote action for this account and trigger applies to: the live one, else the latest one a person closed. */
export function targetItem(db: Db, accountId: string, triggerId: string): RiskItemRow | null {
  const items = itemsRepo(db)
    .relevant(accountId)
    .filter((item) => item.trigger_id === triggerId);
  return items.find(isLive) ?? items.at(-1) ?? null;
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
