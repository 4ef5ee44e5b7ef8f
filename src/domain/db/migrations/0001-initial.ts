import type { Migration } from '../migration.ts';

/** The four record kinds of the data contract, plus a small key-value table for app state. */
export const migration0001: Migration = {
  version: 1,
  name: 'initial data contract',
  up(db) {
    db.exec(`
      CREATE TABLE app_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE accounts (
        account_id      TEXT PRIMARY KEY,
        name            TEXT NOT NULL,
        owner_email     TEXT,
        segment         TEXT,
        plan            TEXT,
        arr             REAL NOT NULL CHECK (arr >= 0),
        currency        TEXT NOT NULL DEFAULT 'USD' CHECK (length(currency) = 3),
        seats_purchased INTEGER CHECK (seats_purchased >= 0),
        usage_limit     REAL CHECK (usage_limit >= 0),
        renewal_date    TEXT,
        created_at      TEXT,
        lifecycle_stage TEXT,
        status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'churned')),
        churned_at      TEXT,
        timezone        TEXT,
        locale          TEXT,
        updated_at      TEXT,
        is_demo         INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1))
      ) STRICT;
      CREATE INDEX accounts_owner ON accounts (owner_email);
      CREATE INDEX accounts_renewal ON accounts (renewal_date);

      CREATE TABLE contacts (
        contact_id   TEXT PRIMARY KEY,
        account_id   TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
        name         TEXT,
        email        TEXT,
        role         TEXT,
        is_champion  INTEGER NOT NULL DEFAULT 0 CHECK (is_champion IN (0, 1)),
        active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        last_seen_at TEXT
      ) STRICT;
      CREATE INDEX contacts_account ON contacts (account_id);

      -- contact_id is '' for account-level values so that the natural key can be the primary key.
      CREATE TABLE metrics (
        account_id TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
        metric     TEXT NOT NULL,
        contact_id TEXT NOT NULL DEFAULT '',
        date       TEXT NOT NULL,
        value      REAL NOT NULL,
        PRIMARY KEY (account_id, metric, contact_id, date)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE events (
        event_id    TEXT PRIMARY KEY,
        account_id  TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
        occurred_at TEXT NOT NULL,
        type        TEXT NOT NULL,
        value       REAL,
        contact_id  TEXT,
        detail      TEXT
      ) STRICT;
      CREATE INDEX events_account_time ON events (account_id, occurred_at);
      CREATE INDEX events_account_type_time ON events (account_id, type, occurred_at);
    `);
  },
};
