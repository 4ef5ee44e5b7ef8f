import { randomUUID } from 'node:crypto';
import { todayIso, toIsoInstant } from '../contract/dates.ts';
import type { Db } from '../db/open.ts';
import { UserFacingError } from '../errors.ts';
import { DEFAULT_TRIGGERS, isTriggerId, type TriggerId } from '../risk/catalog.ts';
import type { InterventionChannel, InterventionRow } from '../../shared/dto/interventions.ts';
import { INTERVENTION_CHANNELS } from '../../shared/dto/interventions.ts';
import { evaluateOutcomes } from './evaluate.ts';
import { isHoldout } from './holdout.ts';
import { interventionsRepo, toInterventionRow, type InterventionDbRow } from './repo.ts';
import { holdoutShareFor } from './settings.ts';
import { notAfterNow } from './not-after-now.ts';
import { checkedNote } from './status.ts';
import { fatigueCapReason } from '../outreach/fatigue.ts';

export interface LogInterventionInput {
  accountId: string;
  triggerId: TriggerId;
  /** The risk item this answers; defaults to the account's live item for the trigger. */
  riskItemId?: number | null;
  templateId?: string | null;
  templateVersion?: number | null;
  channel: InterventionChannel;
  /** Defaults to the account's owner. */
  ownerEmail?: string | null;
  /** Default 'sent'. */
  status?: 'planned' | 'sent';
  plannedAt?: string | null;
  /** An instant or a day; defaults to `now` for a sent intervention. */
  sentAt?: string | null;
  notes?: string | null;
  /**
   * Log it even though the account is in the control group (it is then excluded from uplift), or
   * past the fatigue cap when the cap is enforced (recorded as fatigue_override).
   */
  force?: boolean;
  /** Refuse a touch past the contact-fatigue cap unless forced (the CLI and the API log do). */
  enforceFatigue?: boolean;
  /** The customer-effort rating of the reply, 1 (very easy) to 7 (very hard). */
  effortRating?: number | null;
  /** When the customer replied (an instant or a day), for the response rate. */
  repliedAt?: string | null;
}

/** The stored intervention, as returned to callers (`holdout` is true only for a forced log). */
export type InterventionRecord = InterventionRow & {
  trigger_id: TriggerId;
  /** An earlier intervention exactly like this one (same account, trigger, channel, note and minute): likely logged twice. */
  duplicate_of?: string | null;
};

/**
 * Whether the account is in the control group for this trigger on `asOf` (YYYY-MM-DD): the live
 * risk item's mark when there is one (the risk engine decided it when the trigger fired),
 * otherwise the same stable draw the engine uses, for the month of `asOf`.
 */
export function isAccountHeldOut(db: Db, accountId: string, triggerId: TriggerId, asOf: string): boolean {
  const item = interventionsRepo(db).liveItem(accountId, triggerId);
  if (item) return item.is_control === 1;
  return isHoldout(accountId, triggerId, asOf, holdoutShareFor(db, triggerId));
}

/**
 * Records one intervention (a touch sent or planned). Refuses an account held out as control for
 * the trigger, because contacting it would spoil the comparison, unless `force` is set; a forced
 * intervention is kept but excluded from uplift.
 */
