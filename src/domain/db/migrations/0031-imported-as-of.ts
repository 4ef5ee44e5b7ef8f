import type { Migration } from '../migration.ts';

/**
 * imported_outcomes.as_of: the day the merged row's verdict was judged (the export's as-of day),
 * so merging an older export after a newer one keeps the newer verdict instead of reverting it.
 * Null: not known (a file exported before the column existed).
 */
export const migration0031: Migration = {
  version: 31,
  name: 'imported as of',
  up(db) {
    db.exec(`ALTER TABLE imported_outcomes ADD COLUMN as_of TEXT CHECK (as_of IS NULL OR length(as_of) = 10);`);
  },
};
