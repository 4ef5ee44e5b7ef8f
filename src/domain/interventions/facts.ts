import { addDays } from '../contract/dates.ts';
import type { Db } from '../db/open.ts';
import { outcomeData } from './outcome-data.ts';
import { firingPeriod } from './holdout.ts';
import {
  controlEpisode,
  controlRecordId,
  eligibleRecordId,
  judgeEpisode,
  statusFor,
  treatedEpisode,
} from './evaluate.ts';
import { importedRepo } from './imported-repo.ts';
import { outcomesRepo, type TreatedSource } from './outcomes-repo.ts';
import { loadTriggerOutcomeSettings } from './settings.ts';

export type FactStatus = 'planned' | 'sent' | 'pending' | 'succeeded' | 'failed' | 'expired';

/**
 * One row of the outcome report and of the export: an intervention ("treated"), a held-out
 * firing ("control") or a firing that was not held out ("eligible", judged from the firing like a
 * control row whether or not anyone reached out), local or merged in from another CSM's export.
 * The uplift compares eligible with control rows (intention to treat); treated rows are the CSM's
 * tracker of what each touch achieved.
 */
export interface OutcomeFact {
  record_id: string;
  cohort: 'treated' | 'control' | 'eligible';
  source: 'local' | 'imported';
  account_id: string;
  account_name: string | null;
  owner_email: string | null;
  trigger_id: string;
  template_id: string | null;
  template_version: number | null;
  channel: string | null;
  status: FactStatus;
  fired_on: string | null;
  /** The first day of the window: the day sent (treated), or the firing day (control). */
  start_on: string;
  due_on: string | null;
  outcome_on: string | null;
  days_to_success: number | null;
  arr: number | null;
  currency: string | null;
  effort_rating: number | null;
  excluded_from_uplift: boolean;
  /** The status was set by a person: kept and shown, left out of the uplift unless asked for. */
  manual: boolean;
  /** Treated: whether the customer replied (logged on the intervention, or a reply_received event). */
  replied: boolean | null;
  /** Treated: logged with force past the contact-fatigue cap (null: not known, or a control row). */
  fatigue_override: boolean | null;
  retained_90d: 0 | 1 | null;
  tickets_30d: number | null;
  /** Inbound tickets in days 31–60 and 61–90 after the start (null until known, or once churned). */
  tickets_31_60d: number | null;
  tickets_61_90d: number | null;
  evidence: string | null;
  notes: string | null;
  /**
   * The day this verdict was judged as of: the report's day for a local row, the export's for a
   * merged one (null: an export made before the column existed). A merge keeps the newer verdict.
   */
  as_of: string | null;
  /** Eligible rows: whether a touch for the firing went out (null: not known, or another cohort). */
  contacted?: boolean | null;
  /**
   * The book a row comes from (absent: this database; else the merged file): groups from different
   * books are compared within each book, whose holdout shares and base rates may differ.
   */
  book?: string | null;
}

export interface FactQuery {
  asOf: string;
  /** Keep rows whose start_on lies in [from, to]. */
  from?: string | null;
  to?: string | null;
  includeImported?: boolean;
}

/** Whether a fact is decided: only these count towards success rates. */
export const isDecided = (fact: Pick<OutcomeFact, 'status'>) => fact.status === 'succeeded' || fact.status === 'failed';

/** The unit of comparison: an account's episode of a trigger, one per firing month. */
export function episodeKey(fact: Pick<OutcomeFact, 'account_id' | 'trigger_id' | 'fired_on' | 'start_on'>): string {
  return `${fact.account_id}|${fact.trigger_id}|${firingPeriod(fact.fired_on ?? fact.start_on)}`;
}

/**
 * Every outcome as of `asOf`, judged afresh from the data (so a report "as of" a past date is
 * what was known then), except manual overrides, which keep the person's verdict.
 */
