import type { Migration } from '../migration.ts';

/**
 * Reads that every `foresight status`, `risks`, `account` and Today load makes, answered from an
 * index instead of whole rows (issue 16; docs/performance.md, "CLI start-up"): a scored day's newest
 * data day (`max(data_through)`, a seek) and its stale accounts (a partial index holding only them,
 * in the order Today lists them), each of which walked the day's 44,750 snapshot rows at 50,000
 * accounts (about 100 ms with the file cached); and the book's fingerprint (risk/fingerprint.ts:
 * count, total ARR, newest update, churned), a scan of a narrow index instead of the accounts table
 * (about 4 ms instead of 6-13 ms at 50,000 accounts); and whether the book holds demo accounts
 * (`foresight status`), from a partial index of just those (9 ms of CPU scanning 50,000 accounts).
 */
export const migration0024: Migration = {
  version: 24,
  name: 'read indexes for one-shot commands',
  up(db) {
    db.exec(`
      CREATE INDEX risk_snapshots_data_through ON risk_snapshots (as_of, data_through);
      CREATE INDEX risk_snapshots_stale ON risk_snapshots (as_of, arr_usd DESC, account_id) WHERE stale = 1;
      CREATE INDEX accounts_fingerprint ON accounts (status, arr, updated_at);
      CREATE INDEX accounts_demo ON accounts (account_id) WHERE is_demo = 1;
    `);
  },
};
