/**
 * Logging what the CSM did: a call, a meeting, an email or a note, with its day, contact, summary
 * and outcome. Everything but a note is also a CSM touch (touch.ts), so the last touch, the
 * relationship component and `silent_churn` move the moment it is logged.
 */
import { randomUUID } from 'node:crypto';
import { toIsoInstant } from '../contract/dates.ts';
import type { Db } from '../db/open.ts';
import { accountsRepo } from '../db/repos/accounts.ts';
import { UserFacingError } from '../errors.ts';
import { tooLongSentence } from '../../shared/text-length.ts';
import {
  ACTIVITY_LABELS,
  ACTIVITY_SUMMARY_MAX,
  ACTIVITY_TYPES,
  type ActivityInput,
  type ActivityRow,
  type ActivityType,
} from '../../shared/dto/activities.ts';
import { activitiesRepo, type ActivityDbRow } from './repo.ts';
import { writeTouchEvent } from './touch.ts';

export const SUMMARY_MAX = ACTIVITY_SUMMARY_MAX;

export interface AddActivityInput extends ActivityInput {
  authorEmail?: string | null;
  interventionId?: string | null;
}

function checkedType(type: string): ActivityType {
  if (!(ACTIVITY_TYPES as readonly string[]).includes(type))
    throw new UserFacingError(
      'INVALID_ACTIVITY_TYPE',
      `The activity type must be one of ${ACTIVITY_TYPES.join(', ')}, not "${type}".`,
    );
  return type as ActivityType;
}

function checkedTime(at: string | undefined, now: Date): string {
  if (at === undefined || at.trim() === '') return now.toISOString();
  const instant = toIsoInstant(at.trim());
  if (!instant)
    throw new UserFacingError(
      'INVALID_DATE',
      `The activity date "${at}" is not a date (YYYY-MM-DD) or an ISO 8601 time.`,
    );
  // A day logged today is "today", even though midnight UTC may be later than now elsewhere.
  if (instant.slice(0, 10) > now.toISOString().slice(0, 10))
    throw new UserFacingError('INVALID_DATE', `The activity date ${at} is in the future; log what has happened.`);
  return instant;
}

function checkedSummary(summary: string): string {
  const text = summary.trim();
  if (!text)
    throw new UserFacingError(
      'SUMMARY_REQUIRED',
      'Write a summary of the activity, so the next person knows what happened.',
    );
  const tooLong = tooLongSentence('The summary', text, SUMMARY_MAX);
  if (tooLong) throw new UserFacingError('SUMMARY_TOO_LONG', tooLong);
  return text;
}

/** "Call with Ana Ruiz: renewal terms agreed (outcome: will sign by Friday)" — the timeline's line. */
export function touchDetail(
  type: ActivityType,
  contactName: string | null,
  summary: string,
  outcome: string | null,
): string {
  const who = contactName ? ` with ${contactName}` : '';
  return `${ACTIVITY_LABELS[type]}${who}: ${summary}${outcome ? ` (outcome: ${outcome})` : ''}`;
}

export function addActivity(db: Db, input: AddActivityInput, now: Date): ActivityRow {
  const account = accountsRepo(db).get(input.accountId);
  if (!account) throw new UserFacingError('ACCOUNT_NOT_FOUND', `There is no account with the id "${input.accountId}".`);
  const repo = activitiesRepo(db);
  const type = checkedType(input.type);
  const contactId = input.contactId?.trim() || null;
  const contact = contactId ? repo.contact(contactId) : undefined;
  if (contactId && contact?.account_id !== account.account_id)
    throw new UserFacingError(
      'CONTACT_NOT_FOUND',
      `${account.name} has no contact with the id "${contactId}"; see its contacts on the account page.`,
    );
  const row: ActivityDbRow = {
    activity_id: `act_${randomUUID()}`,
    account_id: account.account_id,
    type,
    occurred_at: checkedTime(input.at, now),
    contact_id: contactId,
    summary: checkedSummary(input.summary),
    outcome: input.outcome?.trim() || null,
    author_email: input.authorEmail ?? null,
    intervention_id: input.interventionId ?? null,
    created_at: now.toISOString(),
  };
  db.transaction(() => {
    repo.insert(row);
    if (type !== 'note')
      writeTouchEvent(db, {
        eventId: `touch_${row.activity_id}`,
        accountId: row.account_id,
        occurredAt: row.occurred_at,
        contactId,
        detail: touchDetail(type, contact?.name ?? null, row.summary, row.outcome),
      });
  })();
  return { ...row, contact_name: contact?.name ?? null, is_touch: type !== 'note' };
}

export function listActivities(db: Db, accountId: string): ActivityRow[] {
  if (!accountsRepo(db).get(accountId))
    throw new UserFacingError('ACCOUNT_NOT_FOUND', `There is no account with the id "${accountId}".`);
  return activitiesRepo(db).forAccount(accountId);
}
