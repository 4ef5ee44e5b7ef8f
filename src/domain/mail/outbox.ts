/**
 * What a CSM can do with a message in the outbox: send a failed or unknown one again (the user
 * decides; it keeps its Message-ID, so a server that has the first copy can drop this one) or cancel
 * one still queued. The app (handlers/mail.ts) and the CLI (`foresight mail`) both act through here.
 */
import type { Db } from '../db/open.ts';
import { UserFacingError } from '../errors.ts';
import { MAIL_STATUS_WORDS, type MailRow } from '../../shared/dto/mail.ts';
import { mailRepo, toMailRow, type MailDbRow } from './repo.ts';

function find(db: Db, mailId: string): MailDbRow {
  const row = mailRepo(db).get(mailId);
  if (!row) throw new UserFacingError('MAIL_NOT_FOUND', `There is no message "${mailId}" in the outbox.`);
  return row;
}

export function retryMail(db: Db, mailId: string): MailRow {
  const row = find(db, mailId);
  if ((row.status !== 'failed' && row.status !== 'unknown') || !mailRepo(db).requeue(mailId, row.status))
    throw new UserFacingError(
      'MAIL_NOT_RETRYABLE',
      `Only a failed message or one whose delivery is unknown can be retried; this one is “${MAIL_STATUS_WORDS[row.status]}”.`,
    );
  return toMailRow(find(db, mailId));
}

export function cancelMail(db: Db, mailId: string): MailRow {
  const row = find(db, mailId);
  if (row.status !== 'queued' || !mailRepo(db).cancel(mailId))
    throw new UserFacingError(
      'MAIL_NOT_CANCELLABLE',
      `Only a queued message can be cancelled; this one is “${MAIL_STATUS_WORDS[row.status]}”.`,
    );
  return toMailRow(find(db, mailId));
}
