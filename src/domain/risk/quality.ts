/**
 * The churn model in use on a day and its rolling-origin backtest, for Settings and
 * `foresight score-quality`. Reads the model stored for the day (fitting it first when asked).
 */
import { MIN_CHURNERS_PER_DAY, type ScoreQuality } from '../../shared/dto/risk.ts';
import type { Db } from '../db/open.ts';
import { COMPONENT_IDS, COMPONENT_LABELS, DEFAULT_SCORE_CONFIG } from './config.ts';
import { configRepo } from './config-repo.ts';
import { churnProbability } from './evaluate.ts';
import { churnModelFor, type ChurnModel } from './model/churn-model.ts';
import type { QualityFigures } from './model/fit.ts';
import { featureLabel } from './model/words.ts';
import { DEFAULT_BACKTEST } from './model/samples.ts';
import { weightsInUse } from './weights-in-use.ts';
import { dataKindsOn } from './model/data-kinds.ts';

const figuresDto = (f: QualityFigures | null) => ({
  samples: f?.samples ?? 0,
  outcomes: f?.outcomes ?? 0,
  churned_accounts: f ? (f.churnedAccounts ?? null) : 0,
  auc: f?.auc ?? null,
  auc_ci: f?.aucCi ?? null,
  top_decile_share: f?.topDecileShare ?? null,
  top_decile_recall: f?.topDecileRecall ?? null,
  brier: f?.brier ?? null,
  calibration: f?.calibration ?? [],
});

export function qualityOf(db: Db, model: ChurnModel): ScoreQuality {
  const { config } = configRepo(db).active();
  const report = model.report;
  // Models stored before the replay reported their closed origins.
  const reported = report ? report.origins.filter((o) => o.replayed ?? o.closed) : [];
  const overall = report && reported.length > 0 ? report.overall : null;
  // Models stored before the calibration check measured the horizon's P(churn) on whole windows
  // reported it on shorter, replayed windows: not shown as a calibration of what the app shows.
  const calibration = report?.calibrationNote
    ? { note: report.calibrationNote, brier: overall?.brier ?? null, table: overall?.calibration ?? [] }
    : {
        note: report
          ? 'Calibration not measured for this stored model (it predates the check on whole windows); the next refit measures it.'
          : 'Calibration cannot be judged: no model has been fitted yet.',
        brier: null,
        table: [],
      };
  const learned = model.method === 'learned' ? model.learned : null;
  const strongest = learned
    ? learned.names
        .map((name, j) => ({ feature: name, text: featureLabel(name), weight: learned.coef[j] ?? 0 }))
        .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || a.feature.localeCompare(b.feature))
        .slice(0, 8)
    : [];
  const fit = report?.weights ?? null;
  const inUse = weightsInUse(config, model, dataKindsOn(db, model.asOf));
  return {
    as_of: model.asOf,
    method: model.method,
    note: model.note,
    // Only when there is no past day to judge: past days on which nobody churned are another reason.
    too_little_history: reported.length === 0,
    backtest_method: report?.backtestMethod ?? (reported.length > 0 ? 'scored' : 'none'),
    backtest_note:
      report?.backtestNote ??
      (reported.length > 0 ? 'Past days whose whole outcome window was seen.' : 'Too little history to judge.'),
    sample: report?.sample ?? null,
    horizon_days: report?.settings.horizonDays ?? config.churnCurve.horizonDays,
    step_days: report?.settings.stepDays ?? DEFAULT_BACKTEST.stepDays,
    min_outcomes: config.calibration.minOutcomes,
    ...figuresDto(overall),
    brier: calibration.brier,
    calibration: calibration.table,
    calibrated: calibration.table.length > 0 ? calibration.table.every((b) => b.agrees) : null,
    calibration_note: calibration.note,
    origins: (report?.origins ?? []).map((o) => {
      // A past day holds each account once, so its churn account-days are its churned accounts.
      const tooFew = (o.churnedAccounts ?? o.outcomes) < MIN_CHURNERS_PER_DAY;
      return {
        day: o.day,
        window_days: o.windowDays,
        closed: o.closed,
        in_backtest: o.replayed ?? o.closed,
        // Replayed only when the method replays (a learned model); a curve's days are scored.
        replayed: (o.replayed ?? o.closed) && (report?.backtestMethod ?? 'replayed') === 'replayed',
        ...figuresDto(o),
        // A bootstrap over a handful of churners cannot bound their AUC (3 churners gave 0.78–0.96).
        ...(tooFew ? { auc_ci: null } : {}),
        health_score_auc: o.scoreAuc,
        too_few_churners: tooFew,
      };
    }),
    candidates: {
      learned: { auc: report?.candidates.learned.auc ?? null, auc_ci: report?.candidates.learned.aucCi ?? null },
      curve: { auc: report?.candidates.curve.auc ?? null, auc_ci: report?.candidates.curve.aucCi ?? null },
      default: { auc: report?.candidates.default.auc ?? null, auc_ci: report?.candidates.default.aucCi ?? null },
    },
    weights: {
      ...inUse,
      components: COMPONENT_IDS.map((id) => ({
        id,
        label: COMPONENT_LABELS[id],
        default: DEFAULT_SCORE_CONFIG.components[id].weight,
        configured: config.components[id].weight,
        fitted: fit ? (fit.fitted[id] ?? 0) : null,
        in_use: inUse.values[id],
      })),
      fitted_auc: fit?.auc ?? null,
      fitted_auc_ci: fit?.aucCi ?? null,
      configured_auc: fit?.configuredAuc ?? null,
      configured_auc_ci: fit?.configuredAucCi ?? null,
      gain: fit?.difference ?? null,
      gain_ci: fit?.differenceCi ?? null,
    },
    fitted_weights_auc: report?.weights?.auc ?? null,
    top_features: strongest,
    curve: model.curve,
    points: Array.from({ length: 11 }, (_, i) => ({ score: i * 10, p: churnProbability(i * 10, model.curve) })),
    computed_at: model.createdAt,
  };
}

/**
 * The backtest for `asOf`: the model stored for that day, fitted now when `fit` and missing (or the
 * outcomes changed). Without `fit`, the newest model on or before the day is read.
 */
export function scoreQuality(db: Db, asOf: string, fit: boolean = true): ScoreQuality {
  return qualityOf(db, churnModelFor(db, { asOf, fit: fit ? 'auto' : false }));
}
