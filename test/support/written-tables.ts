import type { Db } from '../../src/domain/db/open.ts';

/** Every row a whole-book run writes that the user sees, in a stable order (runs compared row for row). */
export function written(db: Db) {
  const all = (sql: string) => db.prepare(sql).all();
  return {
    models: all(
      'SELECT as_of, signature, method, model_json, report_json, config_version, created_at FROM risk_models',
    ),
    snapshots: all('SELECT * FROM risk_snapshots ORDER BY as_of, account_id'),
    scores: all('SELECT * FROM risk_scores ORDER BY as_of, account_id'),
    items: all('SELECT * FROM risk_items ORDER BY item_id'),
    calibration: all('SELECT * FROM risk_calibration ORDER BY calibration_id'),
    coverage: all('SELECT * FROM risk_history_coverage ORDER BY account_id'),
    cache: all('SELECT account_id, from_day, series, vals FROM series_cache ORDER BY account_id'),
  };
}
