import { app, Notification } from 'electron';
import type { Db } from '../domain/db/open.ts';
import { metaRepo } from '../domain/db/repos/meta.ts';
import { buildDigestNotification } from '../domain/desktop/digest.ts';
import { desktopRepo } from '../domain/desktop/repo.ts';
import { effectiveOwnerEmail } from '../app/handlers/desktop.ts';
import type { Preferences } from '../app/preferences.ts';
import { digestSinceDay, isDigestDue, localDay } from './background/daily.ts';

const LAST_DIGEST_KEY = 'desktop.last_digest_day';

// Held so the notification (and its click handler) is not garbage-collected while it is on screen.
let shown: Notification | null = null;

/** The badge: open high-priority risk items (of "my accounts" when an owner is set). */
export function refreshBadge(db: Db, preferences: Preferences, now: Date): number {
  const count = preferences.notifications.badge
    ? desktopRepo(db).highPriorityOpenCount({
        today: now.toISOString().slice(0, 10),
        owner: effectiveOwnerEmail(db, preferences),
      })
    : 0;
  app.setBadgeCount(count);
  return count;
}

/**
 * Sends today's digest if it is due. Clicking it brings the window forward on Today. The day is
 * recorded even when there was nothing new, so the digest is never sent twice in a day.
 */
export function sendDigestIfDue(db: Db, preferences: Preferences, now: Date, onClick: () => void): boolean {
  const { notifications } = preferences;
  if (!notifications.enabled || !notifications.dailyDigest) return false;
  const meta = metaRepo(db);
  const lastSent = meta.get(LAST_DIGEST_KEY);
  if (!isDigestDue(now, notifications.digestTime, lastSent)) return false;
  meta.set(LAST_DIGEST_KEY, localDay(now));
  const summary = desktopRepo(db).digestSummary({
    since: digestSinceDay(now, lastSent),
    today: now.toISOString().slice(0, 10),
    owner: effectiveOwnerEmail(db, preferences),
  });
  const text = buildDigestNotification(summary);
  if (!text || !Notification.isSupported()) return false;
  const notification = new Notification({ title: text.title, body: text.body, silent: false });
  notification.on('click', onClick);
  notification.on('close', () => {
    if (shown === notification) shown = null;
  });
  shown = notification;
  notification.show();
  return true;
}
