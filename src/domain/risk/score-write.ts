/**
 * The last two steps of scoreAll (score-all.ts): the churn curve in use for the day (resolveCurve)
 * and the day written in one transaction (writeDay), so readers see the previous ranking or the new
 * one, never half.
 */
import type { Db } from '../db/open.ts';
import { metaRepo } from '../db/repos/meta.ts';
import { calibrate, type CalibrationResult } from './calibration.ts';
import { dayString } from './days.ts';
import { expectedArrAtRisk, urgencyFactor } from './evaluate.ts';
import { recordFingerprint } from './fingerprint.ts';
import { historyCoverageRepo } from './history-coverage.ts';
import { applyItemOps, itemsRepo, type ItemChanges } from './items.ts';
import { syncPlaybookTasks } from '../playbooks/tasks.ts';
import { withModelBand } from './model/agreement.ts';
import { churnScorer, type ChurnScorer } from './model/churn-model.ts';
import type { Pass, PendingAccount, Run } from './score-run.ts';
import { ITEMS_SYNCED_KEY } from './score-plan.ts';
import type { CalibrationRow, ScoreRow, SnapshotRow } from './store.ts';

/** The day's rows of every account, written in batches by writeDay. */
interface DayRows {
  scores: ScoreRow[];
  snapshots: SnapshotRow[];
}

/**
 * The day's accounts as written: counted from the rows, after the churn model has agreed each
 * band (agreement.ts), because a band it overrules to yellow puts the account on the at-risk list.
 */
export interface DayCounts {
  scored: number;
  atRisk: number;
  stale: number;
  noData: number;
}

/** Accounts whose day rows are built and written at a time. */
const WRITE_BATCH = 2000;

/** Days kept in the snapshot table (most recently computed), besides the live day's (pruneSnapshots). */
const SNAPSHOTS_KEPT = 3;

export interface CurveInUse {
  curve: { intercept: number; slope: number };
  /** P(churn): the churn model chosen by rolling-origin backtest (src/domain/risk/model, docs/risk-engine.md). */
  churn: ChurnScorer;
  calibration: CalibrationResult | CalibrationRow | null;
  calibrationId: number | null;
  reused: boolean;
}

/** The churn curve: fitted now or stored, as of the day's fit day (planCalibration), or the latest earlier one / the default. */
export function resolveCurve(run: Run, pass: Pass): CurveInUse {
  const { config, store, plan } = run;
  let calibration: CalibrationResult | CalibrationRow | null = null;
  let calibrationId: number | null = null;
  let reused = false;
  if (run.fitting && plan) {
    const fitted = calibrate({
      samples: pass.samples,
      churners: plan.churners,
      windowDays: config.calibration.windowDays,
      activeAccounts: plan.active,
      horizonDays: config.churnCurve.horizonDays,
      minOutcomes: config.calibration.minOutcomes,
      fallback: config.churnCurve,
    });
    calibration = fitted;
    calibrationId = store.insertCalibration({
      as_of: plan.asOf,
      signature: plan.signature,
      method: fitted.method,
      intercept: fitted.intercept,
      slope: fitted.slope,
      horizon_days: config.churnCurve.horizonDays,
      samples: fitted.samples,
      outcomes: fitted.outcomes,
      auc: fitted.auc,
      top_decile_share: fitted.topDecileShare,
      top_decile_recall: fitted.topDecileRecall,
      base_rate: fitted.baseRate,
      details_json: JSON.stringify({
        note: fitted.note,
        leadDays: config.calibration.leadDays,
        windowDays: config.calibration.windowDays,
        minOutcomes: config.calibration.minOutcomes,
      }),
      config_version: run.version,
      created_at: run.now,
    });
  } else {
    const stored = plan?.existing ?? store.calibrationAtOrBefore(run.asOf, run.version);
    if (stored) {
      calibration = stored;
      calibrationId = stored.calibration_id;
      reused = true;
    }
  }
  const curve =
    calibration && calibration.method === 'logistic'
      ? { intercept: calibration.intercept, slope: calibration.slope }
      : config.churnCurve;
  const churn = churnScorer(
    run.db,
    run.model(),
    run.asOf,
    // A few changed accounts: only their features (issue 16); the whole book keeps the day's book part.
    run.full ? { keep: true } : { accountIds: run.ids },
  );
  return { curve, calibration, calibrationId, reused, churn };
}

