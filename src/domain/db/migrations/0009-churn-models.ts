import type { Migration } from '../migration.ts';

/**
 * The churn model chosen for a day by rolling-origin backtest (docs/risk-engine.md): the method in
 * use (learned model, fitted curve over the health score, or the default curve), its parameters
 * and its backtest report. `signature` names the outcomes and settings it was fitted from, so a
 * change in outcomes (a new churn, a new account) refits and an unchanged book reuses the row.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'churn models',
  up(db) {
    db.exec(`
      CREATE TABLE risk_models (
        model_id       INTEGER PRIMARY KEY,
        as_of          TEXT NOT NULL,
        signature      TEXT NOT NULL,
        method         TEXT NOT NULL CHECK (method IN ('learned', 'curve', 'default')),
        model_json     TEXT NOT NULL,
        report_json    TEXT NOT NULL,
        config_version INTEGER NOT NULL,
        created_at     TEXT NOT NULL
      ) STRICT;
      CREATE INDEX risk_models_day ON risk_models (as_of, signature);
    `);
  },
};
