/**
 * Tier-2 steps sent by rule, from the app: queues the steps that may go now (domain
 * playbooks/rule-sends.ts) and sends the mail queue. Main and serve.ts call it on their background
 * tick (each minute, so a step waiting for the customer's working hours goes when they begin, and
 * after the day's scoring opens new items); `tasks.runDue` runs it on demand.
 */
import { queueRuleSends } from '../../domain/playbooks/rule-sends.ts';
import type { FlushResult } from '../../shared/dto/mail.ts';
import type { RuleSendRun } from '../../shared/dto/playbooks.ts';
import type { AppContext } from '../context.ts';
import { sendQueuedMail } from './mail.ts';

export async function sendDueByRule(ctx: AppContext): Promise<{ run: RuleSendRun; flushed: FlushResult }> {
  const run = queueRuleSends(ctx.db, ctx.now());
  if (run.queued.length > 0 || run.changed) ctx.emit({ type: 'data-changed', kinds: ['risk', 'interventions'] });
  const flushed = await sendQueuedMail(ctx);
  return { run, flushed };
}
