/**
 * When the morning digest notification is due, in the user's local time. Pure: the clock is a
 * parameter. The desktop app asks on each housekeeping tick (src/app/digest-notification.ts).
 */

/** The local calendar day of an instant, YYYY-MM-DD. */
export function localDay(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** The digest is due once a day, at or after `digestTime` local, if today's has not been sent. */
export function isDigestDue(now: Date, digestTime: string, lastSentDay: string | null): boolean {
  if (lastSentDay === localDay(now)) return false;
  const [hours, minutes] = digestTime.split(':').map(Number);
  const dueAt = new Date(now.getFullYear(), now.getMonth(), now.getDate(), hours ?? 9, minutes ?? 0);
  return now.getTime() >= dueAt.getTime();
}

/**
 * The first day whose newly fired items count as new: the day after the last digest, or yesterday
 * for the first one. A gap of several days (the app was closed) is covered whole.
 */
export function digestSinceDay(now: Date, lastSentDay: string | null): string {
  if (lastSentDay) {
    const [y, m, d] = lastSentDay.split('-').map(Number);
    return localDay(new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + 1));
  }
  return localDay(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1));
}
