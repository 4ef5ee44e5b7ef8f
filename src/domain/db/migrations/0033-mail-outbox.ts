import type { Migration } from '../migration.ts';

/**
 * The mail queue becomes an outbox a CSM can read and act on (docs/csm-day.md):
 *
 * - statuses `sending` (handed to the SMTP client; a crash leaves it there, never retried blindly),
 *   `unknown` (the server had the whole message but never confirmed it, so it may have been
 *   delivered: only the user retries it) and `cancelled`;
 * - `message_id` is set when a message is queued and kept for every attempt, so a receiving server
 *   can drop a duplicate; rows still queued get one here;
 * - `not_before`: a message queued for the customer's working hours is not tried before it;
 * - `last_attempt_at`: when it was last handed to the server.
 *
 * A CHECK cannot be changed in place, so the table is rebuilt with its rows.
 */
export const migration0033: Migration = {
  version: 33,
  name: 'mail outbox: unknown delivery, one Message-ID, not-before',
  up(db) {
    db.exec(`
      CREATE TABLE mail_queue_new (
        mail_id         TEXT PRIMARY KEY,
        account_id      TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
        risk_item_id    INTEGER,
        trigger_id      TEXT,
        template_id     TEXT,
        to_json         TEXT NOT NULL,
        cc_json         TEXT NOT NULL DEFAULT '[]',
        subject         TEXT NOT NULL,
        body            TEXT NOT NULL,
        status          TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'unknown', 'cancelled')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        last_error      TEXT,
        message_id      TEXT,
        queued_at       TEXT NOT NULL,
        sent_at         TEXT,
        not_before      TEXT,
        last_attempt_at TEXT
      ) STRICT;
      INSERT INTO mail_queue_new (mail_id, account_id, risk_item_id, trigger_id, template_id, to_json, cc_json,
                                  subject, body, status, attempts, last_error, message_id, queued_at, sent_at)
        SELECT mail_id, account_id, risk_item_id, trigger_id, template_id, to_json, cc_json,
               subject, body, status, attempts, last_error,
               CASE WHEN status = 'queued' AND message_id IS NULL
                    THEN '<' || lower(hex(randomblob(16))) || '@foresight.local>' ELSE message_id END,
               queued_at, sent_at
        FROM mail_queue;
      DROP TABLE mail_queue;
      ALTER TABLE mail_queue_new RENAME TO mail_queue;
      CREATE INDEX mail_queue_status ON mail_queue (status, queued_at);
    `);
  },
};
