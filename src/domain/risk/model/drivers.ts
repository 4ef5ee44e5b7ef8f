/**
 * Why the churn model gives an account its P(churn) on a day: its top contributions in words,
 * e.g. "active users on 3 of the last 28 days, usually 20 → +9 pts of churn risk".
 */
import type { Db } from '../../db/open.ts';
import { UserFacingError } from '../../errors.ts';
import { DATA_GAP_WORDS, type DataGap } from '../../../shared/dto/data-gap.ts';
import { dataGapOf } from '../data-gap.ts';
import { churnModelFor, churnScorer } from './churn-model.ts';
import type { ModelMethod } from './fit.ts';
import { explainRow, type Contribution } from './words.ts';

export interface ChurnDrivers {
  account_id: string;
  as_of: string;
  method: ModelMethod;
  /** Null when the account's data is stale or missing on the day (data-gap.ts: no forecast then). */
  p_churn: number | null;
  data_gap: DataGap | null;
  /** The newest day of the account's data on or before the day, when the day was scored. */
  data_through: string | null;
  drivers: Contribution[];
  note: string;
}

export function churnDrivers(db: Db, accountId: string, asOf: string, top = 5): ChurnDrivers {
  const exists = db.prepare<[string], { n: number }>('SELECT 1 AS n FROM accounts WHERE account_id = ?').get(accountId);
  if (!exists) throw new UserFacingError('ACCOUNT_NOT_FOUND', `There is no account ${accountId}.`);
  const stored = db
    .prepare<[string, string], { score: number | null; components: string }>(
      'SELECT score, components FROM risk_scores WHERE account_id = ? AND as_of = ?',
    )
    .get(accountId, asOf);
  const fired = db
    .prepare<[string, string], { trigger_ids: string; stale: number; data_through: string | null }>(
      'SELECT trigger_ids, stale, data_through FROM risk_snapshots WHERE account_id = ? AND as_of = ?',
    )
    .get(accountId, asOf);
  const score = stored?.score ?? null;
  // The one rule every reader asks: stale or missing data shows no P(churn) and no reasons for one.
  const gap = dataGapOf({ stale: fired?.stale ?? null, score });
  if (gap !== null) {
    return {
      account_id: accountId,
      as_of: asOf,
      method: churnModelFor(db, { asOf, fit: false }).method,
      p_churn: null,
      data_gap: gap,
      data_through: fired?.data_through ?? null,
      drivers: [],
      note: `No P(churn) from ${DATA_GAP_WORDS[gap]}: a forecast from data that ${gap === 'stale' ? 'stopped arriving' : 'never arrived'} would read as health.`,
    };
  }
  const model = churnModelFor(db, { asOf, fit: false });
  // This account's features only, with the day's kept book part when there is one (touched-features.ts).
  const scorer = churnScorer(db, model, asOf, { accountIds: [accountId] });
  const packed = stored?.components ?? '';
  const row = scorer.row(accountId, score, packed, fired?.trigger_ids);
  const drivers = model.learned && row ? explainRow(model.learned, row, top) : [];
  let note = model.note;
  if (model.method !== 'learned') note += ' P(churn) then follows the health score alone; its components explain it.';
  else if (!row) note = `The account is not active on ${asOf}, so the model does not score it.`;
  return {
    account_id: accountId,
    as_of: asOf,
    method: model.method,
    data_gap: null,
    data_through: fired?.data_through ?? null,
    p_churn: scorer.probability(accountId, score, packed, fired?.trigger_ids),
    drivers,
    note,
  };
}
