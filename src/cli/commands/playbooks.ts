import type { Command } from 'commander';
import { isIsoDay, todayIso } from '../../domain/contract/dates.ts';
import { actor } from '../../app/handlers/playbooks.ts';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { flushConfiguredMail } from '../../domain/mail/flush.ts';
import { approveOutreachTask, handTaskToProduct } from '../../domain/playbooks/actions.ts';
import { listPlaybooks } from '../../domain/playbooks/config.ts';
import { queueRuleSends } from '../../domain/playbooks/rule-sends.ts';
import { ruleSendSettings, saveRuleSendSettings } from '../../domain/playbooks/rule-switch.ts';
import { finishTask, listTaskPage } from '../../domain/playbooks/tasks.ts';
import { environmentSecretStore } from '../../domain/secrets/secret-store.ts';
import type { FlushResult } from '../../shared/dto/mail.ts';
import { TIER_LABELS, type PlaybookTask, type PlaybookView, type RuleSendRun } from '../../shared/dto/playbooks.ts';
import { emit, groupedCount, UsageError } from '../io.ts';
import { globals, parseIntOption, withGlobalOptions } from '../options.ts';

function playbookText(p: PlaybookView): string {
  const steps = p.steps.map(
    (s, i) =>
      `  ${i + 1}. day +${s.offsetDays}  tier ${s.tier} (${TIER_LABELS[s.tier]})  ${s.title}  [${s.owner === 'account_owner' ? 'account owner' : s.owner}${s.templateId ? `, ${s.templateId}` : ''}]${s.autoSend ? '  sends automatically when due' : ''}`,
  );
  return [`${p.label} (${p.triggerId})${p.customised ? ', edited' : ''}`, ...steps].join('\n');
}

export function taskLine(t: PlaybookTask): string {
  const state = t.status === 'pending' ? (t.due ? 'DUE ' : '    ') : t.status.padEnd(4);
  const rule = t.sendsOn
    ? `  (sends automatically on ${t.sendsOn}${t.ruleWait ? `; waiting: ${t.ruleWait}` : ''})`
    : '';
  return `#${t.taskId}  ${t.dueOn}  ${state}  tier ${t.tier}  ${t.accountName} (${t.accountId}), ${t.triggerLabel}: ${t.title}  [${t.owner}]${rule}`;
}

/** The true count first; a capped list says it shows only the first ones. */
export function tasksHeading(shown: number, total: number): string {
  const count = `${groupedCount(total)} ${total === 1 ? 'task' : 'tasks'}`;
  return shown < total ? `${count} (the first ${groupedCount(shown)}, soonest due, are listed)` : count;
}

export function registerPlaybooks(program: Command): void {
  withGlobalOptions(program.command('playbooks'))
    .description("each trigger's playbook: ordered steps with tier, due offset, owner and template")
    .option('--send-by-rule <on|off>', 'switch sending by rule on or off for every step marked "send automatically"')
    .action((options: { sendByRule?: string }, command: Command) => {
      const { dbPath, json } = globals(command);
      if (options.sendByRule !== undefined && !['on', 'off'].includes(options.sendByRule))
        throw new UsageError(`--send-by-rule takes "on" or "off", not "${options.sendByRule}".`);
      const { db } = openDatabase(dbPath);
      try {
        if (options.sendByRule !== undefined) saveRuleSendSettings(db, { enabled: options.sendByRule === 'on' });
        const playbooks = listPlaybooks(db);
        const rules = ruleSendSettings(db);
        emit(json, playbooks, () =>
          [
            `Sending by rule: ${rules.enabled ? 'on' : 'off (steps marked "send automatically" wait for approval)'}.`,
            ...playbooks.map(playbookText),
          ].join('\n\n'),
        );
      } finally {
        closeDatabase(db);
      }
    });
}

function ruleRunText(run: RuleSendRun, flushed: FlushResult): string {
  if (run.problem) return run.problem;
  const lines = [
    `${run.queued.length} sent by rule${flushed.sent < run.queued.length ? ` (${flushed.sent} delivered so far; ${flushed.problem ?? 'the rest are queued'})` : ''}, ${run.waiting.length} waiting.`,
    ...run.queued.map((q) => `  sent     #${q.taskId}  ${q.accountName}: ${q.title}`),
    ...run.waiting.map((w) => `  waiting  #${w.taskId}  ${w.accountName}: ${w.reason}`),
  ];
  return lines.join('\n');
}

