import { daysBetween, todayIso, toIsoInstant } from '../contract/dates.ts';
import type { Db } from '../db/open.ts';
import { UserFacingError } from '../errors.ts';
import { MAX_NOTE_LENGTH, type InterventionStatus } from '../../shared/dto/interventions.ts';
import { evaluateOutcomes } from './evaluate.ts';
import { interventionsRepo } from './repo.ts';
import { outcomesRepo } from './outcomes-repo.ts';
import { notAfterNow } from './not-after-now.ts';

/** A note within the one cap the API's schema also applies, trimmed; null when empty. */
export function checkedNote(notes: string | null | undefined): string | null {
  const text = notes?.trim() ? notes.trim() : null;
  if (text && text.length > MAX_NOTE_LENGTH)
    throw new UserFacingError(
      'NOTE_TOO_LONG',
      `The note is ${text.length.toLocaleString('en')} characters long; notes hold at most ${MAX_NOTE_LENGTH.toLocaleString('en')}.`,
    );
  return text;
}

export interface StatusChange {
  ids: readonly string[];
  status: InterventionStatus;
  /** Required when setting succeeded, failed or expired by hand. */
  note?: string | null;
}

/**
 * Moves interventions along planned → sent → succeeded / failed / expired.
 * - "sent" marks a planned intervention as sent (now, unless it has a time), and on a decided one
 *   removes any manual override so that the automatic evaluation decides again.
 * - "succeeded", "failed" or "expired" set by hand are overrides: they need a note, and the
 *   automatic evaluation leaves them alone from then on.
 * - Nothing goes back to "planned".
 * All or nothing: one refused row refuses the batch, with a sentence saying why.
 */
export function setInterventionStatus(db: Db, change: StatusChange, now: Date): { updated: number; unchanged: number } {
  const repo = interventionsRepo(db);
  const outcomes = outcomesRepo(db);
  const note = change.note?.trim() ?? '';
  const stamp = now.toISOString();
  const today = todayIso(now);
  if (change.ids.length === 0) return { updated: 0, unchanged: 0 };
  const overriding = change.status === 'succeeded' || change.status === 'failed' || change.status === 'expired';
  if (overriding && note.length === 0) {
    throw new UserFacingError(
      'NOTE_REQUIRED',
      `Setting an intervention to ${change.status} by hand is a manual override, so it needs a note saying why.`,
    );
  }
  checkedNote(note);

  return db.transaction(() => {
    const rows = change.ids.map((id) => {
      const row = repo.get(id);
      if (!row) throw new UserFacingError('NOT_FOUND', `There is no intervention with the id "${id}".`);
      return row;
    });
    const accounts = new Set<string>();
    let updated = 0;
    for (const row of rows) {
      if (change.status === 'planned') {
        if (row.status !== 'planned')
          throw new UserFacingError(
            'INVALID_TRANSITION',
            `Intervention ${row.intervention_id} was already sent, so it cannot go back to planned.`,
          );
        continue;
      }
      if (change.status === 'sent') {
        const sentAt = row.sent_at ?? stamp;
        const [stored] = outcomes.treatedByIds([row.intervention_id]);
        let changed = false;
        if (stored?.manual === 1)
          changed = outcomes.writeOutcome({
            ...outcomeOf(stored),
            manual: 0,
            manual_note: null,
            evaluated_on: today,
            updated_at: stamp,
          });
        // A decided intervention without an override is already the evaluation's verdict: leave it.
        if (
          (row.status === 'planned' || stored?.manual === 1) &&
          repo.setStatus(row.intervention_id, 'sent', sentAt, stamp)
        )
          changed = true;
        if (changed) updated++;
        accounts.add(row.account_id);
        continue;
      }
      if (row.status === 'planned') {
        throw new UserFacingError(
          'INVALID_TRANSITION',
          `Intervention ${row.intervention_id} is only planned; mark it as sent before recording its outcome.`,
        );
      }
      const account = repo.account(row.account_id);
      if (change.status === 'succeeded' && account?.status === 'churned')
        throw new UserFacingError(
          'ACCOUNT_CHURNED',
          `${row.account_id} churned${account.churned_at ? ` on ${account.churned_at.slice(0, 10)}` : ''}, so intervention ${row.intervention_id} cannot be marked succeeded.`,
        );
      const [stored] = outcomes.treatedByIds([row.intervention_id]);
      const startOn = stored?.start_on ?? (row.sent_at ?? stamp).slice(0, 10);
      const changedOutcome = outcomes.writeOutcome({
        intervention_id: row.intervention_id,
        start_on: startOn,
        due_on: stored?.due_on ?? null,
        outcome_on: today,
        days_to_success: change.status === 'succeeded' ? Math.max(0, daysBetween(startOn, today)) : null,
        evidence: `Set to ${change.status} by hand: ${note}`,
        retained_90d: stored?.retained_90d ?? null,
        tickets_30d: stored?.tickets_30d ?? null,
        manual: 1,
        manual_note: note,
        evaluated_on: today,
        updated_at: stamp,
      });
      const changedStatus = repo.setStatus(row.intervention_id, change.status, row.sent_at, stamp);
      if (changedStatus || changedOutcome) updated++;
    }
    // Un-overridden and newly sent interventions are judged again straight away.
    if (accounts.size > 0) evaluateOutcomes(db, { asOf: today, accountIds: [...accounts], now });
    return { updated, unchanged: rows.length - updated };
  })();
}

