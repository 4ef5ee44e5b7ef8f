/**
 * The health score and the churn model agree: an account the learned model puts among the book's
 * riskiest 10% is never green. Its band becomes amber ("yellow"), it is listed at risk, and its
 * first reason says why in words:
 *
 *   "The churn model sees risk: active users on 2 of the last 28 days, usually 20 → +31 pts of
 *    churn risk (P(churn) 64% within 90 days, among the book's riskiest 10%)."
 *
 * Only the learned model can overrule the score: the curves are functions of the score itself, so
 * they always agree with its band. Red and amber stay as they are (the model never makes an
 * account look healthier than its score), and stale data keeps no band.
 */
import type { Db } from '../../db/open.ts';
import { isListedAtRisk } from '../items.ts';
import type { Band } from '../triggers.ts';
import type { PendingAccount } from '../score-run.ts';
import type { ChurnModel, ChurnScorer } from './churn-model.ts';

export interface BandView {
  band: Band | null;
  stale: boolean;
  atRisk: boolean;
  reasons: string[];
  /** Fired and actionable trigger ids, as ",a,b," (the snapshot's form), to list the account as the run does. */
  triggerIds: string;
  actionable: string;
}

const idsOf = (list: string) => list.split(',').filter((id) => id !== '');

// Made once: a formatter per overruled account was most of a whole-book write's agreement step.
// Made on first use, not at import: `foresight account` loads this module for rankedOn alone, and a
// first Intl formatter costs ~13 ms of CPU (issue 16).
let percent: Intl.NumberFormat | undefined;

/** The P(churn) from which the model in use calls an account one of the book's riskiest 10% (null: it never does). */
export function riskyFromOf(model: ChurnModel): number | null {
  if (model.method !== 'learned' || !model.learned) return null;
  return model.report?.riskyFrom ?? null;
}

/** Whether the model moves this band: a green, fresh account among the learned model's riskiest 10%. */
function overrules(view: Pick<BandView, 'band' | 'stale'>, probability: number, model: ChurnModel): boolean {
  const riskyFrom = riskyFromOf(model);
  return !(view.stale || view.band !== 'green' || riskyFrom === null || probability < riskyFrom);
}

/**
 * The band, listing and reasons once the model has had its say. `why` words the account's
 * strongest push towards churn (model/words.ts); it is asked only when the band changes.
 */
export function agreeWithModel(
  view: BandView,
  probability: number,
  model: ChurnModel,
  why: () => string | null,
): BandView & { overruled: boolean } {
  if (!overrules(view, probability, model)) return { ...view, overruled: false };
  const pct = (percent ??= new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 0 })).format(
    probability,
  );
  const horizon = model.report?.settings.horizonDays ?? 90;
  const driver = why();
  const reason = `The churn model sees risk: ${driver ?? 'its signals together'} (P(churn) ${pct} within ${horizon} days, among the book's riskiest 10%).`;
  // "Healthy: …" no longer holds; the score's other reasons stay after the model's.
  const rest = view.reasons.filter((r) => !r.startsWith('Healthy:'));
  const atRisk = isListedAtRisk({
    stale: false,
    band: 'yellow',
    fired: idsOf(view.triggerIds),
    actionable: idsOf(view.actionable),
  });
  return { ...view, band: 'yellow', atRisk, reasons: [reason, ...rest], overruled: true };
}

/** A scored account of the run (score-run.ts), its band and reasons agreed with the model. */
export function withModelBand(r: PendingAccount, probability: number, churn: ChurnScorer): PendingAccount {
  // Most accounts keep their band: their reasons are not parsed back from JSON (performance, issue 16).
  if (!overrules(r, probability, churn.model)) return r;
  const agreed = agreeWithModel(
    {
      band: r.band,
      stale: r.stale,
      atRisk: r.atRisk,
      reasons: JSON.parse(r.reasonsJson) as string[],
      triggerIds: r.triggerIds,
      actionable: r.actionable,
    },
    probability,
    churn.model,
    () => churn.strongest(r.id, r.score, r.nowPacked, r.triggerIds),
  );
  if (!agreed.overruled) return r;
  return {
    ...r,
    band: agreed.band,
    atRisk: agreed.atRisk,
    reasonsJson: JSON.stringify(agreed.reasons),
    topReason: agreed.reasons[0] as string,
  };
}

export interface RankedRow {
  p_churn: number;
  band: Band | null;
  reasons_json: string;
}

/**
 * What the ranking stored for the account on the day (its P(churn) from the model in use, and the
 * band the model agreed to), so the account page says what the list says. Null when the day was
 * not scored under this configuration.
 */
export function rankedOn(db: Db, asOf: string, accountId: string, configVersion: number): RankedRow | null {
  return (
    db
      .prepare<[string, string, number], RankedRow>(
        'SELECT p_churn, band, reasons_json FROM risk_snapshots WHERE as_of = ? AND account_id = ? AND config_version = ?',
      )
      .get(asOf, accountId, configVersion) ?? null
  );
}
