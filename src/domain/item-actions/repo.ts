/** SQL for the item-action log (migration 20): append-only, idempotent by action id. */
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';

export const ITEM_ACTIONS = ['start', 'snooze', 'dismiss', 'resolve', 'reopen'] as const;
export type ItemAction = (typeof ITEM_ACTIONS)[number];

/** One action as the protocol carries it (docs/feed-protocol.md, "item_actions"). */
export interface ItemActionRecord {
  action_id: string;
  account_id: string;
  trigger_id: string;
  action: ItemAction;
  at: string;
  snooze_until: string | null;
  reason: string | null;
  actor_email: string | null;
}

export interface ItemActionRow extends ItemActionRecord {
  /** 'local', or the name of the source it was pulled from. */
  origin: string;
  received_at: string;
}

export const itemActionsRepo = perConnection((db: Db) => {
  // An id seen twice is stored once: the log is the same on every laptop that holds the action.
  const insert = db.prepare<ItemActionRow>(
    `INSERT INTO item_actions (action_id, account_id, trigger_id, action, at, snooze_until, reason, actor_email, origin, received_at)
     VALUES (@action_id, @account_id, @trigger_id, @action, @at, @snooze_until, @reason, @actor_email, @origin, @received_at)
     ON CONFLICT (action_id) DO NOTHING`,
  );
  // Merge order: the latest by time, ties broken by the greater id. Served by item_actions_episode.
  const episode = db.prepare<{ account: string; trigger: string; from: string }, ItemActionRow>(
    `SELECT * FROM item_actions WHERE account_id = @account AND trigger_id = @trigger AND at >= @from
     ORDER BY at, action_id`,
  );
  const pending = db.prepare<{ source: string; limit: number }, ItemActionRow>(
    `SELECT a.* FROM item_actions a
     WHERE a.origin = 'local' AND NOT EXISTS (
       SELECT 1 FROM sync_pushed p WHERE p.source = @source AND p.kind = 'item_actions' AND p.item_id = a.action_id)
     ORDER BY a.at, a.action_id LIMIT @limit`,
  );
  const pendingCount = db
    .prepare<{ source: string }, number>(
      `SELECT count(*) FROM item_actions a
       WHERE a.origin = 'local' AND NOT EXISTS (
         SELECT 1 FROM sync_pushed p WHERE p.source = @source AND p.kind = 'item_actions' AND p.item_id = a.action_id)`,
    )
    .pluck();
  const remoteEpisodes = db.prepare<[], { account_id: string; trigger_id: string }>(
    `SELECT DISTINCT account_id, trigger_id FROM item_actions WHERE origin <> 'local'`,
  );
  return {
    /** Every account and trigger a colleague's action names. */
    remoteEpisodes: () => remoteEpisodes.all(),
    /** True when the action is new here. */
    add: (row: ItemActionRow): boolean => insert.run(row).changes > 0,
    /** The actions of an account's trigger at or after `from` (an ISO day or instant), in merge order. */
    episode: (accountId: string, triggerId: string, from: string): ItemActionRow[] =>
      episode.all({ account: accountId, trigger: triggerId, from }),
    pending: (source: string, limit: number): ItemActionRow[] => pending.all({ source, limit }),
    pendingCount: (source: string): number => pendingCount.get({ source }) ?? 0,
  };
});
