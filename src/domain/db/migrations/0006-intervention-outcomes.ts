import type { Migration } from '../migration.ts';

/**
 * Outcomes of interventions and of the control group, the team lead's merged imports, and the
 * per-trigger overrides of the success criterion and holdout share. The `interventions` table
 * itself (migration 2) keeps the status, so the sync outbox sees every status change.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'intervention outcomes',
  up(db) {
    db.exec(`
      -- One row per intervention once it is evaluated: when its window starts and ends, what
      -- decided it, and the side measures compared against the control group.
      CREATE TABLE intervention_outcomes (
        intervention_id TEXT PRIMARY KEY REFERENCES interventions (intervention_id) ON DELETE CASCADE,
        start_on        TEXT NOT NULL,
        due_on          TEXT,
        outcome_on      TEXT,
        days_to_success INTEGER CHECK (days_to_success >= 0),
        evidence        TEXT NOT NULL,
        retained_90d    INTEGER CHECK (retained_90d IN (0, 1)),
        tickets_30d     INTEGER CHECK (tickets_30d >= 0),
        -- 1 when a person set the status by hand; automatic evaluation then leaves it alone.
        manual          INTEGER NOT NULL DEFAULT 0 CHECK (manual IN (0, 1)),
        manual_note     TEXT,
        evaluated_on    TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        CHECK (manual = 0 OR length(trim(manual_note)) > 0)
      ) STRICT;

      -- The control group: risk items held out (is_control = 1) judged by the same criterion from
      -- the firing date. record_id is stable across machines so merged exports de-duplicate.
      CREATE TABLE control_outcomes (
        item_id         INTEGER PRIMARY KEY REFERENCES risk_items (item_id) ON DELETE CASCADE,
        record_id       TEXT NOT NULL UNIQUE,
        account_id      TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
        trigger_id      TEXT NOT NULL,
        start_on        TEXT NOT NULL,
        due_on          TEXT,
        status          TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'expired')),
        outcome_on      TEXT,
        days_to_success INTEGER CHECK (days_to_success >= 0),
        evidence        TEXT NOT NULL,
        retained_90d    INTEGER CHECK (retained_90d IN (0, 1)),
        tickets_30d     INTEGER CHECK (tickets_30d >= 0),
        evaluated_on    TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX control_outcomes_trigger ON control_outcomes (trigger_id, start_on);

      -- Rows from other CSMs' exported outcome files, merged into the team lead's report.
      -- No foreign key on account_id: the accounts may not be in this book.
      CREATE TABLE imported_outcomes (
        record_id            TEXT PRIMARY KEY,
        cohort               TEXT NOT NULL CHECK (cohort IN ('treated', 'control')),
        account_id           TEXT NOT NULL,
        account_name         TEXT,
        trigger_id           TEXT NOT NULL,
        template_id          TEXT,
        template_version     INTEGER,
        channel              TEXT,
        owner_email          TEXT,
        status               TEXT NOT NULL CHECK (status IN ('planned', 'sent', 'pending', 'succeeded', 'failed', 'expired')),
        fired_on             TEXT,
        start_on             TEXT NOT NULL,
        due_on               TEXT,
        outcome_on           TEXT,
        days_to_success      INTEGER,
        arr                  REAL,
        currency             TEXT,
        effort_rating        INTEGER CHECK (effort_rating BETWEEN 1 AND 7),
        excluded_from_uplift INTEGER NOT NULL DEFAULT 0 CHECK (excluded_from_uplift IN (0, 1)),
        retained_90d         INTEGER CHECK (retained_90d IN (0, 1)),
        tickets_30d          INTEGER,
        evidence             TEXT,
        notes                TEXT,
        source_file          TEXT NOT NULL,
        imported_at          TEXT NOT NULL
      ) STRICT;

      -- User overrides of catalog.ts: a success criterion (JSON) and/or a holdout share per trigger.
      CREATE TABLE trigger_outcome_settings (
        trigger_id    TEXT PRIMARY KEY,
        success_json  TEXT,
        holdout_share REAL CHECK (holdout_share BETWEEN 0 AND 1),
        updated_at    TEXT NOT NULL
      ) STRICT;
    `);
  },
};
