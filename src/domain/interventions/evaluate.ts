import type { Db } from '../db/open.ts';
import { DEFAULT_TRIGGERS, isTriggerId, type TriggerId } from '../risk/catalog.ts';
import type { InterventionStatus } from '../../shared/dto/interventions.ts';
import { judge, type Episode, type Judgement } from './criteria.ts';
import { outcomeData } from './outcome-data.ts';
import { outcomesRepo, type ControlSource, type TreatedSource } from './outcomes-repo.ts';
import { loadTriggerOutcomeSettings, type TriggerOutcomeSettings } from './settings.ts';

export interface EvaluationSummary {
  asOf: string;
  interventions: { evaluated: number; changed: number; statusChanged: number };
  control: { evaluated: number; changed: number };
}

type Settings = Map<TriggerId, TriggerOutcomeSettings>;

function parseFacts(json: string | null): Record<string, unknown> {
  if (!json) return {};
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The firing day an intervention's episode counts from: its risk item's first firing, or the day it
 * was sent when that is earlier (or the item is unknown); the firing day alone while only planned.
 */
export function treatedFiredOn(firstFiredOn: string | null, sentAt: string | null): string | null {
  if (!sentAt) return firstFiredOn;
  const sentOn = sentAt.slice(0, 10);
  return firstFiredOn && firstFiredOn < sentOn ? firstFiredOn : sentOn;
}

/** The episode an intervention opened, or null while it is only planned (nothing to judge yet). */
export function treatedEpisode(row: TreatedSource, settings: Settings): Episode | null {
  if (!row.sent_at || row.status === 'planned' || !isTriggerId(row.trigger_id)) return null;
  const fired = treatedFiredOn(row.first_fired_on, row.sent_at) as string;
  return {
    accountId: row.account_id,
    triggerId: row.trigger_id,
    startAt: row.sent_at,
    firedOn: fired,
    startedBy: 'the intervention',
    facts: parseFacts(row.facts_json),
    params: settings.get(row.trigger_id)?.params ?? {},
  };
}

export function controlEpisode(
  row: Pick<ControlSource, 'account_id' | 'trigger_id' | 'first_fired_on' | 'facts_json'>,
  settings: Settings,
): Episode | null {
  if (!isTriggerId(row.trigger_id)) return null;
  return {
    accountId: row.account_id,
    triggerId: row.trigger_id,
    startAt: `${row.first_fired_on}T00:00:00.000Z`,
    firedOn: row.first_fired_on,
    startedBy: 'the firing',
    facts: parseFacts(row.facts_json),
    params: settings.get(row.trigger_id)?.params ?? {},
  };
}

export function judgeEpisode(db: Db, episode: Episode, settings: Settings, asOf: string): Judgement {
  const criterion =
    settings.get(episode.triggerId as TriggerId)?.success ?? DEFAULT_TRIGGERS[episode.triggerId as TriggerId].success;
  return judge(criterion, episode, asOf, outcomeData(db));
}

/** The intervention status a verdict means: an undecided one stays "sent". */
export function statusFor(verdict: Judgement['verdict']): InterventionStatus {
  return verdict === 'pending' ? 'sent' : verdict;
}

/** Stable across machines, so that merged exports from several CSMs de-duplicate. */
export function controlRecordId(row: { account_id: string; trigger_id: string; first_fired_on: string }): string {
  return `control:${row.account_id}:${row.trigger_id}:${row.first_fired_on}`;
}

/** The same for a firing that was not held out (an intention-to-treat row). */
export function eligibleRecordId(row: { account_id: string; trigger_id: string; first_fired_on: string }): string {
  return `eligible:${row.account_id}:${row.trigger_id}:${row.first_fired_on}`;
}

/**
 * Evaluates every sent intervention and every held-out risk item (of the given accounts, or all)
 * as of `asOf`, and stores the verdicts. Manual overrides keep their status. `now` stamps
 * updated_at so that the sync outbox sees the change.
 */
export function evaluateOutcomes(
  db: Db,
  options: { asOf: string; accountIds?: readonly string[] | null; now: Date },
): EvaluationSummary {
  const { asOf } = options;
  const accountIds = options.accountIds ?? null;
  const stamp = options.now.toISOString();
  const settings = loadTriggerOutcomeSettings(db);
  const repo = outcomesRepo(db);
  const summary: EvaluationSummary = {
    asOf,
    interventions: { evaluated: 0, changed: 0, statusChanged: 0 },
    control: { evaluated: 0, changed: 0 },
  };

  db.transaction(() => {
    for (const row of repo.treated(accountIds)) {
      const episode = treatedEpisode(row, settings);
      if (!episode) continue;
      const judgement = judgeEpisode(db, episode, settings, asOf);
      const manual = row.manual === 1;
      summary.interventions.evaluated++;
      const changed = repo.writeOutcome({
        intervention_id: row.intervention_id,
        start_on: judgement.startOn,
        due_on: judgement.dueOn,
        // A manual override keeps the person's verdict; the side measures still update.
        outcome_on: manual ? row.outcome_on : judgement.outcomeOn,
        days_to_success: manual ? row.days_to_success : judgement.daysToSuccess,
        evidence: manual ? (row.evidence ?? judgement.evidence) : judgement.evidence,
        retained_90d: judgement.retained90d,
        tickets_30d: judgement.tickets30d,
        manual: manual ? 1 : 0,
        manual_note: manual ? row.manual_note : null,
        evaluated_on: asOf,
        updated_at: stamp,
      });
      if (changed) summary.interventions.changed++;
      if (!manual && repo.setStatus(row.intervention_id, statusFor(judgement.verdict), stamp))
        summary.interventions.statusChanged++;
    }

    repo.dropStaleControl();
    for (const row of repo.control(accountIds)) {
      const episode = controlEpisode(row, settings);
      if (!episode) continue;
      const judgement = judgeEpisode(db, episode, settings, asOf);
      summary.control.evaluated++;
      const changed = repo.writeControl({
        item_id: row.item_id,
        record_id: controlRecordId(row),
        account_id: row.account_id,
        trigger_id: row.trigger_id,
        start_on: judgement.startOn,
        due_on: judgement.dueOn,
        status: judgement.verdict,
        outcome_on: judgement.outcomeOn,
        days_to_success: judgement.daysToSuccess,
        evidence: judgement.evidence,
        retained_90d: judgement.retained90d,
        tickets_30d: judgement.tickets30d,
        evaluated_on: asOf,
        updated_at: stamp,
      });
      if (changed) summary.control.changed++;
    }
  })();
  return summary;
}
