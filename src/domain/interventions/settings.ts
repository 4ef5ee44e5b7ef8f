import { DEFAULT_TRIGGERS, type SuccessCriterion, type TriggerDefinition, type TriggerId } from '../risk/catalog.ts';
import type { Db } from '../db/open.ts';
import { eventPhrase } from '../../shared/event-labels.ts';

export interface TriggerOutcomeSettings {
  triggerId: TriggerId;
  success: SuccessCriterion;
  successDescription: string;
  holdoutShare: number;
  /** The trigger's detection parameters (baseline lengths), read by some criteria. */
  params: TriggerDefinition['params'];
  overridden: { success: boolean; holdoutShare: boolean };
}

interface OverrideRow {
  trigger_id: string;
  success_json: string | null;
  holdout_share: number | null;
}

/**
 * The success criterion and holdout share of each trigger: the catalog's defaults, overridden by
 * whatever the user saved in trigger_outcome_settings. Read once per evaluation run.
 */
export function loadTriggerOutcomeSettings(db: Db): Map<TriggerId, TriggerOutcomeSettings> {
  const overrides = new Map(
    db
      .prepare<[], OverrideRow>('SELECT trigger_id, success_json, holdout_share FROM trigger_outcome_settings')
      .all()
      .map((row) => [row.trigger_id, row]),
  );
  const result = new Map<TriggerId, TriggerOutcomeSettings>();
  for (const definition of Object.values(DEFAULT_TRIGGERS)) {
    const override = overrides.get(definition.id);
    const success = override?.success_json ? parseCriterion(override.success_json) : null;
    result.set(definition.id, {
      triggerId: definition.id,
      success: success ?? definition.success,
      successDescription: success ? describeCriterion(success) : definition.successDescription,
      holdoutShare: override?.holdout_share ?? definition.holdoutShare,
      params: definition.params,
      overridden: { success: success !== null, holdoutShare: override?.holdout_share != null },
    });
  }
  return result;
}

export function triggerOutcomeSettings(db: Db, triggerId: TriggerId): TriggerOutcomeSettings {
  return loadTriggerOutcomeSettings(db).get(triggerId)!;
}

/** The share of firings of this trigger that go to the control group (0 to 1). */
export function holdoutShareFor(db: Db, triggerId: TriggerId): number {
  const row = db
    .prepare<[string], { holdout_share: number | null }>(
      'SELECT holdout_share FROM trigger_outcome_settings WHERE trigger_id = ?',
    )
    .get(triggerId);
  return row?.holdout_share ?? DEFAULT_TRIGGERS[triggerId].holdoutShare;
}

export function saveTriggerOutcomeSettings(
  db: Db,
  triggerId: TriggerId,
  change: { success?: SuccessCriterion | null; holdoutShare?: number | null },
  now: Date,
): TriggerOutcomeSettings {
  const current = db
    .prepare<[string], OverrideRow>(
      'SELECT trigger_id, success_json, holdout_share FROM trigger_outcome_settings WHERE trigger_id = ?',
    )
    .get(triggerId);
  const successJson =
    change.success === undefined
      ? (current?.success_json ?? null)
      : change.success === null
        ? null
        : JSON.stringify(change.success);
  const share = change.holdoutShare === undefined ? (current?.holdout_share ?? null) : change.holdoutShare;
  db.prepare(
    `INSERT INTO trigger_outcome_settings (trigger_id, success_json, holdout_share, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (trigger_id) DO UPDATE SET success_json = excluded.success_json, holdout_share = excluded.holdout_share, updated_at = excluded.updated_at`,
  ).run(triggerId, successJson, share, now.toISOString());
  return triggerOutcomeSettings(db, triggerId);
}

function parseCriterion(json: string): SuccessCriterion | null {
  try {
    const value = JSON.parse(json) as SuccessCriterion;
    return typeof value === 'object' && value !== null && typeof value.kind === 'string' ? value : null;
  } catch {
    return null;
  }
}

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/** A one-line description of a criterion, for overrides that have no hand-written one. */
export function describeCriterion(criterion: SuccessCriterion): string {
  switch (criterion.kind) {
    case 'event_within':
      return `${eventPhrase(criterion.event)} within ${days(criterion.days)}`;
    case 'metric_positive_within':
      return `${criterion.metric} above 0 within ${days(criterion.days)}`;
    case 'contact_login_within':
      return `the same contact logs in within ${days(criterion.days)}`;
    case 'metric_recovers':
      return `the ${criterion.windowDays}-day mean of ${criterion.metric} is back to at least ${Math.round(criterion.share * 100)}% of the baseline within ${days(criterion.days)}`;
    case 'utilisation_at_least':
      return `seat utilisation reaches ${Math.round(criterion.share * 100)}% within ${days(criterion.days)}`;
    case 'event_by_renewal':
      return `${eventPhrase(criterion.event)} by the renewal date plus ${days(criterion.graceDays)}`;
    case 'tickets_back_to_baseline':
      return `monthly tickets are back to baseline within ${days(criterion.days)}`;
    case 'nps_at_least':
      return `the next NPS answer is ${criterion.score} or more within ${days(criterion.days)}`;
    case 'latency_back_to_norm':
      return `latency is back within ${Math.round(criterion.share * 100)}% of the norm within ${days(criterion.days)}`;
  }
}
