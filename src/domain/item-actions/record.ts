/**
 * Records a status action a person took on a risk item here, in the same transaction as the change
 * itself, so it can be sent to every team hub (the sync pushes actions a source has not yet
 * acknowledged) and merged with colleagues' actions by the same rule on every laptop.
 */
import type { Db } from '../db/open.ts';
import { META_KEYS, metaRepo } from '../db/repos/meta.ts';
import { itemActionsRepo, type ItemAction } from './repo.ts';

export interface LocalAction {
  accountId: string;
  triggerId: string;
  action: ItemAction;
  /** The instant it was taken (ISO). */
  at: string;
  snoozeUntil?: string | null;
  reason?: string | null;
}

export function recordLocalAction(db: Db, input: LocalAction): string {
  // The global Web Crypto, not an import of node:crypto, which `foresight account` would load (~5 ms) without using.
  const actionId = `act_${crypto.randomUUID()}`;
  itemActionsRepo(db).add({
    action_id: actionId,
    account_id: input.accountId,
    trigger_id: input.triggerId,
    action: input.action,
    at: input.at,
    snooze_until: input.action === 'snooze' ? (input.snoozeUntil ?? null) : null,
    reason: input.reason ?? null,
    // The user's own email (Settings, or `foresight risks me`); a hub replaces it with its token's user.
    actor_email: metaRepo(db).get(META_KEYS.ownerIdentity),
    origin: 'local',
    received_at: input.at,
  });
  return actionId;
}
