/**
 * Sends the queued mail through the user's SMTP server. A server that cannot be reached (offline,
 * refused, timed out) or answers "try later" leaves the message queued for the next attempt (the
 * background tick, which also runs when the network comes back); a message the server rejects for
 * good fails with the server's reason. Each message sent is logged as a CSM touch.
 */
import nodemailer from 'nodemailer';
import { addActivity } from '../activities/activities.ts';
import type { Db } from '../db/open.ts';
import { markSent } from '../outreach/send.ts';
import { tasksRepo } from '../playbooks/repo.ts';
import { RULE_ACTOR } from '../../shared/dto/playbooks.ts';
import type { FlushResult, SmtpSettings } from '../../shared/dto/mail.ts';
import { mailRepo, type MailDbRow } from './repo.ts';

type Address = { name: string | null; email: string };

export interface OutgoingMessage {
  from: Address;
  to: Address[];
  cc: Address[];
  subject: string;
  text: string;
}

/** What sends one message; nodemailer in the app, the same over a local server in the tests. */
export interface MailTransport {
  send(message: OutgoingMessage): Promise<{ messageId: string }>;
}

const address = (a: Address) => (a.name ? { name: a.name, address: a.email } : a.email);

export function smtpTransport(settings: SmtpSettings, password: string | null): MailTransport {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    ...(settings.username ? { auth: { user: settings.username, pass: password ?? '' } } : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  return {
    async send(message) {
      const info = await transport.sendMail({
        from: address(message.from),
        to: message.to.map(address),
        cc: message.cc.map(address),
        subject: message.subject,
        text: message.text,
      });
      return { messageId: info.messageId };
    },
  };
}

const UNREACHABLE = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'ECONNREFUSED', 'ENOTFOUND', 'EPROXY']);

/** Whether to try again later, and the reason in a sentence (no stack, no password). */
export function classifySendError(error: unknown, settings: SmtpSettings): { retry: boolean; reason: string } {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string };
  const server = `${settings.host}:${settings.port}`;
  if (e.code && UNREACHABLE.has(e.code))
    return {
      retry: true,
      reason: `The SMTP server ${server} could not be reached (${e.code}); the message stays queued.`,
    };
  if (e.code === 'EAUTH')
    return {
      retry: true,
      reason: `The SMTP server ${server} refused the login; check the username and password in Settings.`,
    };
  if (e.code === 'ETLS')
    return {
      retry: true,
      reason: `A secure connection to ${server} failed; check the security setting (TLS or STARTTLS).`,
    };
  const reply = (e.response ?? e.message ?? 'no reason given').split('\n')[0]!.slice(0, 200);
  if (e.responseCode !== undefined && e.responseCode >= 400 && e.responseCode < 500)
    return { retry: true, reason: `The SMTP server asked to try later: ${reply}` };
  return { retry: false, reason: `The SMTP server rejected the message: ${reply}` };
}

/** Logs a sent message as a touch: an intervention on its play, or an email activity without one. */
function logSent(db: Db, mail: MailDbRow, now: Date): void {
  const to = (JSON.parse(mail.to_json) as Address[]).map((a) => a.name ?? a.email).join(', ');
  if (mail.trigger_id) {
    try {
      markSent(
        db,
        {
          accountId: mail.account_id,
          triggerId: mail.trigger_id,
          riskItemId: mail.risk_item_id,
          templateId: mail.template_id,
          channel: 'email',
          to,
          subject: mail.subject,
          byRule: tasksRepo(db).byMail(mail.mail_id)?.done_by === RULE_ACTOR,
        },
        now,
      );
      return;
    } catch {
      // It was checked when queued; if the cap or control group changed since, the mail has still
      // gone out, so it is logged as the touch it is, without a play to judge.
    }
  }
  addActivity(
    db,
    { accountId: mail.account_id, type: 'email', summary: `“${mail.subject}” to ${to}`, at: undefined },
    now,
  );
}

export async function flushMailQueue(
  db: Db,
  transport: MailTransport,
  settings: SmtpSettings,
  now: () => Date,
): Promise<FlushResult> {
  const repo = mailRepo(db);
  const result: FlushResult = { sent: 0, waiting: 0, failed: 0, problem: null };
  for (const mail of repo.queued()) {
    try {
      const { messageId } = await transport.send({
        from: { name: settings.fromName, email: settings.fromEmail },
        to: JSON.parse(mail.to_json) as Address[],
        cc: JSON.parse(mail.cc_json) as Address[],
        subject: mail.subject,
        text: mail.body,
      });
      const at = now();
      db.transaction(() => {
        repo.markSent(mail.mail_id, messageId, at.toISOString());
        logSent(db, mail, at);
      })();
      result.sent += 1;
    } catch (error) {
      const { retry, reason } = classifySendError(error, settings);
      repo.markAttempt(mail.mail_id, retry ? 'queued' : 'failed', reason);
      if (retry) {
        // The server is down or refusing everyone: the rest would fail the same way.
        result.waiting = repo.queued().length;
        result.problem = reason;
        break;
      }
      result.failed += 1;
    }
  }
  return result;
}
