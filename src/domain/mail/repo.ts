/** SQL for the mail queue (migration 14). */
import type { Db } from '../db/open.ts';
import type { MailRow, MailStatus } from '../../shared/dto/mail.ts';

export interface MailDbRow {
  mail_id: string;
  account_id: string;
  risk_item_id: number | null;
  trigger_id: string | null;
  template_id: string | null;
  to_json: string;
  cc_json: string;
  subject: string;
  body: string;
  status: MailStatus;
  attempts: number;
  last_error: string | null;
  message_id: string | null;
  queued_at: string;
  sent_at: string | null;
}

export function mailRepo(db: Db) {
  const insert = db.prepare<MailDbRow>(
    `INSERT INTO mail_queue (mail_id, account_id, risk_item_id, trigger_id, template_id, to_json, cc_json, subject, body, status, attempts, last_error, message_id, queued_at, sent_at)
     VALUES (@mail_id, @account_id, @risk_item_id, @trigger_id, @template_id, @to_json, @cc_json, @subject, @body, @status, @attempts, @last_error, @message_id, @queued_at, @sent_at)`,
  );
  const queued = db.prepare<[], MailDbRow>(
    "SELECT * FROM mail_queue WHERE status = 'queued' ORDER BY queued_at, mail_id",
  );
  const queuedAccounts = db
    .prepare<[], string>("SELECT DISTINCT account_id FROM mail_queue WHERE status = 'queued'")
    .pluck();
  const get = db.prepare<[string], MailDbRow>('SELECT * FROM mail_queue WHERE mail_id = ?');
  const list = db.prepare<{ account: string | null; status: string | null }, MailDbRow>(
    `SELECT * FROM mail_queue WHERE (@account IS NULL OR account_id = @account) AND (@status IS NULL OR status = @status)
     ORDER BY queued_at DESC LIMIT 200`,
  );
  const sent = db.prepare<[string, string, string]>(
    "UPDATE mail_queue SET status = 'sent', attempts = attempts + 1, last_error = NULL, message_id = ?, sent_at = ? WHERE mail_id = ?",
  );
  const attempt = db.prepare<[string, string, string]>(
    'UPDATE mail_queue SET status = ?, attempts = attempts + 1, last_error = ? WHERE mail_id = ?',
  );
  return {
    insert: (row: MailDbRow) => insert.run(row),
    queued: () => queued.all(),
    queuedAccounts: () => queuedAccounts.all(),
    get: (id: string) => get.get(id),
    list: (filter: { accountId?: string | null; status?: MailStatus | null }) =>
      list.all({ account: filter.accountId ?? null, status: filter.status ?? null }).map(toMailRow),
    markSent: (id: string, messageId: string, at: string) => sent.run(messageId, at, id),
    markAttempt: (id: string, status: 'queued' | 'failed', error: string) => attempt.run(status, error, id),
  };
}

export function toMailRow(r: MailDbRow): MailRow {
  return {
    mail_id: r.mail_id,
    account_id: r.account_id,
    risk_item_id: r.risk_item_id,
    trigger_id: r.trigger_id,
    to: JSON.parse(r.to_json) as MailRow['to'],
    cc: JSON.parse(r.cc_json) as MailRow['cc'],
    subject: r.subject,
    status: r.status,
    attempts: r.attempts,
    last_error: r.last_error,
    queued_at: r.queued_at,
    sent_at: r.sent_at,
  };
}
