/**
 * Sends what is in the mail queue through the user's SMTP server: right after a message is queued,
 * on every background tick and when the network comes back (main and serve.ts call this from
 * their sync tick). Accounts that got mail are rescored so the touch shows at once.
 */
import { flushConfiguredMail } from '../../domain/mail/flush.ts';
import { mailRepo } from '../../domain/mail/repo.ts';
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
  if (queued.length === 0) return { sent: 0, waiting: 0, failed: 0, unknown: 0, problem: null };
  const result = await flushConfiguredMail(ctx.db, ctx.secrets, () => ctx.now(), queued.length);
  if (result.sent > 0) for (const accountId of queued) rescoreTouchedAccount(ctx, accountId);
  ctx.emit({ type: 'data-changed', kinds: ['interventions'] });
  return result;
}
