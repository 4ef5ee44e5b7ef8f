import type { Migration } from '../migration.ts';

/**
 * Two reads of a scored day that every `foresight status`, `risks` and Today load makes, answered
 * from an index instead of the day's whole snapshot (issue 16; docs/performance.md, "CLI
 * start-up"): the newest data day the day recorded (`max(data_through)`, a seek), and the day's
 * stale accounts (a partial index holding only them, in the order Today lists them). At 50,000
 * accounts each read walked the day's 44,750 snapshot rows, about 100 ms apiece with the file cached.
 */
export const migration0024: Migration = {
  version: 24,
  name: 'snapshot read indexes',
  up(db) {
    db.exec(`
      CREATE INDEX risk_snapshots_data_through ON risk_snapshots (as_of, data_through);
      CREATE INDEX risk_snapshots_stale ON risk_snapshots (as_of, arr_usd DESC, account_id) WHERE stale = 1;
    `);
  },
};
