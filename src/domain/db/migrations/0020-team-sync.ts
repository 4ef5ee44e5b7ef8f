import type { Migration } from '../migration.ts';

/**
 * Team sync through a hub (issue 19, docs/feed-protocol.md "Protocol 1.1").
 *
 * - `item_actions`: every status action on a risk item (start, snooze, dismiss, resolve, reopen),
 *   taken here (`origin` 'local') or pulled from a source (`origin` its name). Append-only and
 *   idempotent by `action_id`, so every laptop holding the same actions reaches the same status.
 *   No foreign key on the account: a colleague's action may arrive before its account does.
 * - `activities.origin`: NULL for an activity logged here, the source's name for one pulled from a
 *   hub (a colleague's call); only local ones are sent.
 * - `sync_log_cursors`: where each pulled log kind resumes, per source (the record kinds keep theirs
 *   in `sync_cursors`).
 * - `sync_pushed`: which activities and item actions a source has acknowledged. Both are immutable
 *   once written, so an id is enough (interventions, which change, keep their version in
 *   `sync_outbox`).
 * - `sync_capabilities`: what a source said about itself (GET /v1/capabilities; protocol NULL for a
 *   plain v1 feed), whether it takes activities, and the per-kind counts of its last sync.
 */
export const migration0020: Migration = {
  version: 20,
  name: 'item action log and team sync',
  up(db) {
    db.exec(`
      CREATE TABLE item_actions (
        action_id    TEXT PRIMARY KEY CHECK (action_id LIKE 'act_%' AND length(action_id) <= 80),
        account_id   TEXT NOT NULL,
        trigger_id   TEXT NOT NULL,
        action       TEXT NOT NULL CHECK (action IN ('start', 'snooze', 'dismiss', 'resolve', 'reopen')),
        at           TEXT NOT NULL,
        snooze_until TEXT,
        reason       TEXT,
        actor_email  TEXT,
        origin       TEXT NOT NULL,
        received_at  TEXT NOT NULL,
        CHECK ((action = 'snooze') = (snooze_until IS NOT NULL))
      ) STRICT;
      -- An episode's actions in merge order: (at, action_id).
      CREATE INDEX item_actions_episode ON item_actions (account_id, trigger_id, at, action_id);
      CREATE INDEX item_actions_origin ON item_actions (origin, at);

      ALTER TABLE activities ADD COLUMN origin TEXT;

      CREATE TABLE sync_log_cursors (
        source     TEXT NOT NULL REFERENCES sync_sources (name) ON DELETE CASCADE,
        kind       TEXT NOT NULL CHECK (kind IN ('item_actions', 'interventions', 'activities')),
        cursor     TEXT,
        etag       TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (source, kind)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE sync_pushed (
        source    TEXT NOT NULL REFERENCES sync_sources (name) ON DELETE CASCADE,
        kind      TEXT NOT NULL CHECK (kind IN ('activities', 'item_actions')),
        item_id   TEXT NOT NULL,
        pushed_at TEXT NOT NULL,
        PRIMARY KEY (source, kind, item_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE sync_capabilities (
        source           TEXT PRIMARY KEY REFERENCES sync_sources (name) ON DELETE CASCADE,
        protocol         TEXT,
        pull_json        TEXT NOT NULL DEFAULT '[]',
        push_json        TEXT NOT NULL DEFAULT '[]',
        user_email       TEXT,
        user_role        TEXT CHECK (user_role IS NULL OR user_role IN ('csm', 'lead', 'admin')),
        takes_activities INTEGER CHECK (takes_activities IS NULL OR takes_activities IN (0, 1)),
        last_counts_json TEXT,
        checked_at       TEXT NOT NULL
      ) STRICT;
    `);
  },
};
