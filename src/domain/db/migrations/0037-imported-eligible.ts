import type { Migration } from '../migration.ts';

/**
 * imported_outcomes takes the third cohort of the outcome export, "eligible" (a firing that was
 * not held out, judged from the firing whether or not anyone reached out), and whether a touch
 * reached it (`contacted`): the uplift is an intention-to-treat comparison of eligible against
 * control firings, and a team lead's merged report needs both sides of it. SQLite cannot widen a
 * CHECK in place, so the table is rebuilt with the same rows.
 */
export const migration0037: Migration = {
  version: 37,
  name: 'imported eligible firings',
  up(db) {
    db.exec(`
      CREATE TABLE imported_outcomes_new (
        record_id            TEXT PRIMARY KEY,
        cohort               TEXT NOT NULL CHECK (cohort IN ('treated', 'control', 'eligible')),
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
        imported_at          TEXT NOT NULL,
        manual               INTEGER NOT NULL DEFAULT 0 CHECK (manual IN (0, 1)),
        replied              INTEGER CHECK (replied IN (0, 1)),
        tickets_31_60d       INTEGER,
        tickets_61_90d       INTEGER,
        fatigue_override     INTEGER CHECK (fatigue_override IN (0, 1)),
        as_of                TEXT CHECK (as_of IS NULL OR length(as_of) = 10),
        contacted            INTEGER CHECK (contacted IN (0, 1))
      ) STRICT;
      INSERT INTO imported_outcomes_new (record_id, cohort, account_id, account_name, trigger_id, template_id,
        template_version, channel, owner_email, status, fired_on, start_on, due_on, outcome_on, days_to_success, arr,
        currency, effort_rating, excluded_from_uplift, retained_90d, tickets_30d, evidence, notes, source_file,
        imported_at, manual, replied, tickets_31_60d, tickets_61_90d, fatigue_override, as_of)
      SELECT record_id, cohort, account_id, account_name, trigger_id, template_id,
        template_version, channel, owner_email, status, fired_on, start_on, due_on, outcome_on, days_to_success, arr,
        currency, effort_rating, excluded_from_uplift, retained_90d, tickets_30d, evidence, notes, source_file,
        imported_at, manual, replied, tickets_31_60d, tickets_61_90d, fatigue_override, as_of
      FROM imported_outcomes;
      DROP TABLE imported_outcomes;
      ALTER TABLE imported_outcomes_new RENAME TO imported_outcomes;
    `);
  },
};
