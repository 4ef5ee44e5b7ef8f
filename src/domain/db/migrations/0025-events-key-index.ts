import type { Migration } from '../migration.ts';

/**
 * Events keep their unique `event_id` in a named UNIQUE index instead of the table's PRIMARY KEY
 * (issue 16; docs/performance.md, "The import's own part"). The table always was a rowid table and
 * the key an index beside it; a PRIMARY KEY's index, though, can never be dropped, while a named one
 * can: a first load into an empty events table sets it aside and builds it once, sorted, after the
 * rows (`ingest/event-key.ts`), instead of inserting each random id into it (memory latency: 24-32
 * CPU-s of a 50,000-account import against 6.3 s without the index). Everything that wrote by
 * `ON CONFLICT (event_id)` or `INSERT OR REPLACE` keeps doing so through the UNIQUE index.
 *
 * The table is rebuilt keeping every row and its rowid (readers order ties by it); its indexes and
 * triggers (the lifecycle triggers of migration 13, the fingerprint triggers of migration 7) are
 * dropped with the old table and created again from their own SQL.
 */
export const migration0025: Migration = {
  version: 25,
  name: 'events keyed by rowid with a unique event id index',
  up(db) {
    const dependents = db
      .prepare<[], { sql: string }>(
        "SELECT sql FROM sqlite_schema WHERE tbl_name = 'events' AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name",
      )
      .all();
    db.exec(`
      CREATE TABLE events_rebuilt (
        event_id    TEXT NOT NULL,
        account_id  TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
        occurred_at TEXT NOT NULL,
        type        TEXT NOT NULL,
        value       REAL,
        contact_id  TEXT,
        detail      TEXT
      ) STRICT;
      INSERT INTO events_rebuilt (rowid, event_id, account_id, occurred_at, type, value, contact_id, detail)
        SELECT rowid, event_id, account_id, occurred_at, type, value, contact_id, detail FROM events ORDER BY rowid;
      DROP TABLE events;
      ALTER TABLE events_rebuilt RENAME TO events;
      CREATE UNIQUE INDEX events_event_id ON events (event_id);
    `);
    for (const { sql } of dependents) db.exec(sql);
  },
};
