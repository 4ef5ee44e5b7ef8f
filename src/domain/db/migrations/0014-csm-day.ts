import type { Migration } from '../migration.ts';

/**
 * The CSM's working day (issue 17).
 *
 * - `activities`: calls, meetings, emails and notes the CSM logs by hand, and the outreach marked as
 *   sent. A call, meeting or email is also written to `events` as a `csm_touch` (event id
 *   `touch_<activity_id>`), because that is what the risk engine reads for the last touch, the
 *   relationship component and `silent_churn`: one fact, one reader. A note is not contact with the
 *   customer and writes no touch.
 * - `saved_views`: named filters of a screen (the query string of its URL), stored locally.
 * - `mail_queue`: messages to send through the user's SMTP server; a message stays `queued` while
 *   the server cannot be reached and is sent on the next attempt.
 */
export const migration0014: Migration = {
  version: 14,
  name: 'activities, saved views and the mail queue',
  up(db) {
    db.exec(`
      CREATE TABLE activities (
        activity_id     TEXT PRIMARY KEY,
        account_id      TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
        type            TEXT NOT NULL CHECK (type IN ('call', 'meeting', 'email', 'note')),
        occurred_at     TEXT NOT NULL,
        contact_id      TEXT,
        summary         TEXT NOT NULL CHECK (length(summary) BETWEEN 1 AND 2000),
        outcome         TEXT,
        author_email    TEXT,
        intervention_id TEXT,
        created_at      TEXT NOT NULL
      ) STRICT;
      CREATE INDEX activities_account_time ON activities (account_id, occurred_at);

      CREATE TABLE saved_views (
        screen     TEXT NOT NULL CHECK (screen IN ('today', 'accounts', 'renewals')),
        name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
        query      TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (screen, name)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE mail_queue (
        mail_id         TEXT PRIMARY KEY,
        account_id      TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
        risk_item_id    INTEGER,
        trigger_id      TEXT,
        template_id     TEXT,
        to_json         TEXT NOT NULL,
        cc_json         TEXT NOT NULL DEFAULT '[]',
        subject         TEXT NOT NULL,
        body            TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        last_error      TEXT,
        message_id      TEXT,
        queued_at       TEXT NOT NULL,
        sent_at         TEXT
      ) STRICT;
      CREATE INDEX mail_queue_status ON mail_queue (status, queued_at);
    `);
  },
};
