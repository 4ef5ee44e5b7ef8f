/**
 * The risk engine's writes and small reads: daily scores, snapshots, runs and calibrations, as
 * prepared statements created once per connection.
 */
import type { Db } from '../db/open.ts';
import { onFirstUse, perConnection } from '../db/per-connection.ts';
import type { Band, Trend } from './evaluate.ts';

export interface ScoreRow {
  account_id: string;
  as_of: string;
  score: number | null;
  band: Band | null;
  components: string;
  config_version: number;
}

export interface SnapshotRow {
  as_of: string;
  account_id: string;
  score: number | null;
  band: Band | null;
  previous_score: number | null;
  score_delta: number | null;
  trend: Trend;
  p_churn: number;
  urgency: number;
  arr_usd: number;
  expected_arr_at_risk: number;
  ear_usd: number;
  score_key: number;
  days_to_renewal: number | null;
  last_touch_on: string | null;
  trigger_ids: string;
  triggers_json: string;
  reasons_json: string;
  top_reason: string;
  actionable: string;
  at_risk: 0 | 1;
  config_version: number;
  calibration_id: number | null;
  /** The newest day of the account's data on or before as_of; stale = 1 when it is too old for a band. */
  data_through: string | null;
  stale: 0 | 1;
}

export interface CalibrationRow {
  calibration_id: number;
  as_of: string;
  signature: string;
  method: 'default' | 'logistic';
  intercept: number;
  slope: number;
  horizon_days: number;
  samples: number;
  outcomes: number;
  auc: number | null;
  top_decile_share: number | null;
  top_decile_recall: number | null;
  base_rate: number | null;
  details_json: string;
  config_version: number;
  created_at: string;
}

const SNAPSHOT_COLUMNS = [
  'as_of',
  'account_id',
  'score',
  'band',
  'previous_score',
  'score_delta',
  'trend',
  'p_churn',
  'urgency',
  'arr_usd',
  'expected_arr_at_risk',
  'ear_usd',
  'score_key',
  'days_to_renewal',
  'last_touch_on',
  'trigger_ids',
  'triggers_json',
  'reasons_json',
  'top_reason',
  'actionable',
  'at_risk',
  'config_version',
  'calibration_id',
  'data_through',
  'stale',
] as const;

/** ",a,b," from ["a","b"], so `instr(trigger_ids, ',a,')` finds a trigger without false matches. */
export function idList(ids: readonly string[]): string {
  return `,${ids.join(',')}${ids.length ? ',' : ''}`;
}

export function parseIdList(list: string): string[] {
  return list.split(',').filter(Boolean);
}

const SCORE_BATCH = 100;
// 200 snapshot rows a statement wrote a whole-book day about 15% faster than 40 (50,000 accounts).
const SNAPSHOT_BATCH = 200;

