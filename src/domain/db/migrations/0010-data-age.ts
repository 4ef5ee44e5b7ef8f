import type { Migration } from '../migration.ts';

/**
 * No false green and per-account history (docs/risk-engine.md, "Data age, coverage and time").
 *
 * - risk_snapshots.data_through: the newest day of the account's data on or before the snapshot's
 *   day; stale = 1 when it is more than the configured limit behind (the account then has no band
 *   and is listed in Today's "stale data" group instead of the ranking).
 * - risk_history_coverage: the days whose daily score is stored for each account under a
 *   configuration version, so the history backfill is decided per account (an account imported
 *   later, or one that churned between runs, gets its full history) instead of per day.
 */
export const migration0010: Migration = {
  version: 10,
  name: 'data age and per-account history',
  up(db) {
    db.exec(`
      ALTER TABLE risk_snapshots ADD COLUMN data_through TEXT;
      ALTER TABLE risk_snapshots ADD COLUMN stale INTEGER NOT NULL DEFAULT 0 CHECK (stale IN (0, 1));

      CREATE TABLE risk_history_coverage (
        account_id     TEXT PRIMARY KEY REFERENCES accounts (account_id) ON DELETE CASCADE,
        config_version INTEGER NOT NULL,
        from_day       TEXT NOT NULL,
        through_day    TEXT NOT NULL,
        CHECK (from_day <= through_day)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
