/**
 * Small pieces of wording the trigger modules share: how a window of days reads to a customer, a
 * share as a rounded percentage, and a contact's first name.
 */
import { formatDay, formatPercent } from '../../outreach/format.ts';
import type { CustomerContext } from './define.ts';

const COUNT_WORDS = ['', 'one', 'two', 'three', 'four'];

/**
 * The span after "the last" or "the most in": 1 → "day", 7 → "week", 14 → "two weeks",
 * 90 → "three months", 10 → "10 days". Thirty days stay "30 days", which is what a customer counts.
 */
export function spanOfDays(days: number): string {
  if (days === 1) return 'day';
  if (days === 7) return 'week';
  const weeks = days / 7;
  if (Number.isInteger(weeks) && weeks <= 4) return `${COUNT_WORDS[weeks]} weeks`;
  const months = days / 30;
  if (Number.isInteger(months) && months >= 2 && months <= 4) return `${COUNT_WORDS[months]} months`;
  return `${days} days`;
}

/** Percentages in customer text are rounded; "0%" or "100%" would read as nonsense. */
export function percentText(share: number | null | undefined, locale: string | null): string {
  if (share === null || share === undefined || share <= 0.005) return '';
  return formatPercent(Math.min(share, 0.99), locale);
}

/** A day written out in the customer's locale, or '' when unknown. */
export function dayText(day: string | null | undefined, locale: string | null): string {
  return day ? formatDay(day, locale) : '';
}

/** The first name of the person a fact names, or the contact it refers to by id. */
export function firstName(
  name: string | null | undefined,
  contactId: string | null | undefined,
  ctx: CustomerContext,
): string | null {
  const trimmed = name?.trim();
  if (trimmed) return trimmed.split(/\s+/)[0] ?? null;
  return contactId ? (ctx.contactNames.get(contactId) ?? null) : null;
}