// The writes are prepared on first use: status, risks and account read through this store and
// write nothing (the batched snapshot insert alone took 0.6 ms to prepare).
export const riskStore = perConnection((db: Db) => {
  const upsertScore = onFirstUse(() =>
    db.prepare<ScoreRow>(
      `INSERT INTO risk_scores (account_id, as_of, score, band, components, config_version) VALUES (@account_id, @as_of, @score, @band, @components, @config_version)
     ON CONFLICT (account_id, as_of) DO UPDATE SET score = excluded.score, band = excluded.band, components = excluded.components, config_version = excluded.config_version
     WHERE risk_scores.score IS NOT excluded.score OR risk_scores.band IS NOT excluded.band OR risk_scores.components IS NOT excluded.components
        OR risk_scores.config_version IS NOT excluded.config_version`,
    ),
  );
  // SCORE_BATCH rows in one statement: the history backfill writes up to 90 rows an account, and
  // one statement per row was most of an import's scoring (issue 16). Bound values, not a JSON
  // array: extracting six fields a row from JSON cost more than binding them.
  const upsertScores = onFirstUse(() =>
    db.prepare<unknown[]>(
      `INSERT INTO risk_scores (account_id, as_of, score, band, components, config_version)
     VALUES ${Array.from({ length: SCORE_BATCH }, () => '(?, ?, ?, ?, ?, ?)').join(', ')}
     ON CONFLICT (account_id, as_of) DO UPDATE SET score = excluded.score, band = excluded.band, components = excluded.components, config_version = excluded.config_version
     WHERE risk_scores.score IS NOT excluded.score OR risk_scores.band IS NOT excluded.band OR risk_scores.components IS NOT excluded.components
        OR risk_scores.config_version IS NOT excluded.config_version`,
    ),
  );
  const upsertSnapshot = onFirstUse(() =>
    db.prepare<SnapshotRow>(
      `INSERT INTO risk_snapshots (${SNAPSHOT_COLUMNS.join(', ')}) VALUES (${SNAPSHOT_COLUMNS.map((c) => `@${c}`).join(', ')})
     ON CONFLICT (as_of, account_id) DO UPDATE SET ${SNAPSHOT_COLUMNS.filter((c) => c !== 'as_of' && c !== 'account_id')
       .map((c) => `${c} = excluded.${c}`)
       .join(', ')}`,
    ),
  );
  // SNAPSHOT_BATCH rows a statement, bound by position: a whole-book day writes one per account.
  const upsertSnapshots = onFirstUse(() =>
    db.prepare<unknown[]>(
      `INSERT INTO risk_snapshots (${SNAPSHOT_COLUMNS.join(', ')})
     VALUES ${Array.from({ length: SNAPSHOT_BATCH }, () => `(${SNAPSHOT_COLUMNS.map(() => '?').join(', ')})`).join(', ')}
     ON CONFLICT (as_of, account_id) DO UPDATE SET ${SNAPSHOT_COLUMNS.filter((c) => c !== 'as_of' && c !== 'account_id')
       .map((c) => `${c} = excluded.${c}`)
       .join(', ')}`,
    ),
  );
  const deleteSnapshotDay = db.prepare<[string]>('DELETE FROM risk_snapshots WHERE as_of = ?');
  const deleteSnapshot = db.prepare<[string, string]>('DELETE FROM risk_snapshots WHERE as_of = ? AND account_id = ?');
  const snapshotsOf = db.prepare<
    [string],
    Pick<SnapshotRow, 'as_of' | 'account_id' | 'band' | 'trigger_ids' | 'actionable' | 'at_risk' | 'stale'>
  >('SELECT as_of, account_id, band, trigger_ids, actionable, at_risk, stale FROM risk_snapshots WHERE account_id = ?');
  const setVisibility = db.prepare<{ as_of: string; account_id: string; actionable: string; at_risk: number }>(
    'UPDATE risk_snapshots SET actionable = @actionable, at_risk = @at_risk WHERE as_of = @as_of AND account_id = @account_id AND (actionable IS NOT @actionable OR at_risk IS NOT @at_risk)',
  );
  const insertRun = db.prepare<{
    as_of: string;
    scope: string;
    accounts: number;
    config_version: number;
    started_at: string;
    ms: number;
  }>(
    'INSERT INTO risk_runs (as_of, scope, accounts, config_version, started_at, ms) VALUES (@as_of, @scope, @accounts, @config_version, @started_at, @ms)',
  );
  const scoredDays = db.prepare<[string, string, number], { as_of: string }>(
    `SELECT DISTINCT as_of FROM risk_runs WHERE as_of >= ? AND as_of <= ? AND config_version = ? AND scope IN ('full', 'history')`,
  );
  const fullRun = db.prepare<
    [string],
    { run_id: number; config_version: number; accounts: number; started_at: string }
  >(
    `SELECT run_id, config_version, accounts, started_at FROM risk_runs WHERE as_of = ? AND scope = 'full' ORDER BY run_id DESC LIMIT 1`,
  );
  const latestFull = db.prepare<[string], { as_of: string; config_version: number; started_at: string }>(
    `SELECT as_of, config_version, started_at FROM risk_runs WHERE scope = 'full' AND as_of <= ? AND EXISTS (SELECT 1 FROM risk_snapshots s WHERE s.as_of = risk_runs.as_of)
     ORDER BY as_of DESC, run_id DESC LIMIT 1`,
  );
  const keepDays = db.prepare<[number], { as_of: string }>(
    `SELECT as_of FROM (SELECT as_of, max(run_id) AS last FROM risk_runs WHERE scope IN ('full', 'accounts') GROUP BY as_of) ORDER BY last DESC LIMIT ?`,
  );
  const snapshotDays = db.prepare<[], { as_of: string }>('SELECT DISTINCT as_of FROM risk_snapshots');
  const insertCalibration = db.prepare<Omit<CalibrationRow, 'calibration_id'>>(
    `INSERT INTO risk_calibration (as_of, signature, method, intercept, slope, horizon_days, samples, outcomes, auc, top_decile_share, top_decile_recall, base_rate, details_json, config_version, created_at)
     VALUES (@as_of, @signature, @method, @intercept, @slope, @horizon_days, @samples, @outcomes, @auc, @top_decile_share, @top_decile_recall, @base_rate, @details_json, @config_version, @created_at)`,
  );
  const calibrationFor = db.prepare<[string, string], CalibrationRow>(
    'SELECT * FROM risk_calibration WHERE as_of = ? AND signature = ? ORDER BY calibration_id DESC LIMIT 1',
  );
  const calibrationAtOrBefore = db.prepare<[string, number], CalibrationRow>(
    'SELECT * FROM risk_calibration WHERE as_of <= ? AND config_version = ? ORDER BY as_of DESC, calibration_id DESC LIMIT 1',
  );
  const latestCalibration = db.prepare<[], CalibrationRow>(
    'SELECT * FROM risk_calibration ORDER BY as_of DESC, calibration_id DESC LIMIT 1',
  );
  const history = db.prepare<[string, string, string], Pick<ScoreRow, 'as_of' | 'score' | 'band' | 'components'>>(
    'SELECT as_of, score, band, components FROM risk_scores WHERE account_id = ? AND as_of >= ? AND as_of <= ? ORDER BY as_of',
  );

  return {
    upsertScore: (row: ScoreRow): boolean => upsertScore().run(row).changes > 0,
    /** upsertScore for many rows; how many were written (new or different). */
    upsertScores(rows: readonly ScoreRow[]): number {
      let written = 0;
      let i = 0;
      for (; i + SCORE_BATCH <= rows.length; i += SCORE_BATCH) {
        const params: unknown[] = [];
        for (let k = i; k < i + SCORE_BATCH; k++) {
          const r = rows[k] as ScoreRow;
          params.push(r.account_id, r.as_of, r.score, r.band, r.components, r.config_version);
        }
        written += upsertScores().run(params).changes;
      }
      for (; i < rows.length; i++) if (upsertScore().run(rows[i] as ScoreRow).changes > 0) written++;
      return written;
    },
    upsertSnapshot: (row: SnapshotRow) => void upsertSnapshot().run(row),
    /** upsertSnapshot for many rows, in order. */
    upsertSnapshots(rows: readonly SnapshotRow[]): void {
      let i = 0;
      for (; i + SNAPSHOT_BATCH <= rows.length; i += SNAPSHOT_BATCH) {
        const params: unknown[] = [];
        for (let k = i; k < i + SNAPSHOT_BATCH; k++) {
          const r = rows[k] as SnapshotRow;
          for (const c of SNAPSHOT_COLUMNS) params.push(r[c]);
        }
        upsertSnapshots().run(params);
      }
      for (; i < rows.length; i++) upsertSnapshot().run(rows[i] as SnapshotRow);
    },
    deleteSnapshotDay: (asOf: string) => void deleteSnapshotDay.run(asOf),
    deleteSnapshot: (asOf: string, accountId: string) => void deleteSnapshot.run(asOf, accountId),
    snapshotsOf: (accountId: string) => snapshotsOf.all(accountId),
    setVisibility: (row: { as_of: string; account_id: string; actionable: string; at_risk: number }) =>
      void setVisibility.run(row),
    recordRun: (row: {
      as_of: string;
      scope: 'full' | 'accounts' | 'history';
      accounts: number;
      config_version: number;
      started_at: string;
      ms: number;
    }) => void insertRun.run(row),
    /** Days in [from, to] already scored for the whole book under this configuration version. */
    scoredDays: (from: string, to: string, version: number): Set<string> =>
      new Set(scoredDays.all(from, to, version).map((r) => r.as_of)),
    fullRun: (asOf: string) => fullRun.get(asOf) ?? null,
    /** The most recent day at or before `asOf` with a complete snapshot. */
    latestSnapshotDay: (asOf: string) => latestFull.get(asOf) ?? null,
    /**
     * Keeps the snapshots of the `keep` most recently computed days and of the live day (the day the
     * risk items follow), so looks at other days never push the live day's ranking out.
     */
    pruneSnapshots(keep: number, liveDay: string | null): void {
      const kept = new Set(keepDays.all(keep).map((r) => r.as_of));
      if (liveDay !== null) kept.add(liveDay);
      for (const { as_of } of snapshotDays.all()) if (!kept.has(as_of)) deleteSnapshotDay.run(as_of);
    },
    insertCalibration: (row: Omit<CalibrationRow, 'calibration_id'>): number =>
      Number(insertCalibration.run(row).lastInsertRowid),
    calibrationFor: (asOf: string, signature: string) => calibrationFor.get(asOf, signature) ?? null,
    calibrationAtOrBefore: (asOf: string, version: number) => calibrationAtOrBefore.get(asOf, version) ?? null,
    latestCalibration: () => latestCalibration.get() ?? null,
    history: (accountId: string, from: string, to: string) => history.all(accountId, from, to),
  };
});

export type RiskStore = ReturnType<typeof riskStore>;
