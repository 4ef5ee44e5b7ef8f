import type { Migration } from '../migration.ts';

/**
 * Quarantine ids are never reused. Without AUTOINCREMENT SQLite hands the id of a deleted entry
 * (the largest one) to the next rejected row, so an old exported fix file could name an entry
 * that is now a different, unrelated row, and importing it deleted that row (issue 15). The table
 * is rebuilt with AUTOINCREMENT, keeping every id; the fingerprint triggers that watch it
 * (migration 7) are dropped with the old table and created again.
 */
export const migration0012: Migration = {
  version: 12,
  name: 'quarantine ids never reused',
  up(db) {
    db.exec(`
      CREATE TABLE quarantine_rebuilt (
        quarantine_id INTEGER PRIMARY KEY AUTOINCREMENT,
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
      INSERT INTO quarantine_rebuilt
        (quarantine_id, kind, origin, line, field, reason, record_json, raw_text, options_json, natural_key, raw_hash, created_at)
        SELECT quarantine_id, kind, origin, line, field, reason, record_json, raw_text, options_json, natural_key, raw_hash, created_at
        FROM quarantine;
      DROP TABLE quarantine;
      ALTER TABLE quarantine_rebuilt RENAME TO quarantine;
      CREATE INDEX quarantine_natural_key ON quarantine (kind, natural_key);
    `);
    for (const event of ['UPDATE', 'DELETE']) {
      db.exec(`
        CREATE TRIGGER import_fingerprints_forget_on_quarantine_${event.toLowerCase()}
        AFTER ${event} ON quarantine WHEN EXISTS (SELECT 1 FROM import_fingerprints)
        BEGIN DELETE FROM import_fingerprints; END;
      `);
    }
  },
};