export function logIntervention(db: Db, input: LogInterventionInput, now: Date): InterventionRecord {
  const repo = interventionsRepo(db);
  if (!isTriggerId(input.triggerId)) {
    throw new UserFacingError('UNKNOWN_TRIGGER', `There is no trigger called "${String(input.triggerId)}".`);
  }
  if (!(INTERVENTION_CHANNELS as readonly string[]).includes(input.channel)) {
    throw new UserFacingError(
      'INVALID_CHANNEL',
      `The channel must be one of ${INTERVENTION_CHANNELS.join(', ')}, not "${String(input.channel)}".`,
    );
  }
  const account = repo.account(input.accountId);
  if (!account) throw new UserFacingError('ACCOUNT_NOT_FOUND', `There is no account with the id "${input.accountId}".`);

  const status = input.status ?? 'sent';
  const nowIso = now.toISOString();
  const sentAt = status === 'sent' ? notAfterNow(instant(input.sentAt, 'sent', nowIso), 'sent', now) : null;
  const plannedAt =
    input.plannedAt != null ? instant(input.plannedAt, 'planned', nowIso) : status === 'planned' ? nowIso : null;
  const day = (sentAt ?? plannedAt ?? nowIso).slice(0, 10);

  // A touch after the churn cannot keep the customer, and would later count as a save if marked so.
  if (account.status === 'churned' && (account.churned_at === null || day >= account.churned_at.slice(0, 10)))
    throw new UserFacingError(
      'ACCOUNT_CHURNED',
      `${account.account_id} churned${account.churned_at ? ` on ${account.churned_at.slice(0, 10)}` : ''}, so there is no one to reach out to and the intervention was not logged.`,
    );

  const item = input.riskItemId != null ? repo.item(input.riskItemId) : repo.liveItem(input.accountId, input.triggerId);
  if (input.riskItemId != null) {
    if (!item) throw new UserFacingError('RISK_ITEM_NOT_FOUND', `There is no risk item ${input.riskItemId}.`);
    if (item.account_id !== input.accountId || item.trigger_id !== input.triggerId) {
      throw new UserFacingError(
        'RISK_ITEM_MISMATCH',
        `Risk item ${input.riskItemId} belongs to another account or trigger, so the intervention was not logged.`,
      );
    }
  }
  const heldOut = item
    ? item.is_control === 1
    : isHoldout(input.accountId, input.triggerId, day, holdoutShareFor(db, input.triggerId));
  if (heldOut && !input.force) {
    const label = DEFAULT_TRIGGERS[input.triggerId].label;
    throw new UserFacingError(
      'HOLDOUT',
      `${account.account_id} is in the control group for "${label}", so no outreach should be logged for it; use force to log it anyway (it will be left out of the uplift).`,
    );
  }

  const fatigue = pastFatigueCap(db, input, account, new Date(sentAt ?? plannedAt ?? nowIso));
  const effort = checkedEffort(input.effortRating);

  const row: InterventionDbRow = {
    intervention_id: randomUUID(),
    account_id: account.account_id,
    risk_item_id: item?.item_id ?? null,
    trigger_id: input.triggerId,
    template_id: input.templateId ?? null,
    template_version: input.templateVersion ?? null,
    channel: input.channel,
    owner_email: input.ownerEmail ?? account.owner_email,
    status,
    planned_at: plannedAt,
    sent_at: sentAt,
    notes: checkedNote(input.notes),
    effort_rating: effort,
    replied_at: input.repliedAt ? notAfterNow(instant(input.repliedAt, 'reply', nowIso), 'reply', now) : null,
    fatigue_override: fatigue ? 1 : 0,
    excluded_from_uplift: heldOut ? 1 : 0,
    created_at: nowIso,
    updated_at: nowIso,
  };
  repo.insert(row);
  // Evaluate at once: the row gets its window (and, for a touch logged after the fact, its verdict).
  if (row.status === 'sent') evaluateOutcomes(db, { asOf: todayIso(now), accountIds: [row.account_id], now });
  const duplicateOf = repo.sameTouch(row);
  return {
    ...toInterventionRow(repo.get(row.intervention_id) ?? row),
    duplicate_of: duplicateOf,
  } as InterventionRecord;
}

function instant(value: string | null | undefined, what: string, fallback: string): string {
  if (value == null || value === '') return fallback;
  const parsed = toIsoInstant(value);
  if (!parsed)
    throw new UserFacingError(
      'INVALID_DATE',
      `The ${what} time "${value}" is not a date (YYYY-MM-DD) or an ISO 8601 time.`,
    );
  return parsed;
}

/**
 * Whether this touch is logged past the contact-fatigue cap (only asked when the caller enforces
 * the cap): refused with the guard's sentence unless forced, and then recorded.
 */
function pastFatigueCap(
  db: Db,
  input: LogInterventionInput,
  account: { account_id: string; name: string },
  at: Date,
): boolean {
  if (input.enforceFatigue !== true) return false;
  const reason = fatigueCapReason(db, { id: account.account_id, name: account.name }, at);
  if (reason && !input.force)
    throw new UserFacingError(
      'FATIGUE',
      `${reason} Use force to log it anyway; it is then recorded as logged past the cap.`,
    );
  return reason !== null;
}

function checkedEffort(rating: number | null | undefined): number | null {
  if (rating == null) return null;
  if (!Number.isInteger(rating) || rating < 1 || rating > 7)
    throw new UserFacingError('INVALID_RATING', 'The customer-effort rating must be a whole number from 1 to 7.');
  return rating;
}
