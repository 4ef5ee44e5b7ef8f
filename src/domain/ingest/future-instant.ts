/**
 * A record's `updated_at` decides which version of an account wins (repo.ts, updateWhen: an older
 * record never replaces a newer one). One far in the future (a typo, 2999 for 2029, or a hostile
 * feed) would win for ever, every later real update discarded as "older", so it is refused.
 * A day of slack: a source's clock, or a local time read as UTC, may be some hours ahead.
 */
export const FUTURE_SLACK_MS = 24 * 60 * 60_000;

/** The latest updated_at a record may carry when written at `now` (an ISO instant). */
export function latestUpdatedAt(now: string): number {
  return Date.parse(now) + FUTURE_SLACK_MS;
}

/** Why the record's updated_at is refused, or null. */
export function futureUpdatedAtReason(record: Readonly<Record<string, unknown>>, latest: number): string | null {
  const at = record.updated_at;
  if (typeof at !== 'string' || Date.parse(at) <= latest) return null;
  return `'${at}' is in the future; a record dated after today would outrank every real update of the account, so correct the date`;
}
