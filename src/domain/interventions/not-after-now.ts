import { UserFacingError } from '../errors.ts';

/** A clock a few minutes ahead on another laptop (or the hub) is not a touch from the future. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * A touch that was sent (or a reply that came) cannot lie in the future: it would count in the
 * Interventions list but in no outcome, and the export would drop it. A touch for later is planned.
 */
export function notAfterNow(at: string, what: 'sent' | 'reply', now: Date): string {
  if (Date.parse(at) <= now.getTime() + CLOCK_SKEW_MS) return at;
  throw new UserFacingError(
    'FUTURE_TIME',
    what === 'sent'
      ? `The sent time ${at.slice(0, 16).replace('T', ' ')} UTC is in the future; log a touch once it has gone out, or log it as planned.`
      : `The reply time ${at.slice(0, 16).replace('T', ' ')} UTC is in the future; record a reply once it has come.`,
  );
}

/**
 * A report or export "as of" a day that has not happened would decide open windows on days with no
 * data yet (a success dated next month), and its rows, carrying that later as-of day, would then
 * win every merge against genuine exports until that day came. Today is the UTC day, as `asOf`
 * defaults to.
 */
export function notAfterToday(asOf: string, now: Date): string {
  const today = now.toISOString().slice(0, 10);
  if (asOf <= today) return asOf;
  throw new UserFacingError(
    'FUTURE_AS_OF',
    `The as-of day ${asOf} is after today (${today}, UTC); outcomes can only be judged on days that have passed.`,
  );
}
