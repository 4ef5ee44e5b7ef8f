import type { Migration } from '../migration.ts';

/**
 * Account notes and the success plan (issue 17).
 *
 * - `account_notes`: what everyone working on the account should know, dated and signed, and kept
 *   up to date (edited or deleted). A logged activity of type "note" is different: it records
 *   that something happened and is never edited.
 * - `account_goals`: the customer's success plan, each goal with a target day, a status and an
 *   optional metric. Ids are small integers so the CLI can say `foresight goal set 3 --status done`.
 */
export const migration0019: Migration = {
  version: 19,
  name: 'account notes and success-plan goals',
  up(db) {
    db.exec(`
      CREATE TABLE account_notes (
        note_id      INTEGER PRIMARY KEY,
        account_id   TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
        noted_on     TEXT NOT NULL CHECK (noted_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        author_email TEXT,
        text         TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 5000),
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL
      ) STRICT;
      CREATE INDEX account_notes_account ON account_notes (account_id, noted_on);

      CREATE TABLE account_goals (
        goal_id    INTEGER PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
        title      TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        due_on     TEXT NOT NULL CHECK (due_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        status     TEXT NOT NULL CHECK (status IN ('planned', 'on_track', 'at_risk', 'done', 'dropped')),
        metric     TEXT CHECK (metric IS NULL OR length(metric) BETWEEN 1 AND 200),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX account_goals_account ON account_goals (account_id, due_on);
    `);
  },
};