/** One account's day: its score rows and its snapshot with the money at stake, added to `out`. */
function writeAccountDay(run: Run, pending: PendingAccount, inUse: CurveInUse, out: DayRows, counts: DayCounts): void {
  const { config, version } = run;
  // A score from stale data is no evidence of health: P(churn) counts it as unscored.
  const probability = inUse.churn.probability(
    pending.id,
    pending.stale ? null : pending.score,
    pending.nowPacked,
    pending.triggerIds,
  );
  const r = withModelBand(pending, probability, inUse.churn);
  counts.scored++;
  if (r.atRisk) counts.atRisk++;
  if (r.stale) counts.stale++;
  else if (r.band === null) counts.noData++;
  out.scores.push({
    account_id: r.id,
    as_of: run.asOf,
    score: r.score,
    band: r.band,
    components: r.nowPacked,
    config_version: version,
  });
  if (r.before)
    out.scores.push({
      account_id: r.id,
      as_of: dayString(run.compareDay),
      score: r.before.score,
      band: r.before.band,
      components: r.before.packed,
      config_version: version,
    });
  const urgency = urgencyFactor(r.daysToRenewal, config.urgency);
  const ear = expectedArrAtRisk(r.arr, probability, urgency);
  out.snapshots.push({
    as_of: run.asOf,
    account_id: r.id,
    score: r.score,
    band: r.band,
    previous_score: r.previousScore,
    score_delta: r.delta,
    trend: r.trend,
    p_churn: probability,
    urgency,
    arr_usd: r.arr * r.rate,
    expected_arr_at_risk: ear,
    ear_usd: ear * r.rate,
    score_key: r.score ?? 101,
    days_to_renewal: r.daysToRenewal,
    last_touch_on: r.lastTouchOn,
    trigger_ids: r.triggerIds,
    triggers_json: r.triggersJson,
    reasons_json: r.reasonsJson,
    top_reason: r.topReason,
    actionable: r.actionable,
    at_risk: r.atRisk ? 1 : 0,
    config_version: version,
    calibration_id: inUse.calibrationId,
    data_through: r.dataThrough,
    stale: r.stale ? 1 : 0,
  });
}

/** The day in one transaction: items, scores, snapshot, history coverage, the run records. Empties `pass.results`. */
export function writeDay(
  run: Run,
  pass: Pass,
  inUse: CurveInUse,
  started: number,
): { changes: ItemChanges; counts: DayCounts } {
  const { db, store, asOf }: { db: Db; store: Run['store']; asOf: string } = run;
  const changes: ItemChanges = { opened: 0, updated: 0, resolved: 0, suppressed: 0 };
  const counts: DayCounts = { scored: 0, atRisk: 0, stale: 0, noData: 0 };
  db.transaction(() => {
    if (run.full) store.deleteSnapshotDay(asOf);
    else {
      // Accounts that are no longer active (churned, deleted) leave the day's ranking.
      const active = new Set(pass.results.map((r) => r.id));
      for (const id of run.ids) if (!active.has(id)) store.deleteSnapshot(asOf, id);
    }
    if (run.sync.live) {
      applyItemOps(itemsRepo(db), pass.itemOps, asOf, run.now, changes);
      syncPlaybookTasks(db, run.now); // checklists for the items just opened; closed items' tasks close
      metaRepo(db).set(ITEMS_SYNCED_KEY, asOf);
    }
    // The rows in batches (upsertScores, upsertSnapshots): a statement per row was most of the day's
    // write. Built WRITE_BATCH accounts at a time, the pending results taken out of the pass as they
    // go, so the whole book's rows never sit beside its pending results (issue 16, peak memory).
    while (pass.results.length > 0) {
      const rows: DayRows = { scores: [], snapshots: [] };
      for (const r of pass.results.splice(0, WRITE_BATCH)) writeAccountDay(run, r, inUse, rows, counts);
      store.upsertScores(rows.scores);
      store.upsertSnapshots(rows.snapshots);
    }
    historyCoverageRepo(db).upsertAll(pass.coverage);
    const run_ = { as_of: asOf, config_version: run.version, started_at: run.now };
    store.recordRun({
      ...run_,
      scope: run.full ? 'full' : 'accounts',
      accounts: counts.scored,
      ms: Math.round(performance.now() - started),
    });
    if (pass.backfilled > 0) store.recordRun({ ...run_, scope: 'history', accounts: pass.backfilled, ms: 0 });
    store.pruneSnapshots(SNAPSHOTS_KEPT, metaRepo(db).get(ITEMS_SYNCED_KEY));
    if (run.full) recordFingerprint(db);
  }).immediate();
  return { changes, counts };
}
