import type { Migration } from '../migration.ts';

/**
 * Sync: feed sources with their cursors and outbox state, the history of import and sync runs,
 * and the quarantine that keeps every rejected row with its reason (nothing is dropped silently).
 * Tokens are never stored here: `token_ref` names where the token lives (`env:VAR` or
 * `secret:NAME` in the app's SecretStore).
 */
export const migration0003: Migration = {
  version: 3,
  name: 'sync sources, runs and quarantine',
  up(db) {
    db.exec(`
      CREATE TABLE sync_sources (
        name            TEXT PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 64),
        url             TEXT NOT NULL,
        token_ref       TEXT CHECK (token_ref IS NULL OR token_ref LIKE 'env:%' OR token_ref LIKE 'secret:%'),
        status          TEXT NOT NULL DEFAULT 'never' CHECK (status IN ('never', 'ok', 'offline', 'error', 'unauthorised')),
        last_attempt_at TEXT,
        last_success_at TEXT,
        last_error      TEXT,
        -- Consecutive failed attempts; drives the retry backoff. Reset by a success.
        failures        INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
        next_retry_at   TEXT,
        created_at      TEXT NOT NULL
      ) STRICT;

      -- Where each kind's feed resumes. Written in the same transaction as the page it follows.
      CREATE TABLE sync_cursors (
        source     TEXT NOT NULL REFERENCES sync_sources (name) ON DELETE CASCADE,
        kind       TEXT NOT NULL CHECK (kind IN ('accounts', 'contacts', 'metrics', 'events')),
        cursor     TEXT,
        etag       TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (source, kind)
      ) STRICT, WITHOUT ROWID;

      -- The outbox: which version (updated_at) of each intervention a source has acknowledged.
      -- An intervention is pending for a source while this row is missing or older.
      CREATE TABLE sync_outbox (
        source            TEXT NOT NULL REFERENCES sync_sources (name) ON DELETE CASCADE,
        intervention_id   TEXT NOT NULL,
        pushed_updated_at TEXT NOT NULL,
        pushed_at         TEXT NOT NULL,
        PRIMARY KEY (source, intervention_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE sync_runs (
        run_id            INTEGER PRIMARY KEY,
        type              TEXT NOT NULL CHECK (type IN ('import', 'feed', 'retry')),
        origin            TEXT NOT NULL,
        status            TEXT NOT NULL CHECK (status IN ('ok', 'partial', 'unchanged', 'failed', 'offline', 'unauthorised')),
        started_at        TEXT NOT NULL,
        finished_at       TEXT NOT NULL,
        accepted_accounts INTEGER NOT NULL DEFAULT 0,
        accepted_contacts INTEGER NOT NULL DEFAULT 0,
        accepted_metrics  INTEGER NOT NULL DEFAULT 0,
        accepted_events   INTEGER NOT NULL DEFAULT 0,
        unchanged         INTEGER NOT NULL DEFAULT 0,
        rejected          INTEGER NOT NULL DEFAULT 0,
        message           TEXT
      ) STRICT;
      CREATE INDEX sync_runs_started ON sync_runs (started_at);

      -- Rejected rows. record_json holds the row's raw values under contract field names (what
      -- export and retry need); raw_text holds rows that could not even be split into fields.
      -- The same raw row rejected twice is one entry: (kind, raw_hash) is unique.
      CREATE TABLE quarantine (
        quarantine_id INTEGER PRIMARY KEY,
        kind          TEXT NOT NULL CHECK (kind IN ('accounts', 'contacts', 'metrics', 'events')),
        origin        TEXT NOT NULL,
        line          INTEGER,
        field         TEXT,
        reason        TEXT NOT NULL,
        record_json   TEXT,
        raw_text      TEXT,
        options_json  TEXT,
        natural_key   TEXT,
        raw_hash      TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        UNIQUE (kind, raw_hash)
      ) STRICT;
      CREATE INDEX quarantine_natural_key ON quarantine (kind, natural_key);
    `);
  },
};
