/** SQL for the mail queue, the outbox (migrations 14 and 33). */
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import { MAIL_LIST_LIMIT, type MailRow, type MailStatus } from '../../shared/dto/mail.ts';

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
  not_before: string | null;
  last_attempt_at: string | null;
  /** Read with the list, from accounts. */
  account_name?: string | null;
}

export const mailRepo = perConnection((db: Db) => {
  const insert = db.prepare<MailDbRow>(
    `INSERT INTO mail_queue (mail_id, account_id, risk_item_id, trigger_id, template_id, to_json, cc_json, subject, body, status, attempts, last_error, message_id, queued_at, sent_at, not_before, last_attempt_at)
     VALUES (@mail_id, @account_id, @risk_item_id, @trigger_id, @template_id, @to_json, @cc_json, @subject, @body, @status, @attempts, @last_error, @message_id, @queued_at, @sent_at, @not_before, @last_attempt_at)`,
  );
  // Due: queued, and its not-before time (if any) has come.
  const due = db.prepare<[string], MailDbRow>(
    "SELECT * FROM mail_queue WHERE status = 'queued' AND (not_before IS NULL OR not_before <= ?) ORDER BY queued_at, mail_id",
  );
  const queuedCount = db
    .prepare<[], number>("SELECT count(*) FROM mail_queue WHERE status IN ('queued', 'sending')")
    .pluck();
  // Accounts with mail still on its way (queued or being sent): a rule send waits for it.
  const queuedAccounts = db
    .prepare<[], string>("SELECT DISTINCT account_id FROM mail_queue WHERE status IN ('queued', 'sending')")
    .pluck();
  const get = db.prepare<[string], MailDbRow>(
    'SELECT m.*, a.name AS account_name FROM mail_queue m JOIN accounts a ON a.account_id = m.account_id WHERE m.mail_id = ?',
  );
  const list = db.prepare<{ account: string | null; status: string | null }, MailDbRow>(
    `SELECT m.*, a.name AS account_name FROM mail_queue m JOIN accounts a ON a.account_id = m.account_id
     WHERE (@account IS NULL OR m.account_id = @account) AND (@status IS NULL OR m.status = @status)
     ORDER BY m.queued_at DESC, m.mail_id DESC LIMIT ${MAIL_LIST_LIMIT}`,
  );
  // Claiming a row is one UPDATE guarded by its status, so two flushes (the app's tick and a CLI
  // run) cannot both hand the same message to a server.
  const claim = db.prepare<[string, string]>(
    "UPDATE mail_queue SET status = 'sending', attempts = attempts + 1, last_attempt_at = ? WHERE mail_id = ? AND status = 'queued'",
  );
  const sent = db.prepare<[string, string]>(
    "UPDATE mail_queue SET status = 'sent', last_error = NULL, sent_at = ? WHERE mail_id = ? AND status = 'sending'",
  );
  const settle = db.prepare<[string, string | null, string]>(
    "UPDATE mail_queue SET status = ?, last_error = ? WHERE mail_id = ? AND status = 'sending'",
  );
  const requeue = db.prepare<[string | null, string, string]>(
    `UPDATE mail_queue SET status = 'queued', last_error = NULL, not_before = ? WHERE mail_id = ? AND status = ?`,
  );
  // A message left 'sending' by a process that stopped mid-attempt: it may have gone.
  const abandon = db.prepare<[string, string]>(
    "UPDATE mail_queue SET status = 'unknown', last_error = ? WHERE status = 'sending' AND last_attempt_at < ?",
  );
  const cancel = db.prepare<[string]>(
    "UPDATE mail_queue SET status = 'cancelled' WHERE mail_id = ? AND status = 'queued'",
  );
  return {
    insert: (row: MailDbRow) => insert.run(row),
    /** Queued messages whose time has come at `now` (ISO). */
    due: (now: string) => due.all(now),
    queuedCount: () => queuedCount.get() ?? 0,
    queuedAccounts: () => queuedAccounts.all(),
    get: (id: string) => get.get(id),
    list: (filter: { accountId?: string | null; status?: MailStatus | null }) =>
      list.all({ account: filter.accountId ?? null, status: filter.status ?? null }).map(toMailRow),
    /** True when this caller now holds the message; false when another flush took it first. */
    claim: (id: string, at: string) => claim.run(at, id).changes === 1,
    markSent: (id: string, at: string) => sent.run(at, id),
    settle: (id: string, status: 'queued' | 'failed' | 'unknown', error: string | null) =>
      settle.run(status, error, id),
    /** Puts a failed or unknown message back in the queue (the user's retry); false if it was not `from`. */
    requeue: (id: string, from: MailStatus, notBefore: string | null = null) =>
      requeue.run(notBefore, id, from).changes === 1,
    cancel: (id: string) => cancel.run(id).changes === 1,
    /** Marks 'sending' rows last tried before `before` (ISO) as unknown; returns how many. */
    abandonSending: (before: string, reason: string) => abandon.run(reason, before).changes,
  };
});

export function toMailRow(r: MailDbRow): MailRow {
  return {
    mail_id: r.mail_id,
    account_id: r.account_id,
    account_name: r.account_name ?? null,
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
    message_id: r.message_id,
    not_before: r.not_before,
    last_attempt_at: r.last_attempt_at,
  };
}
