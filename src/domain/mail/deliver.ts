/**
 * Sends the queued mail through the user's SMTP server. A server that cannot be reached (offline,
 * refused, timed out before it had the message) or answers "try later" leaves the message queued
 * for the next attempt (the background tick, which also runs when the network comes back); a
 * message the server rejects for good fails with the server's reason. A message the server received
 * whole but never confirmed is `unknown`: it may have been delivered, so it is never sent again
 * without the user (a retry would be a second copy in the customer's inbox). Every attempt carries
 * the Message-ID chosen when the message was queued. Each message sent is logged as a CSM touch.
 */
import type { Readable } from 'node:stream';
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
  /** Kept from the queue, the same on every attempt. */
  messageId: string;
}

/**
 * A failure after the whole message was handed to the server (it was waiting for the final reply
 * to DATA): whether the server delivered it cannot be known.
 */
export class HandedOverError extends Error {
  constructor(cause: unknown) {
    super('The message was handed to the SMTP server, which did not confirm it.', { cause });
  }
}

/** What sends one message; nodemailer in the app, the same over a local server in the tests. */
export interface MailTransport {
  send(message: OutgoingMessage): Promise<{ messageId: string }>;
}

/** nodemailer's waits, in ms; the tests shorten them. */
export interface SmtpTimeouts {
  connectionTimeout: number;
  greetingTimeout: number;
  socketTimeout: number;
}
const TIMEOUTS: SmtpTimeouts = { connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 };

const address = (a: Address) => (a.name ? { name: a.name, address: a.email } : a.email);

export function smtpTransport(
  settings: SmtpSettings,
  password: string | null,
  timeouts: SmtpTimeouts = TIMEOUTS,
): MailTransport {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    ...(settings.username ? { auth: { user: settings.username, pass: password ?? '' } } : {}),
    ...timeouts,
  });
  // The SMTP client reads the message stream only after the server answered DATA with 354, so the
  // stream's end means the server has the whole message: from then on a lost reply is not "could
  // not be reached". Keyed by Message-ID, one flag per message being sent.
  const handedOver = new Map<string, boolean>();
  transport.use('stream', (mail, done) => {
    const id = String(mail.data.messageId);
    mail.message.processFunc((input: Readable) => {
      input.once('end', () => handedOver.set(id, true));
      return input;
    });
    done();
  });
  return {
    async send(message) {
      handedOver.set(message.messageId, false);
      try {
        await transport.sendMail({
          from: address(message.from),
          to: message.to.map(address),
          cc: message.cc.map(address),
          subject: message.subject,
          text: message.text,
          messageId: message.messageId,
        });
        return { messageId: message.messageId };
      } catch (error) {
        throw handedOver.get(message.messageId) ? new HandedOverError(error) : error;
      } finally {
        handedOver.delete(message.messageId);
      }
    },
  };
}

const UNREACHABLE = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'ECONNREFUSED', 'ENOTFOUND', 'EPROXY']);

export type SendOutcome = 'queued' | 'failed' | 'unknown';

/** What becomes of a message after a failed attempt, and the reason in a sentence (no stack, no password). */
export function classifySendError(error: unknown, settings: SmtpSettings): { outcome: SendOutcome; reason: string } {
  const server = `${settings.host}:${settings.port}`;
  if (error instanceof HandedOverError) {
    const e = error.cause as { responseCode?: number; response?: string };
    // A reply to the message itself is an answer: only silence (timeout, dropped line) is unknown.
    if (e.responseCode === undefined)
      return {
        outcome: 'unknown',
        reason: `The SMTP server ${server} received the whole message but never confirmed it, so it may have been delivered; it will not be sent again unless you retry it in the Outbox.`,
      };
    error = e;
  }
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string };
  if (e.code && UNREACHABLE.has(e.code))
    return {
      outcome: 'queued',
      reason: `The SMTP server ${server} could not be reached (${e.code}); the message stays queued.`,
    };
  if (e.code === 'EAUTH')
    return {
      outcome: 'queued',
      reason: `The SMTP server ${server} refused the login; check the username and password in Settings.`,
    };
  if (e.code === 'ETLS')
    return {
      outcome: 'queued',
      reason: `A secure connection to ${server} failed; check the security setting (TLS or STARTTLS).`,
    };
  const reply = (e.response ?? e.message ?? 'no reason given').split('\n')[0]!.slice(0, 200);
  if (e.responseCode !== undefined && e.responseCode >= 400 && e.responseCode < 500)
    return { outcome: 'queued', reason: `The SMTP server asked to try later: ${reply}` };
  return { outcome: 'failed', reason: `The SMTP server rejected the message: ${reply}` };
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

const ABANDONED_AFTER_MS = 15 * 60_000;

export async function flushMailQueue(
  db: Db,
  transport: MailTransport,
  settings: SmtpSettings,
  now: () => Date,
): Promise<FlushResult> {
  const repo = mailRepo(db);
  const result: FlushResult = { sent: 0, waiting: 0, failed: 0, unknown: 0, problem: null };
  // An attempt lasts at most the client's timeouts (about a minute); a row still 'sending' long
  // after was left by a process that stopped mid-attempt, so it may have been delivered.
  result.unknown += repo.abandonSending(
    new Date(now().getTime() - ABANDONED_AFTER_MS).toISOString(),
    'Foresight stopped while handing this message to the SMTP server, so it may have been delivered; it will not be sent again unless you retry it in the Outbox.',
  );
  for (const mail of repo.due(now().toISOString())) {
    if (!repo.claim(mail.mail_id, now().toISOString())) continue; // another flush has it
    try {
      await transport.send({
        from: { name: settings.fromName, email: settings.fromEmail },
        to: JSON.parse(mail.to_json) as Address[],
        cc: JSON.parse(mail.cc_json) as Address[],
        subject: mail.subject,
        text: mail.body,
        messageId: mail.message_id ?? `<${mail.mail_id}@foresight.local>`,
      });
      const at = now();
      db.transaction(() => {
        repo.markSent(mail.mail_id, at.toISOString());
        logSent(db, mail, at);
      })();
      result.sent += 1;
    } catch (error) {
      const { outcome, reason } = classifySendError(error, settings);
      repo.settle(mail.mail_id, outcome, reason);
      if (outcome === 'unknown') {
        result.unknown += 1;
        result.problem = reason;
      } else if (outcome === 'queued') {
        // The server is down or refusing everyone: the rest would fail the same way.
        result.waiting = repo.queuedCount();
        result.problem = reason;
        break;
      } else result.failed += 1;
    }
  }
  return result;
}
