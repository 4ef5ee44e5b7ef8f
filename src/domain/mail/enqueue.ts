/**
 * Queues an email for the user's SMTP server. Recipients are chosen among the account's contacts
 * (To and CC), and the same checks as "Mark as sent" run first, so nothing is sent that could not
 * be logged as a touch.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/open.ts';
import { contactsRepo } from '../db/repos/contacts.ts';
import { UserFacingError } from '../errors.ts';
import { assertTouchAllowed } from '../outreach/send.ts';
import type { MailRow } from '../../shared/dto/mail.ts';
import { mailRepo, toMailRow, type MailDbRow } from './repo.ts';
import { loadSmtpSettings } from './settings.ts';

export interface MailRequest {
  accountId: string;
  triggerId?: string | null;
  riskItemId?: number | null;
  templateId?: string | null;
  /** Contact ids of the account. */
  to: readonly string[];
  cc?: readonly string[];
  subject: string;
  body: string;
  /** Not sent before this time (ISO): the customer's next working hour. */
  notBefore?: string | null;
}

type Address = { name: string | null; email: string };

function recipients(db: Db, accountId: string, ids: readonly string[], field: 'To' | 'CC'): Address[] {
  const contacts = new Map(
    contactsRepo(db)
      .forAccount(accountId)
      .map((c) => [c.contact_id, c]),
  );
  return ids.map((id) => {
    const contact = contacts.get(id);
    if (!contact) throw new UserFacingError('CONTACT_NOT_FOUND', `${field}: "${id}" is not a contact of this account.`);
    if (!contact.email)
      throw new UserFacingError('NO_EMAIL', `${field}: ${contact.name ?? id} has no email address on record.`);
    return { name: contact.name, email: contact.email };
  });
}

/**
 * The Message-ID every attempt of this message carries, so a server that received it once can drop
 * a second copy. Its right side is the From address's domain, as mail clients do.
 */
export function newMessageId(db: Db): string {
  const domain = loadSmtpSettings(db)?.fromEmail.split('@')[1] ?? 'foresight.local';
  return `<${randomUUID()}@${domain}>`;
}

export function queueMail(db: Db, request: MailRequest, now: Date): MailRow {
  assertTouchAllowed(db, { accountId: request.accountId, triggerId: request.triggerId ?? null, channel: 'email' }, now);
  const to = recipients(db, request.accountId, request.to, 'To');
  if (to.length === 0) throw new UserFacingError('NO_RECIPIENT', 'Choose at least one recipient in To.');
  const cc = recipients(db, request.accountId, request.cc ?? [], 'CC');
  if (!request.subject.trim()) throw new UserFacingError('NO_SUBJECT', 'An email needs a subject.');
  const row: MailDbRow = {
    mail_id: `mail_${randomUUID()}`,
    account_id: request.accountId,
    risk_item_id: request.riskItemId ?? null,
    trigger_id: request.triggerId ?? null,
    template_id: request.templateId ?? null,
    to_json: JSON.stringify(to),
    cc_json: JSON.stringify(cc),
    subject: request.subject.trim(),
    body: request.body,
    status: 'queued',
    attempts: 0,
    last_error: null,
    message_id: newMessageId(db),
    queued_at: now.toISOString(),
    sent_at: null,
    not_before: request.notBefore ?? null,
    last_attempt_at: null,
  };
  mailRepo(db).insert(row);
  return toMailRow(row);
}
