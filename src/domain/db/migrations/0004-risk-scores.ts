import type { Migration } from '../migration.ts';

/**
 * The risk engine's own tables: versioned score configurations, the daily score history, the
 * ranked snapshot the Today list and `foresight risks` read, the record of scoring runs, and the
 * churn-curve calibrations with their backtest figures. risk_items (migration 2) gains the day the
 * condition behind a dismissed item cleared, so a dismissal holds until the problem goes away.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'risk scores',
  up(db) {
    db.exec(`
      -- Each saved configuration is a complete JSON document; the highest version is active.
      CREATE TABLE risk_config (
        version     INTEGER PRIMARY KEY CHECK (version >= 1),
        config_json TEXT NOT NULL,
        note        TEXT,
        created_at  TEXT NOT NULL
      ) STRICT;

      -- One row per account and day: the history chart, the sparkline and the trend.
      -- components: the seven component scores in a fixed order, empty when left out.
      CREATE TABLE risk_scores (
        account_id     TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
        as_of          TEXT NOT NULL,
        score          INTEGER CHECK (score BETWEEN 0 AND 100),
        band           TEXT CHECK (band IN ('red', 'yellow', 'green')),
        components     TEXT NOT NULL DEFAULT '',
        config_version INTEGER NOT NULL,
        PRIMARY KEY (account_id, as_of)
      ) STRICT, WITHOUT ROWID;

      -- The evaluated book as of a day, one row per active account, with everything the ranked
      -- list shows. actionable/at_risk follow the risk items (snoozes and dismissals).
      CREATE TABLE risk_snapshots (
        as_of                TEXT NOT NULL,
        account_id           TEXT NOT NULL REFERENCES accounts (account_id) ON DELETE CASCADE,
        score                INTEGER CHECK (score BETWEEN 0 AND 100),
        band                 TEXT CHECK (band IN ('red', 'yellow', 'green')),
        previous_score       INTEGER,
        score_delta          INTEGER,
        trend                TEXT NOT NULL CHECK (trend IN ('up', 'down', 'flat', 'new')),
        p_churn              REAL NOT NULL CHECK (p_churn BETWEEN 0 AND 1),
        urgency              REAL NOT NULL CHECK (urgency >= 1),
        arr_usd              REAL NOT NULL,
        expected_arr_at_risk REAL NOT NULL,
        ear_usd              REAL NOT NULL,
        -- score, or 101 when there is none, so unscored accounts sort after scored ones on ties.
        score_key            INTEGER NOT NULL,
        days_to_renewal      INTEGER,
        last_touch_on        TEXT,
        trigger_ids          TEXT NOT NULL DEFAULT ',',
        triggers_json        TEXT NOT NULL DEFAULT '[]',
        reasons_json         TEXT NOT NULL DEFAULT '[]',
        top_reason           TEXT NOT NULL DEFAULT '',
        actionable           TEXT NOT NULL DEFAULT ',',
        at_risk              INTEGER NOT NULL DEFAULT 0 CHECK (at_risk IN (0, 1)),
        config_version       INTEGER NOT NULL,
        calibration_id       INTEGER,
        PRIMARY KEY (as_of, account_id)
      ) STRICT;
      -- The ranking order, so a page of the list and its rank are an index walk, not a sort.
      CREATE INDEX risk_snapshots_rank ON risk_snapshots (as_of, at_risk, ear_usd DESC, arr_usd DESC, score_key, account_id);
      CREATE INDEX risk_snapshots_account ON risk_snapshots (account_id, as_of);

      CREATE TABLE risk_runs (
        run_id         INTEGER PRIMARY KEY,
        as_of          TEXT NOT NULL,
        scope          TEXT NOT NULL CHECK (scope IN ('full', 'accounts', 'history')),
        accounts       INTEGER NOT NULL,
        config_version INTEGER NOT NULL,
        started_at     TEXT NOT NULL,
        ms             INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX risk_runs_day ON risk_runs (as_of, scope, config_version);

      CREATE TABLE risk_calibration (
        calibration_id      INTEGER PRIMARY KEY,
        as_of               TEXT NOT NULL,
        signature           TEXT NOT NULL,
        method              TEXT NOT NULL CHECK (method IN ('default', 'logistic')),
        intercept           REAL NOT NULL,
        slope               REAL NOT NULL,
        horizon_days        INTEGER NOT NULL,
        samples             INTEGER NOT NULL,
        outcomes            INTEGER NOT NULL,
        auc                 REAL,
        top_decile_share    REAL,
        top_decile_recall   REAL,
        base_rate           REAL,
        details_json        TEXT NOT NULL DEFAULT '{}',
        config_version      INTEGER NOT NULL,
        created_at          TEXT NOT NULL
      ) STRICT;
      CREATE INDEX risk_calibration_day ON risk_calibration (as_of, signature);

      ALTER TABLE risk_items ADD COLUMN condition_cleared_on TEXT;
      CREATE INDEX risk_items_suppressing ON risk_items (account_id, trigger_id) WHERE condition_cleared_on IS NULL AND status IN ('dismissed', 'resolved');
    `);
  },
};
