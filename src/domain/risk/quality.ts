/** The churn curve in use and its backtest figures, for Settings and `foresight score-quality`. */
import type { ScoreQuality } from '../../shared/dto/risk.ts';
import type { Db } from '../db/open.ts';
import { configRepo } from './config-repo.ts';
import { churnProbability } from './evaluate.ts';
import { riskStore } from './store.ts';

export function scoreQuality(db: Db): ScoreQuality {
  const { config } = configRepo(db).active();
  const row = riskStore(db).latestCalibration();
  const curve =
    row && row.method === 'logistic'
      ? { intercept: row.intercept, slope: row.slope }
      : { intercept: config.churnCurve.intercept, slope: config.churnCurve.slope };
  let note = 'No backtest yet: the book has not been scored with calibration.';
  if (row) {
    try {
      note = (JSON.parse(row.details_json) as { note?: string }).note ?? note;
    } catch {
      // keep the default note
    }
  }
  return {
    asOf: row?.as_of ?? null,
    method: row?.method ?? 'default',
    outcomes: row?.outcomes ?? 0,
    minOutcomes: config.calibration.minOutcomes,
    samples: row?.samples ?? 0,
    auc: row?.auc ?? null,
    topDecileShare: row?.top_decile_share ?? null,
    topDecileRecall: row?.top_decile_recall ?? null,
    baseRate: row?.base_rate ?? null,
    horizonDays: row?.horizon_days ?? config.churnCurve.horizonDays,
    leadDays: config.calibration.leadDays,
    curve,
    points: Array.from({ length: 11 }, (_, i) => ({ score: i * 10, p: churnProbability(i * 10, curve) })),
    note,
    computedAt: row?.created_at ?? null,
  };
}
