/**
 * Tier-2 steps sent by rule: a step marked "send automatically when due" is queued for the user's
 * SMTP server, without a person's approval, by each run (the app's background tick and the day's
 * scoring, `foresight tasks run-due`). A demanding CSM's guards, each a sentence on the checklist
 * while the step waits:
 * - the kill switch (rule-switch.ts) and an SMTP server set up, else nothing is queued at all;
 * - only pending steps due by today of live, unsnoozed items outside the control group;
 * - the composer's guard: the fatigue cap in Settings → Outreach, and the customer's working hours
 *   (in the account's time zone), so a rule never writes at night;
 * - a contact with an email address;
 * - one message per account at a time: an account with mail still queued waits for it to go;
 * - never twice: the task is finished in the same transaction that queues its mail.
 * Sent mail is logged as a touch "sent by rule" (mail/deliver.ts), the task done by RULE_ACTOR.
 */
import { todayIso } from '../contract/dates.ts';
import type { Db } from '../db/open.ts';
import { isUserFacing } from '../errors.ts';
import { mailRepo } from '../mail/repo.ts';
import { loadSmtpSettings } from '../mail/settings.ts';
import { RULE_ACTOR, type RuleSendRun } from '../../shared/dto/playbooks.ts';
import type { OutreachDraft } from '../../shared/dto/outreach.ts';
import { approveOutreachTask, draftRecipient, taskDraft } from './actions.ts';
import { tasksRepo, type TaskListRow } from './repo.ts';
import { ruleSendSettings } from './rule-switch.ts';
import { syncPlaybookTasks } from './tasks.ts';

export const RULES_OFF = 'Sending by rule is switched off in Settings → Playbooks; those steps wait for approval.';
export const NO_SMTP = 'Set up your SMTP server in Settings → Email (SMTP) before steps can be sent by rule.';

/** Why the guard holds the step back now, or null when it may go. */
function guardWait(draft: OutreachDraft): string | null {
  const guard = draft.guard;
  if (guard.status === 'ok') return null;
  if (guard.kind === 'active_hours')
    // No clock time in the sentence: it is stored, and must not change on every tick.
    return `Outside ${draft.accountName}'s working hours (${guard.timeZone}); the rule sends it from ${guard.scheduleLabel ?? 'the next working day'}.`;
  return guard.reason ?? `${draft.accountName} cannot be written to now.`;
}

function tryTask(db: Db, task: TaskListRow, now: Date, busy: Set<string>): { mailId: string } | { reason: string } {
  if (busy.has(task.account_id))
    return { reason: `${task.account_name} has an email waiting to be sent; this step follows once it has gone.` };
  try {
    const draft = taskDraft(db, task, now);
    const wait = guardWait(draft);
    if (wait) return { reason: wait };
    draftRecipient(task, draft);
    const { mail } = approveOutreachTask(db, task.task_id, RULE_ACTOR, now, draft);
    return { mailId: mail.mail_id };
  } catch (error) {
    // A sentence for the checklist (no contact with an email, a template since deleted…); a bug is not.
    if (isUserFacing(error)) return { reason: (error as Error).message };
    throw error;
  }
}

/** Queues every rule step that may go now; the caller flushes the mail queue. */
export function queueRuleSends(db: Db, now: Date): RuleSendRun {
  const run: RuleSendRun = { problem: null, queued: [], waiting: [], changed: false };
  if (!ruleSendSettings(db).enabled) return { ...run, problem: RULES_OFF };
  if (!loadSmtpSettings(db)) return { ...run, problem: NO_SMTP };
  syncPlaybookTasks(db, now.toISOString());
  const repo = tasksRepo(db);
  const busy = new Set(mailRepo(db).queuedAccounts());
  for (const task of repo.list({ dueBy: todayIso(now), tier: 2, autoSend: true })) {
    const outcome = tryTask(db, task, now, busy);
    const named = { taskId: task.task_id, accountName: task.account_name, title: task.title };
    if ('mailId' in outcome) {
      busy.add(task.account_id);
      run.queued.push({ ...named, mailId: outcome.mailId });
    } else {
      if (repo.setRuleWait(task.task_id, outcome.reason)) run.changed = true;
      run.waiting.push({ ...named, reason: outcome.reason });
    }
  }
  return run;
}
