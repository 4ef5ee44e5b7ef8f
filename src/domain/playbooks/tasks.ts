/**
 * A risk item's checklist. When an item opens (outside the control group) its trigger's playbook
 * in effect is copied into tasks with due days (the day it opened plus each step's offset) and an
 * owner (the account's owner, or the step's role); when it closes, its pending tasks close.
 * `syncPlaybookTasks` does both and is idempotent: scoring calls it after writing items, and
 * the readers call it before listing, so an item opened by any path gets its checklist.
 */
import { addDays, todayIso } from '../contract/dates.ts';
import type { Db } from '../db/open.ts';
import { UserFacingError } from '../errors.ts';
import { isTriggerId, type TriggerId } from '../risk/catalog.ts';
import { ACCOUNT_OWNER, type PlaybookStep, type PlaybookTask, type TaskPage } from '../../shared/dto/playbooks.ts';
import { playbookFor, triggerLabel } from './config.ts';
import { ruleSendSettings } from './rule-switch.ts';
import { tasksRepo, type NewTask, type TaskFilter, type TaskListRow } from './repo.ts';

export function syncPlaybookTasks(db: Db, now: string): { created: number; closed: number } {
  const repo = tasksRepo(db);
  return db.transaction(() => {
    const steps = new Map<TriggerId, readonly PlaybookStep[]>();
    const tasks: NewTask[] = [];
    for (const item of repo.unmaterialised()) {
      if (!isTriggerId(item.trigger_id)) continue;
      if (!steps.has(item.trigger_id)) steps.set(item.trigger_id, playbookFor(db, item.trigger_id));
      steps.get(item.trigger_id)!.forEach((step, index) => {
        tasks.push({
          item_id: item.item_id,
          step_no: index + 1,
          tier: step.tier,
          title: step.title,
          owner: step.owner === ACCOUNT_OWNER ? (item.owner_email ?? 'Account owner') : step.owner,
          template_id: step.templateId,
          due_on: addDays(item.first_fired_on, step.offsetDays),
          created_at: now,
          auto_send: step.tier === 2 && step.autoSend ? 1 : 0,
        });
      });
    }
    // Written together, in item and step order (a statement per task was most of a first run's sync).
    return { created: repo.insert(tasks), closed: repo.closeOfClosedItems(now) };
  })();
}

/** `rulesOn`: the kill switch (rule-switch.ts); off, a rule step waits for a person like any other. */
export function toTask(row: TaskListRow, asOf: string, rulesOn: boolean): PlaybookTask {
  const byRule = row.auto_send === 1 && row.status === 'pending' && rulesOn;
  return {
    taskId: row.task_id,
    itemId: row.item_id,
    accountId: row.account_id,
    accountName: row.account_name,
    triggerId: row.trigger_id,
    triggerLabel: triggerLabel(row.trigger_id),
    stepNo: row.step_no,
    tier: row.tier,
    title: row.title,
    owner: row.owner,
    templateId: row.template_id,
    dueOn: row.due_on,
    status: row.status,
    due: row.status === 'pending' && row.due_on <= asOf,
    doneBy: row.done_by,
    doneAt: row.done_at,
    note: row.note,
    mailId: row.mail_id,
    interventionId: row.intervention_id,
    autoSend: row.auto_send === 1,
    sendsOn: byRule ? (row.due_on > asOf ? row.due_on : asOf) : null,
    ruleWait: byRule ? row.rule_wait : null,
  };
}

export interface ListTasksInput {
  asOf: string;
  /** 'today': pending tasks due on or before `asOf` (of live items that are not snoozed). */
  due?: 'today';
  accountId?: string | null;
  itemId?: number | null;
  tier?: TaskFilter['tier'];
  /** Only tasks on accounts this CSM owns. */
  owner?: string | null;
}

function filterOf(input: ListTasksInput): TaskFilter {
  return {
    accountId: input.accountId ?? null,
    itemId: input.itemId ?? null,
    tier: input.tier ?? null,
    dueBy: input.due === 'today' ? input.asOf : null,
    accountOwner: input.owner ?? null,
  };
}

/** The first TASK_LIST_LIMIT tasks that match (see `listTaskPage` for how many match in all). */
export function listTasks(db: Db, input: ListTasksInput, now: string): PlaybookTask[] {
  syncPlaybookTasks(db, now);
  const rulesOn = ruleSendSettings(db).enabled;
  return tasksRepo(db)
    .list(filterOf(input))
    .map((row) => toTask(row, input.asOf, rulesOn));
}

/** The listed tasks with the true counts, so no count shown is the list's cap. */
export function listTaskPage(db: Db, input: ListTasksInput, now: string): TaskPage {
  const tasks = listTasks(db, input, now);
  const { total, tier2 } = tasksRepo(db).count(filterOf(input));
  return { tasks, total, tier2Total: tier2 };
}

/** The task if it can still be acted on: it exists, is pending, and its item is live. */
export function pendingTask(db: Db, taskId: number): TaskListRow {
  const task = tasksRepo(db).get(taskId);
  if (!task) throw new UserFacingError('TASK_NOT_FOUND', `There is no playbook task ${taskId}.`);
  if (task.status !== 'pending')
    throw new UserFacingError('TASK_CLOSED', `Task ${taskId} (“${task.title}”) is already ${task.status}.`);
  if (task.item_status !== 'open' && task.item_status !== 'in_progress')
    throw new UserFacingError('TASK_CLOSED', `Task ${taskId} belongs to a risk item that is ${task.item_status}.`);
  return task;
}

export interface TaskFinish {
  status: 'done' | 'skipped';
  by: string | null;
  note?: string | null;
  mailId?: string | null;
  interventionId?: string | null;
}

/** Records a task done or skipped, with who and when. */
export function finishTask(db: Db, taskId: number, finish: TaskFinish, now: Date): PlaybookTask {
  pendingTask(db, taskId);
  const note = finish.note?.trim() || null;
  if (finish.status === 'skipped' && !note)
    throw new UserFacingError('NOTE_REQUIRED', 'Say why the step is skipped, so whoever sees it next knows.');
  // Only a pending task is finished; another writer may have got there first (never done twice).
  const finished = tasksRepo(db).finish({
    task_id: taskId,
    status: finish.status,
    by: finish.by,
    at: now.toISOString(),
    note,
    mail_id: finish.mailId ?? null,
    intervention_id: finish.interventionId ?? null,
  });
  if (!finished) throw new UserFacingError('TASK_CLOSED', `Task ${taskId} was finished by someone else just now.`);
  return toTask(tasksRepo(db).get(taskId)!, todayIso(now), ruleSendSettings(db).enabled);
}
