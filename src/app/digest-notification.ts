/**
 * Whether the morning digest notification is due now, and what it says. Everything but showing it
 * lives here, in plain Node, so it is tested without Electron; the desktop shell's adapter
 * (src/main/notifications.ts) only shows the result.
 *
 * Once a day, at or after the preference time (Settings → Preferences, local time) while the app
 * runs. The day is recorded even when there is nothing to say, so it is never sent twice a day.
 */
import type { Db } from '../domain/db/open.ts';
import { metaRepo } from '../domain/db/repos/meta.ts';
import { buildDigestNotification, type DigestNotification } from '../domain/desktop/digest.ts';
import { morningDigest } from '../domain/digest/morning.ts';
import { digestSinceDay, isDigestDue, localDay } from '../domain/digest/schedule.ts';
import { effectiveOwnerEmail } from './handlers/desktop.ts';
import type { Preferences } from './preferences.ts';

export const LAST_DIGEST_KEY = 'desktop.last_digest_day';

/** The notification to show now, or null (not due, turned off, already sent today, or nothing to say). */
export function dueDigestNotification(db: Db, preferences: Preferences, now: Date): DigestNotification | null {
  const { notifications } = preferences;
  if (!notifications.enabled || !notifications.dailyDigest) return null;
  const meta = metaRepo(db);
  const lastSent = meta.get(LAST_DIGEST_KEY);
  if (!isDigestDue(now, notifications.digestTime, lastSent)) return null;
  meta.set(LAST_DIGEST_KEY, localDay(now));
  const digest = morningDigest(db, {
    asOf: localDay(now),
    since: digestSinceDay(now, lastSent),
    // "My accounts" from the preference (mirrored with the book), never guessed.
    owner: effectiveOwnerEmail(db, preferences),
  });
  return buildDigestNotification(digest);
}