function outcomeOf(stored: NonNullable<ReturnType<ReturnType<typeof outcomesRepo>['treatedByIds']>[number]>) {
  return {
    intervention_id: stored.intervention_id,
    start_on: stored.start_on ?? (stored.sent_at ?? stored.created_at).slice(0, 10),
    due_on: stored.due_on,
    outcome_on: stored.outcome_on,
    days_to_success: stored.days_to_success,
    evidence: stored.evidence ?? '',
    retained_90d: stored.retained_90d,
    tickets_30d: stored.tickets_30d,
  };
}

/** The customer-effort rating (1 = very easy … 7 = very hard) of the customer's reply, or null to clear it. */
export function rateIntervention(db: Db, id: string, rating: number | null, now: Date): boolean {
  if (rating !== null && (!Number.isInteger(rating) || rating < 1 || rating > 7)) {
    throw new UserFacingError('INVALID_RATING', 'The customer-effort rating must be a whole number from 1 to 7.');
  }
  const repo = interventionsRepo(db);
  if (!repo.get(id)) throw new UserFacingError('NOT_FOUND', `There is no intervention with the id "${id}".`);
  return repo.setEffort(id, rating, now.toISOString());
}

/** When the customer replied to this touch (an instant or a day), or null to clear it. */
export function recordReply(db: Db, id: string, repliedAt: string | null, now: Date): boolean {
  const repo = interventionsRepo(db);
  if (!repo.get(id)) throw new UserFacingError('NOT_FOUND', `There is no intervention with the id "${id}".`);
  const at = repliedAt === null ? null : toIsoInstant(repliedAt);
  if (repliedAt !== null && at === null)
    throw new UserFacingError(
      'INVALID_DATE',
      `The reply time "${repliedAt}" is not a date (YYYY-MM-DD) or an ISO 8601 time.`,
    );
  // The same rule as logging one with a reply (log.ts): a reply cannot have come yet.
  return repo.setReplied(id, at === null ? null : notAfterNow(at, 'reply', now), now.toISOString());
}

export function setInterventionNotes(db: Db, id: string, notes: string | null, now: Date): boolean {
  const repo = interventionsRepo(db);
  if (!repo.get(id)) throw new UserFacingError('NOT_FOUND', `There is no intervention with the id "${id}".`);
  return repo.setNotes(id, checkedNote(notes), now.toISOString());
}