/** `tasks run-due`: what the app's background tick does, for cron or by hand. */
function registerRunDue(tasks: Command): void {
  withGlobalOptions(tasks.command('run-due'))
    .description(
      'send the tier-2 steps marked "send automatically when due" that may go now (working hours, fatigue cap, a contact with an email), through the SMTP server in Settings',
    )
    .action(async (_options: unknown, command: Command) => {
      const { dbPath, json } = globals(command);
      const { db } = openDatabase(dbPath);
      try {
        const run = queueRuleSends(db, new Date());
        // The CLI reads the SMTP password from the environment variable Settings names.
        const flushed = run.queued.length
          ? await flushConfiguredMail(db, environmentSecretStore(), () => new Date(), run.queued.length)
          : { sent: 0, waiting: 0, failed: 0, unknown: 0, problem: null };
        emit(json, { run, flushed }, () => ruleRunText(run, flushed));
      } finally {
        closeDatabase(db);
      }
    });
}

export function registerTasks(program: Command): void {
  const tasks = program.command('tasks');
  registerRunDue(tasks);
  withGlobalOptions(tasks)
    .description("risk items' checklist tasks: all, those due today (--due today) or one account's")
    .option('--due <when>', 'only pending tasks due on or before the day: today')
    .option('--account <id>', "only this account's tasks")
    .option('--as-of <date>', 'the day (YYYY-MM-DD; default today)')
    .action((options: { due?: string; account?: string; asOf?: string }, command: Command) => {
      const { dbPath, json } = globals(command);
      if (options.due !== undefined && options.due !== 'today')
        throw new UsageError(`--due takes "today", not "${options.due}".`);
      if (options.asOf !== undefined && !isIsoDay(options.asOf))
        throw new UsageError(`--as-of must be a day as YYYY-MM-DD, not "${options.asOf}".`);
      const now = new Date();
      const asOf = options.asOf ?? todayIso(now);
      const { db } = openDatabase(dbPath);
      try {
        const { tasks, total } = listTaskPage(
          db,
          { asOf, due: options.due === 'today' ? 'today' : undefined, accountId: options.account ?? null },
          now.toISOString(),
        );
        emit(json, { asOf, total, tasks }, () =>
          tasks.length === 0 ? 'No tasks.' : [tasksHeading(tasks.length, total), ...tasks.map(taskLine)].join('\n'),
        );
      } finally {
        closeDatabase(db);
      }
    });
}

type TaskAction = 'done' | 'skip' | 'approve' | 'hand';
const TASK_ACTIONS: readonly TaskAction[] = ['done', 'skip', 'approve', 'hand'];

export function registerTask(program: Command): void {
  withGlobalOptions(program.command('task'))
    .description(
      'act on a task: done, skip (--note why), approve (a tier-2 step: send its email through SMTP), hand (a tier-1 step: to the product)',
    )
    .argument('<action>', TASK_ACTIONS.join('|'))
    .argument('<task-id>', 'the task number', parseIntOption('<task-id>', 1, Number.MAX_SAFE_INTEGER))
    .option('--note <text>', 'a note (required to skip)')
    .action(async (action: string, taskId: number, options: { note?: string }, command: Command) => {
      const { dbPath, json } = globals(command);
      if (!(TASK_ACTIONS as readonly string[]).includes(action))
        throw new UsageError(`The action must be one of ${TASK_ACTIONS.join(', ')}, not "${action}".`);
      const now = new Date();
      const { db } = openDatabase(dbPath);
      try {
        const by = actor(db);
        switch (action as TaskAction) {
          case 'done':
          case 'skip': {
            const status = action === 'done' ? 'done' : 'skipped';
            const task = finishTask(db, taskId, { status, by, note: options.note ?? null }, now);
            emit(json, task, () => `Task ${taskId} ${status}.\n${taskLine(task)}`);
            break;
          }
          case 'hand': {
            const task = handTaskToProduct(db, taskId, by, now);
            emit(json, task, () => `Handed to the product (intervention ${task.interventionId}).\n${taskLine(task)}`);
            break;
          }
          case 'approve': {
            const { task, mail } = approveOutreachTask(db, taskId, by, now);
            // The CLI reads the SMTP password from the environment variable Settings names.
            const flushed = await flushConfiguredMail(db, environmentSecretStore(), () => new Date(), 1);
            const to = mail.to.map((a) => a.email).join(', ');
            emit(json, { task, mail, flushed }, () =>
              flushed.sent > 0
                ? `Sent “${mail.subject}” to ${to}.`
                : `Queued “${mail.subject}” to ${to}; ${flushed.problem ?? 'it is sent on the next attempt.'}`,
            );
            break;
          }
        }
      } finally {
        closeDatabase(db);
      }
    });
}
