/**
 * Sends what is in the mail queue through the user's SMTP server: right after a message is queued,
 * on every background tick and when the network comes back (main and serve.ts call this from
 * their sync tick). Accounts that got mail are rescored so the touch shows at once. A message that
 * fails, or whose delivery becomes unknown, on an attempt the user did not just start themselves is
 * announced with a notice, so a background failure is never silent.
 */
import { flushConfiguredMail } from '../../domain/mail/flush.ts';
import { mailRepo, toMailRow } from '../../domain/mail/repo.ts';
import type { FlushResult, MailRow } from '../../shared/dto/mail.ts';
import type { AppContext } from '../context.ts';
import { rescoreTouchedAccount } from './touch-rescore.ts';

let running: Promise<FlushResult> | null = null;

/** `watched`: the message the user just sent or retried, whose outcome their own screen reports. */
export function sendQueuedMail(ctx: AppContext, watched: string | null = null): Promise<FlushResult> {
  // One flush at a time: a tick and a click must not send the same message twice.
  running ??= flush(ctx, watched).finally(() => (running = null));
  return running;
}

const settledBadly = (m: MailRow) => m.status === 'failed' || m.status === 'unknown';

async function flush(ctx: AppContext, watched: string | null): Promise<FlushResult> {
  const repo = mailRepo(ctx.db);
  const queued = repo.queuedAccounts();
  if (queued.length === 0) return { sent: 0, waiting: 0, failed: 0, unknown: 0, problem: null };
  const before = new Set(repo.list({ status: 'queued' }).map((m) => m.mail_id));
  const result = await flushConfiguredMail(ctx.db, ctx.secrets, () => ctx.now(), queued.length);
  if (result.sent > 0) for (const accountId of queued) rescoreTouchedAccount(ctx, accountId);
  ctx.emit({ type: 'data-changed', kinds: ['interventions', 'mail'] });
  if (result.failed + result.unknown > 0) {
    const bad = [...before]
      .filter((id) => id !== watched)
      .map((id) => repo.get(id))
      .filter((row) => row !== undefined)
      .map(toMailRow)
      .filter(settledBadly);
    for (const mail of bad)
      ctx.emit({
        type: 'notice',
        tone: 'error',
        title: mail.status === 'unknown' ? 'Email delivery not confirmed' : 'Queued email failed',
        description: `${mail.account_name ?? mail.account_id}, “${mail.subject}”: ${mail.last_error ?? 'no reason given'}`,
        to: '/outbox',
      });
  }
  return result;
}
