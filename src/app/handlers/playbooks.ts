import { userInfo } from 'node:os';
import { todayIso } from '../../domain/contract/dates.ts';
import type { Db } from '../../domain/db/open.ts';
import { metaRepo } from '../../domain/db/repos/meta.ts';
import { mailRepo, toMailRow } from '../../domain/mail/repo.ts';
import { approveOutreachTask, handTaskToProduct } from '../../domain/playbooks/actions.ts';
import { listPlaybooks, resetPlaybook, savePlaybook } from '../../domain/playbooks/config.ts';
import { ruleSendSettings, saveRuleSendSettings } from '../../domain/playbooks/rule-switch.ts';
import { finishTask, listTaskPage } from '../../domain/playbooks/tasks.ts';
import type { AppContext } from '../context.ts';
import type { HandlerMap } from '../dispatcher.ts';
import { sendQueuedMail } from '../services/mail.ts';
import { sendDueByRule } from '../services/rule-sends.ts';
import { OWNER_IDENTITY_KEY } from './risk.ts';

/** Who is acting: the owner email set in Settings, else this computer's user name. */
export function actor(db: Db): string {
  return metaRepo(db).get(OWNER_IDENTITY_KEY) ?? userInfo().username;
}

function changed(ctx: AppContext) {
  ctx.emit({ type: 'data-changed', kinds: ['risk', 'interventions'] });
}

export const playbookHandlers = {
  'playbooks.list': (_input, ctx) => listPlaybooks(ctx.db),
  'playbooks.save': (input, ctx) => {
    const view = savePlaybook(ctx.db, input.triggerId, input.steps);
    ctx.emit({ type: 'data-changed', kinds: ['playbooks'] });
    return view;
  },
  'playbooks.reset': (input, ctx) => {
    const view = resetPlaybook(ctx.db, input.triggerId);
    ctx.emit({ type: 'data-changed', kinds: ['playbooks'] });
    return view;
  },
  'tasks.list': (input, ctx) =>
    listTaskPage(ctx.db, { ...input, asOf: input.asOf ?? todayIso(ctx.now()) }, ctx.now().toISOString()),
  'tasks.done': (input, ctx) => {
    const task = finishTask(ctx.db, input.taskId, { status: 'done', by: actor(ctx.db), note: input.note }, ctx.now());
    changed(ctx);
    return task;
  },
  'tasks.skip': (input, ctx) => {
    const task = finishTask(
      ctx.db,
      input.taskId,
      { status: 'skipped', by: actor(ctx.db), note: input.note },
      ctx.now(),
    );
    changed(ctx);
    return task;
  },
  'tasks.approve': async (input, ctx) => {
    const { task, mail } = approveOutreachTask(ctx.db, input.taskId, actor(ctx.db), ctx.now());
    const flushed = await sendQueuedMail(ctx, mail.mail_id);
    changed(ctx);
    // The row as it is after the attempt: sent, or still queued with the reason.
    const after = mailRepo(ctx.db).get(mail.mail_id);
    return { task, mail: after ? toMailRow(after) : mail, flushed };
  },
  'tasks.handToProduct': (input, ctx) => {
    const task = handTaskToProduct(ctx.db, input.taskId, actor(ctx.db), ctx.now());
    changed(ctx);
    return task;
  },
  'playbooks.rules.get': (_input, ctx) => ruleSendSettings(ctx.db),
  'playbooks.rules.save': (input, ctx) => {
    const settings = saveRuleSendSettings(ctx.db, input);
    ctx.emit({ type: 'data-changed', kinds: ['playbooks', 'risk'] });
    return settings;
  },
  'tasks.runDue': (_input, ctx) => sendDueByRule(ctx),
} satisfies Partial<HandlerMap>;
