/**
 * Outreach marked as sent (or sent through SMTP) counts as a CSM touch and starts its risk item.
 * Kept apart from send.ts so every way of sending (the composer, the mail queue) does the same.
 */
import type { Db } from '../db/open.ts';
import { itemsRepo, startItem } from '../risk/items.ts';
import { CHANNEL_LABELS, type OutreachChannel } from '../outreach/channels.ts';
import { writeTouchEvent } from './touch.ts';

export interface SentTouch {
  accountId: string;
  interventionId: string;
  riskItemId?: number | null;
  channel: OutreachChannel;
  to?: string | null;
  subject?: string | null;
  /** Sent by a playbook rule, without a person's approval: the touch says so. */
  byRule?: boolean;
}

export function recordSentTouch(db: Db, sent: SentTouch, now: Date): void {
  const to = sent.to ? ` to ${sent.to}` : '';
  const subject = sent.subject ? `: “${sent.subject}”` : '';
  db.transaction(() => {
    writeTouchEvent(db, {
      eventId: `touch_${sent.interventionId}`,
      accountId: sent.accountId,
      occurredAt: now.toISOString(),
      contactId: null,
      detail: `${CHANNEL_LABELS[sent.channel]} sent ${sent.byRule ? 'by rule ' : ''}from Foresight${to}${subject}`,
    });
    if (sent.riskItemId != null) {
      const item = itemsRepo(db).get(sent.riskItemId);
      if (item?.status === 'open') startItem(db, item.item_id, now.toISOString());
    }
  })();
}
