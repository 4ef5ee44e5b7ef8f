/**
 * Sends what is in the mail queue through the user's SMTP server: right after a message is queued,
 * on every background tick and when the network comes back (main and serve.ts call this from
 * their sync tick). Accounts that got mail are rescored so the touch shows at once.
 */
import { flushMailQueue, smtpTransport } from '../../domain/mail/deliver.ts';
import { mailRepo } from '../../domain/mail/repo.ts';
import { loadSmtpSettings, smtpPassword } from '../../domain/mail/settings.ts';
import type { FlushResult } from '../../shared/dto/mail.ts';
import type { AppContext } from '../context.ts';
import { rescoreTouchedAccount } from './touch-rescore.ts';

let running: Promise<FlushResult> | null = null;

export function sendQueuedMail(ctx: AppContext): Promise<FlushResult> {
  // One flush at a time: a tick and a click must not send the same message twice.
  running ??= flush(ctx).finally(() => (running = null));
  return running;
}

async function flush(ctx: AppContext): Promise<FlushResult> {
  const queued = mailRepo(ctx.db).queuedAccounts();
  if (queued.length === 0) return { sent: 0, waiting: 0, failed: 0, problem: null };
  const settings = loadSmtpSettings(ctx.db);
  if (!settings)
    return {
      sent: 0,
      waiting: queued.length,
      failed: 0,
      problem: 'Set up your SMTP server in Settings → Outreach to send email.',
    };
  const { password, problem } = await smtpPassword(settings, ctx.secrets);
  if (problem) return { sent: 0, waiting: queued.length, failed: 0, problem: `Email waits: ${problem}.` };
  const result = await flushMailQueue(ctx.db, smtpTransport(settings, password), settings, () => ctx.now());
  if (result.sent > 0) for (const accountId of queued) rescoreTouchedAccount(ctx, accountId);
  ctx.emit({ type: 'data-changed', kinds: ['interventions'] });
  return result;
}
