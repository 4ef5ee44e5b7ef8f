/** The checks notes and goals share: the account exists, a day is a real day, text is present and short enough. */
import { z } from 'zod';
import { isIsoDay } from '../contract/dates.ts';
import type { Db } from '../db/open.ts';
import { accountsRepo } from '../db/repos/accounts.ts';
import { UserFacingError } from '../errors.ts';
import { tooLongSentence } from '../../shared/text-length.ts';

export function checkedAccount(db: Db, accountId: string) {
  const account = accountsRepo(db).get(accountId);
  if (!account) throw new UserFacingError('ACCOUNT_NOT_FOUND', `There is no account with the id "${accountId}".`);
  return account;
}

/** A YYYY-MM-DD day, named by `what` in the sentence ("The note's date", "The goal's target date"). */
export function checkedDay(value: string, what: string): string {
  const day = value.trim();
  if (!isIsoDay(day))
    throw new UserFacingError('INVALID_DATE', `${what} "${value}" is not a day written as YYYY-MM-DD.`);
  return day;
}

/**
 * Who signed a note: an email address (the owner identity the rest of the app matches on), or
 * null. "not an email" would be stored and shown as a signature nobody can be found by.
 */
export function checkedAuthor(email: string | null | undefined, what: string): string | null {
  const author = email?.trim() || null;
  if (author !== null && !z.email().safeParse(author).success)
    throw new UserFacingError('INVALID_EMAIL', `${what} "${author}" is not an email address.`);
  return author;
}

/** Trimmed text between 1 and `max` characters; `required` and `tooLong` are the sentences' subjects. */
export function checkedText(value: string, max: number, what: { field: string; required: string }): string {
  const text = value.trim();
  if (!text) throw new UserFacingError('SUCCESS_PLAN_TEXT_REQUIRED', what.required);
  const tooLong = tooLongSentence(what.field, text, max);
  if (tooLong) throw new UserFacingError('SUCCESS_PLAN_TEXT_TOO_LONG', tooLong);
  return text;
}