export function loadOutcomeFacts(db: Db, query: FactQuery): OutcomeFact[] {
  const settings = loadTriggerOutcomeSettings(db);
  const repo = outcomesRepo(db);
  const facts: OutcomeFact[] = [];
  const inRange = (day: string) =>
    day <= query.asOf && (!query.from || day >= query.from) && (!query.to || day <= query.to);

  for (const row of repo.treated(null)) {
    const fact = treatedFact(db, row, settings, query.asOf);
    if (fact && inRange(fact.start_on)) facts.push(fact);
  }
  const firings = [
    ...repo.control(null).map((row) => ({ row, cohort: 'control' as const })),
    ...repo.eligible().map((row) => ({ row, cohort: 'eligible' as const })),
  ];
  for (const { row, cohort } of firings) {
    const episode = controlEpisode(row, settings);
    if (!episode || !inRange(row.first_fired_on)) continue;
    const judgement = judgeEpisode(db, episode, settings, query.asOf);
    facts.push({
      record_id: cohort === 'control' ? controlRecordId(row) : eligibleRecordId(row),
      cohort,
      // Eligible: a touch for this firing went out. Control: a touch for another play reached the
      // account inside this episode's window (the holdout is per play), reported, not excluded.
      contacted:
        cohort === 'eligible'
          ? row.contacted === 1
          : repo.touchedBetween(
              row.account_id,
              `${row.first_fired_on}T00:00:00.000Z`,
              `${addDays(judgement.outcomeOn ?? judgement.dueOn ?? query.asOf, 1)}T00:00:00.000Z`,
            ),
      source: 'local',
      account_id: row.account_id,
      account_name: row.account_name,
      owner_email: row.owner_email,
      trigger_id: row.trigger_id,
      template_id: null,
      template_version: null,
      channel: null,
      status: judgement.verdict,
      fired_on: row.first_fired_on,
      start_on: judgement.startOn,
      due_on: judgement.dueOn,
      outcome_on: judgement.outcomeOn,
      days_to_success: judgement.daysToSuccess,
      arr: row.arr,
      currency: row.currency,
      effort_rating: null,
      excluded_from_uplift: false,
      manual: false,
      replied: null,
      fatigue_override: null,
      retained_90d: judgement.retained90d,
      tickets_30d: judgement.tickets30d,
      tickets_31_60d: judgement.ticketsLater[0],
      tickets_61_90d: judgement.ticketsLater[1],
      evidence: judgement.evidence,
      notes: null,
      as_of: query.asOf,
    });
  }
  if (query.includeImported !== false) {
    const local = new Set(facts.map((f) => f.record_id));
    for (const fact of importedRepo(db).all())
      if (!local.has(fact.record_id) && inRange(fact.start_on)) facts.push(fact);
  }
  return facts;
}

export function treatedFact(
  db: Db,
  row: TreatedSource,
  settings: ReturnType<typeof loadTriggerOutcomeSettings>,
  asOf: string,
): OutcomeFact | null {
  const base = {
    record_id: row.intervention_id,
    cohort: 'treated' as const,
    source: 'local' as const,
    account_id: row.account_id,
    account_name: row.account_name,
    owner_email: row.owner_email,
    trigger_id: row.trigger_id,
    template_id: row.template_id,
    template_version: row.template_version,
    channel: row.channel,
    arr: row.arr,
    currency: row.currency,
    effort_rating: row.effort_rating,
    excluded_from_uplift: row.excluded_from_uplift === 1,
    manual: row.manual === 1,
    replied: row.sent_at ? repliedTo(db, row) : null,
    fatigue_override: row.fatigue_override === 1,
    notes: row.notes,
    as_of: asOf,
  };
  const episode = treatedEpisode(row, settings);
  if (!episode) {
    const planned = (row.planned_at ?? row.created_at).slice(0, 10);
    return {
      ...base,
      status: 'planned',
      fired_on: row.first_fired_on,
      start_on: planned,
      due_on: null,
      outcome_on: null,
      days_to_success: null,
      retained_90d: null,
      tickets_30d: null,
      tickets_31_60d: null,
      tickets_61_90d: null,
      evidence: null,
    };
  }
  const judgement = judgeEpisode(db, episode, settings, asOf);
  const manual = row.manual === 1;
  return {
    ...base,
    status: manual ? row.status : statusFor(judgement.verdict),
    // Nothing fired when the touch has no risk item: the export says so instead of inventing a day.
    fired_on: row.first_fired_on === null ? null : episode.firedOn,
    start_on: judgement.startOn,
    due_on: judgement.dueOn,
    outcome_on: manual ? row.outcome_on : judgement.outcomeOn,
    days_to_success: manual ? row.days_to_success : judgement.daysToSuccess,
    retained_90d: judgement.retained90d,
    tickets_30d: judgement.tickets30d,
    tickets_31_60d: judgement.ticketsLater[0],
    tickets_61_90d: judgement.ticketsLater[1],
    evidence: manual ? row.evidence : judgement.evidence,
  };
}

/** How long after a touch a reply_received event still counts as the answer to it. */
export const REPLY_WINDOW_DAYS = 14;

/** A reply logged on the intervention, or a reply_received event within 14 days of sending. */
function repliedTo(db: Db, row: TreatedSource): boolean {
  if (row.replied_at) return true;
  const sent = row.sent_at as string;
  const until = addDays(sent.slice(0, 10), REPLY_WINDOW_DAYS + 1);
  return outcomeData(db).events(row.account_id, 'reply_received', sent, `${until}T00:00:00.000Z`).length > 0;
}
