/**
 * The bounds of a snooze, declared once for the API schema, the CLI and the snooze dialog
 * (docs/risk-engine.md, "Risk items"): a snooze hides an account from Today, so it may not run
 * further than SNOOZE_MAX_DAYS ahead nor past the account's renewal, and its reason, shown on the
 * account page, is capped like a note.
 */
import { z } from 'zod';
import { NOTE_MAX } from './success-plan.ts';

export const SNOOZE_MAX_DAYS = 90;
export const SNOOZE_REASON_MAX = NOTE_MAX;
/** The optional reason for dismissing or resolving an item. */
export const CLOSE_REASON_MAX = 500;

/** The reason as the API and the CLI take it: trimmed, required, at most SNOOZE_REASON_MAX characters. */
export const snoozeReason = z
  .string()
  .trim()
  .min(1, 'say why the account is snoozed')
  .max(SNOOZE_REASON_MAX)
  .meta({ title: 'snooze reason' });

/** `day` plus `days` (YYYY-MM-DD, UTC calendar days). */
function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The latest day a snooze made on `today` may run to. */
export function latestSnoozeDay(today: string): string {
  return addDays(today, SNOOZE_MAX_DAYS);
}

/**
 * Why a snooze until `until`, made on `today`, is refused (one sentence), or null when it may run:
 * after today, at most SNOOZE_MAX_DAYS ahead, and not past a renewal still to come (hidden past its
 * renewal, an account would miss it).
 */
export function snoozeUntilProblem(until: string, today: string, renewalDate: string | null): string | null {
  if (until <= today) return `Snooze until a date after ${today}, not ${until}.`;
  const latest = latestSnoozeDay(today);
  if (until > latest)
    return `Snooze for at most ${SNOOZE_MAX_DAYS} days, until ${latest} at the latest, so the account comes back to Today in time.`;
  if (renewalDate !== null && renewalDate >= today && until > renewalDate)
    return `Snooze until ${renewalDate} at the latest: the account renews then, and a snooze must not hide it past its renewal.`;
  return null;
}
