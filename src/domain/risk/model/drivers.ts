/**
 * Why the churn model gives an account its P(churn) on a day: its top contributions in words,
 * e.g. "active users on 3 of the last 28 days, usually 20 → +9 pts of churn risk".
 */
import type { Db } from '../../db/open.ts';
import { UserFacingError } from '../../errors.ts';
import { churnModelFor, churnScorer } from './churn-model.ts';
import type { ModelMethod } from './fit.ts';
import { explainRow, type Contribution } from './words.ts';

export interface ChurnDrivers {
  account_id: string;
  as_of: string;
  method: ModelMethod;
  p_churn: number;
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
    .prepare<[string, string], { trigger_ids: string }>(
      'SELECT trigger_ids FROM risk_snapshots WHERE account_id = ? AND as_of = ?',
    )
    .get(accountId, asOf);
  const model = churnModelFor(db, { asOf, fit: false });
  // This account's features only, with the day's kept book part when there is one (touched-features.ts).
  const scorer = churnScorer(db, model, asOf, { accountIds: [accountId] });
  const score = stored?.score ?? null;
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
    p_churn: scorer.probability(accountId, score, packed, fired?.trigger_ids),
    drivers,
    note,
  };
}
