import { app, Notification } from 'electron';
import type { Db } from '../domain/db/open.ts';
import { desktopRepo } from '../domain/desktop/repo.ts';
import { dueDigestNotification } from '../app/digest-notification.ts';
import { effectiveOwnerEmail } from '../app/handlers/desktop.ts';
import type { Preferences } from '../app/preferences.ts';

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

/** Shows the morning digest if it is due (src/app/digest-notification.ts decides). Clicking it opens Today. */
export function sendDigestIfDue(db: Db, preferences: Preferences, now: Date, onClick: () => void): boolean {
  const text = dueDigestNotification(db, preferences, now);
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
