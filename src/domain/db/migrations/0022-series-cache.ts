import type { Migration } from '../migration.ts';

/**
 * The series cache (issue 16: a new day's `risks` without reading every series' history again).
 * After a whole-book scoring run each account the run read keeps its series here, one row per
 * account: from `from_day` (the first day a new day's run needs), each series' key, first day,
 * length, packing and last value day in `series` (JSON), their values one after another in
 * `vals`. The next run reads these plus only the metric rows dated after each series' last day, one
 * primary-key seek per series (src/domain/risk/series-cache.ts, docs/architecture.md "SQLite").
 *
 * It must never differ from the metrics table. Appending rows dated after a series' last day needs
 * nothing (the seek finds them); every other change forgets the account's rows:
 * - INSERT of an older row or of a new series: the ingest writer's hook (every importer, feed and
 *   hub sync and quarantine fix goes through it), not a per-row trigger on the import's hot path;
 * - UPDATE or DELETE of metrics (re-imports that change a value, hand edits, cascades): the
 *   triggers below, one primary-key probe per row on those rare paths;
 * - an account's deletion: the foreign key's cascade.
 * The first metric day (`series.first_metric_day` in app_meta, the churn model's `firstDataDay`)
 * is forgotten by the triggers when a row on or before it is deleted or re-dated.
 */
export const migration0022: Migration = {
  version: 22,
  name: 'series cache',
  up(db) {
    db.exec(`
      CREATE TABLE series_cache (
        account_id TEXT PRIMARY KEY REFERENCES accounts (account_id) ON DELETE CASCADE,
        from_day   TEXT NOT NULL,
        series     TEXT NOT NULL CHECK (json_valid(series)),
        vals       BLOB NOT NULL
      ) STRICT;

      CREATE TRIGGER series_cache_forget_on_metrics_update
      AFTER UPDATE ON metrics
      WHEN EXISTS (SELECT 1 FROM series_cache WHERE account_id IN (OLD.account_id, NEW.account_id))
      BEGIN DELETE FROM series_cache WHERE account_id IN (OLD.account_id, NEW.account_id); END;

      CREATE TRIGGER series_cache_forget_on_metrics_delete
      AFTER DELETE ON metrics
      WHEN EXISTS (SELECT 1 FROM series_cache WHERE account_id = OLD.account_id)
      BEGIN DELETE FROM series_cache WHERE account_id = OLD.account_id; END;

      CREATE TRIGGER first_metric_day_forget_on_metrics_delete
      AFTER DELETE ON metrics
      WHEN OLD.date <= (SELECT value FROM app_meta WHERE key = 'series.first_metric_day')
      BEGIN DELETE FROM app_meta WHERE key = 'series.first_metric_day'; END;

      CREATE TRIGGER first_metric_day_forget_on_metrics_redate
      AFTER UPDATE OF date ON metrics
      WHEN OLD.date <> NEW.date AND EXISTS (SELECT 1 FROM app_meta WHERE key = 'series.first_metric_day')
      BEGIN DELETE FROM app_meta WHERE key = 'series.first_metric_day'; END;
    `);
  },
};
