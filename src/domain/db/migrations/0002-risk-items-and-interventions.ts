import type { Migration } from '../migration.ts';

/**
 * The two tables that the risk engine, outreach and interventions all meet at. Scores, sources,
 * templates and outcome details come in later versions owned by those capabilities.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'risk items and interventions',
  up(db) {
    db.exec(`
      CREATE TABLE risk_items (
        item_id           INTEGER PRIMARY KEY,
        account_id        TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
        trigger_id        TEXT NOT NULL,
        status            TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'resolved', 'dismissed')),
        priority          INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
        tier              TEXT NOT NULL CHECK (tier IN ('automated', 'human')),
        evidence          TEXT NOT NULL,
        facts_json        TEXT NOT NULL DEFAULT '{}',
        is_control        INTEGER NOT NULL DEFAULT 0 CHECK (is_control IN (0, 1)),
        first_fired_on    TEXT NOT NULL,
        last_fired_on     TEXT NOT NULL,
        snoozed_until     TEXT,
        snooze_reason     TEXT,
        closed_on         TEXT,
        close_reason      TEXT,
        status_changed_at TEXT NOT NULL,
        created_at        TEXT NOT NULL,
        updated_at        TEXT NOT NULL
      ) STRICT;
      -- At most one live item per account and trigger: the engine updates it instead of adding another.
      CREATE UNIQUE INDEX risk_items_live ON risk_items (account_id, trigger_id) WHERE status IN ('open', 'in_progress');
      CREATE INDEX risk_items_status ON risk_items (status, priority);
      CREATE INDEX risk_items_account ON risk_items (account_id, trigger_id, first_fired_on);

      -- Time spent in each status, one row per stay.
      CREATE TABLE risk_item_status_log (
        item_id    INTEGER NOT NULL REFERENCES risk_items (item_id) ON DELETE CASCADE,
        status     TEXT NOT NULL,
        entered_at TEXT NOT NULL,
        left_at    TEXT,
        reason     TEXT
      ) STRICT;
      CREATE INDEX risk_item_status_log_item ON risk_item_status_log (item_id, entered_at);

      CREATE TABLE interventions (
        intervention_id  TEXT PRIMARY KEY,
        account_id       TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
        risk_item_id     INTEGER REFERENCES risk_items (item_id) ON DELETE SET NULL,
        trigger_id       TEXT NOT NULL,
        template_id      TEXT,
        template_version INTEGER,
        channel          TEXT NOT NULL CHECK (channel IN ('email', 'in_app', 'sms', 'call', 'other')),
        owner_email      TEXT,
        status           TEXT NOT NULL CHECK (status IN ('planned', 'sent', 'succeeded', 'failed', 'expired')),
        planned_at       TEXT,
        sent_at          TEXT,
        notes            TEXT,
        effort_rating    INTEGER CHECK (effort_rating BETWEEN 1 AND 7),
        -- Logged with --force against a holdout account: kept, but excluded from uplift.
        excluded_from_uplift INTEGER NOT NULL DEFAULT 0 CHECK (excluded_from_uplift IN (0, 1)),
        created_at       TEXT NOT NULL,
        updated_at       TEXT NOT NULL
      ) STRICT;
      CREATE INDEX interventions_account ON interventions (account_id, sent_at);
      CREATE INDEX interventions_status ON interventions (status);
    `);
  },
};
