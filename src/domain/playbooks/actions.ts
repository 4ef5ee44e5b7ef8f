/**
 * Acting on a tier-1 or tier-2 step. Approving an automated-outreach step renders its template for
 * the account (the composer's own draft, with the guard's checks) and queues it for the user's SMTP
 * server; once sent it is logged like any sent mail (an intervention, a touch, the item in
 * progress; mail/deliver.ts). Handing a self-healing step to the product logs an `in_app`
 * intervention, which the feed outbox pushes to the product (docs/feed-protocol.md).
 */
import type { Db } from '../db/open.ts';
import { UserFacingError } from '../errors.ts';
import { logIntervention } from '../interventions/log.ts';
import { queueMail } from '../mail/enqueue.ts';
import { buildDraft } from '../outreach/draft.ts';
import { isTriggerId } from '../risk/catalog.ts';
import { startItem } from '../risk/items.ts';
import type { MailRow } from '../../shared/dto/mail.ts';
import type { OutreachDraft } from '../../shared/dto/outreach.ts';
import type { PlaybookTask } from '../../shared/dto/playbooks.ts';
import type { TaskListRow } from './repo.ts';
import { finishTask, pendingTask } from './tasks.ts';

function tierOrThrow(taskId: number, tier: number, wanted: 1 | 2, what: string) {
  if (tier !== wanted)
    throw new UserFacingError(
      'TASK_TIER',
      `Task ${taskId} is a tier-${tier} step; only a tier-${wanted} step ${what}.`,
    );
}

/** The step's email as the composer would draft it for the account now (with the guard's verdict). */
export function taskDraft(db: Db, task: TaskListRow, now: Date): OutreachDraft {
  return buildDraft(
    db,
    { accountId: task.account_id, riskItemId: task.item_id, templateId: task.template_id, channel: 'email' },
    now,
  );
}

/** The contact the step's email goes to, or a sentence saying why it cannot be sent. */
export function draftRecipient(task: TaskListRow, draft: OutreachDraft): string {
  if (draft.blocked) throw new UserFacingError('OUTREACH_BLOCKED', draft.blocked);
  const contactId = draft.to?.email ? draft.to.contactId : null;
  if (!contactId)
    throw new UserFacingError(
      'NO_EMAIL',
      `No contact at ${task.account_name} has an email address on record, so “${task.title}” cannot be sent.`,
    );
  return contactId;
}

/**
 * Renders and queues the step's email; the caller flushes the queue. `draft` is the one the caller
 * already checked (the rule runner), else it is drafted here.
 */
export function approveOutreachTask(
  db: Db,
  taskId: number,
  by: string | null,
  now: Date,
  checked?: OutreachDraft,
): { task: PlaybookTask; mail: MailRow } {
  const task = pendingTask(db, taskId);
  tierOrThrow(taskId, task.tier, 2, 'sends an email');
  const draft = checked ?? taskDraft(db, task, now);
  const contactId = draftRecipient(task, draft);
  // Immediate: the pending check and the write hold the write lock together, so two runs (the
  // app's tick and `foresight tasks run-due`) cannot both queue the same step.
  return db
    .transaction(() => {
      const mail = queueMail(
        db,
        {
          accountId: task.account_id,
          triggerId: task.trigger_id,
          riskItemId: task.item_id,
          templateId: draft.template?.id ?? task.template_id,
          to: [contactId],
          subject: draft.subject ?? '',
          body: draft.body ?? '',
        },
        now,
      );
      const done = finishTask(db, taskId, { status: 'done', by, mailId: mail.mail_id }, now);
      return { task: done, mail };
    })
    .immediate();
}

/** Logs the step as an in-product action for the product to carry out, and starts the item. */
export function handTaskToProduct(db: Db, taskId: number, by: string | null, now: Date): PlaybookTask {
  const task = pendingTask(db, taskId);
  tierOrThrow(taskId, task.tier, 1, 'is handed to the product');
  if (!isTriggerId(task.trigger_id))
    throw new UserFacingError('UNKNOWN_TRIGGER', `There is no trigger called "${task.trigger_id}".`);
  const triggerId = task.trigger_id;
  return db.transaction(() => {
    const logged = logIntervention(
      db,
      {
        accountId: task.account_id,
        triggerId,
        riskItemId: task.item_id,
        channel: 'in_app',
        status: 'sent',
        sentAt: now.toISOString(),
        notes: `Handed to the product: ${task.title}`,
      },
      now,
    );
    if (task.item_status === 'open') startItem(db, task.item_id, now.toISOString());
    return finishTask(db, taskId, { status: 'done', by, interventionId: logged.intervention_id }, now);
  })();
}
