import type { Migration } from '../migration.ts';

/**
 * Re-importing a file that is byte-for-byte the one imported before, into a book nobody has
 * changed since, can only answer "everything unchanged". import_fingerprints remembers each file
 * imported (name, SHA-256 of its bytes, import options) with the report it produced, so the
 * importer can give that answer without parsing the file again (docs/performance.md).
 *
 * The triggers make "nobody has changed the book since" true by construction: any change that could
 * alter a re-import's outcome forgets every fingerprint, whoever makes it (another import, a feed
 * sync, a quarantine fix, the demo loader, a hand edit in the sqlite3 shell):
 *
 * - UPDATE or DELETE of accounts, contacts, metrics, events: a file's rows may no longer be as it
 *   left them;
 * - INSERT of an account: a child row rejected as "not a known account" may now be accepted;
 * - UPDATE or DELETE in the quarantine: a rejected row's entry may be gone or resolved.
 *
 * Inserting contacts, metrics or events cannot change what re-importing another file does (a row
 * with the same key would be an UPDATE), so the bulk of a first import fires no trigger at all.
 * WHEN EXISTS keeps the triggers to one cheap probe while the table is empty.
 */
const GUARDED: readonly (readonly [table: string, events: readonly string[]])[] = [
  ['accounts', ['INSERT', 'UPDATE', 'DELETE']],
  ['contacts', ['UPDATE', 'DELETE']],
  ['metrics', ['UPDATE', 'DELETE']],
  ['events', ['UPDATE', 'DELETE']],
  ['quarantine', ['UPDATE', 'DELETE']],
];

export const migration0007: Migration = {
  version: 7,
  name: 'import fingerprints',
  up(db) {
    db.exec(`
      CREATE TABLE import_fingerprints (
        name        TEXT NOT NULL,
        digest      TEXT NOT NULL,
        options     TEXT NOT NULL,
        report_json TEXT NOT NULL,
        errors_json TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        PRIMARY KEY (name, digest, options)
      ) STRICT;
    `);
    for (const [table, events] of GUARDED) {
      for (const event of events) {
        db.exec(`
          CREATE TRIGGER import_fingerprints_forget_on_${table}_${event.toLowerCase()}
          AFTER ${event} ON ${table} WHEN EXISTS (SELECT 1 FROM import_fingerprints)
          BEGIN DELETE FROM import_fingerprints; END;
        `);
      }
    }
  },
};
