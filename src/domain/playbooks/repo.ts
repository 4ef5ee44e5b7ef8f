/** SQL for playbook tasks (migration 18). */
import type { Db } from '../db/open.ts';
import { batchedWrite, valuesOf } from '../db/batched.ts';
import { perConnection } from '../db/per-connection.ts';
import type { PlaybookTier, TaskStatus } from '../../shared/dto/playbooks.ts';

export interface TaskDbRow {
  task_id: number;
  item_id: number;
  step_no: number;
  tier: PlaybookTier;
  title: string;
  owner: string;
  template_id: string | null;
  due_on: string;
  status: TaskStatus;
  done_by: string | null;
  done_at: string | null;
  note: string | null;
  mail_id: string | null;
  intervention_id: string | null;
  created_at: string;
  auto_send: 0 | 1;
  rule_wait: string | null;
}

/** A task with its item and account, as lists show it. */
export interface TaskListRow extends TaskDbRow {
  account_id: string;
  account_name: string;
  trigger_id: string;
  item_status: string;
  account_owner: string | null;
}

export type NewTask = Pick<
  TaskDbRow,
  'item_id' | 'step_no' | 'tier' | 'title' | 'owner' | 'template_id' | 'due_on' | 'created_at' | 'auto_send'
>;

const NEW_TASK = [
  'item_id',
  'step_no',
  'tier',
  'title',
  'owner',
  'template_id',
  'due_on',
  'created_at',
  'auto_send',
] as const satisfies readonly (keyof NewTask)[];
const TASK_BATCH = 100;

export interface TaskFilter {
  accountId?: string | null;
  itemId?: number | null;
  /** Only pending tasks of live, unsnoozed items due on or before this day. */
  dueBy?: string | null;
  tier?: PlaybookTier | null;
  /** Only tasks whose step sends by rule. */
  autoSend?: boolean | null;
  /** Only tasks on accounts this CSM owns (any case). */
  accountOwner?: string | null;
}

/** A list returns at most this many tasks; `count` says how many match in all. */
export const TASK_LIST_LIMIT = 1000;

type FilterParams = Required<Omit<TaskFilter, 'autoSend'>> & { autoSend: 0 | 1 | null };

const params = (filter: TaskFilter): FilterParams => ({
  accountId: filter.accountId ?? null,
  itemId: filter.itemId ?? null,
  dueBy: filter.dueBy ?? null,
  tier: filter.tier ?? null,
  autoSend: filter.autoSend === undefined || filter.autoSend === null ? null : filter.autoSend ? 1 : 0,
  accountOwner: filter.accountOwner ?? null,
});

const FILTER = `(@accountId IS NULL OR r.account_id = @accountId) AND (@itemId IS NULL OR t.item_id = @itemId)
       AND (@tier IS NULL OR t.tier = @tier) AND (@autoSend IS NULL OR t.auto_send = @autoSend)
       AND (@accountOwner IS NULL OR a.owner_email = @accountOwner COLLATE NOCASE)
       AND (@dueBy IS NULL OR (t.status = 'pending' AND t.due_on <= @dueBy AND r.status IN ('open', 'in_progress')
            AND (r.snoozed_until IS NULL OR r.snoozed_until <= @dueBy)))`;

const LIST = `SELECT t.*, r.account_id, a.name AS account_name, r.trigger_id, r.status AS item_status, a.owner_email AS account_owner
  FROM playbook_tasks t JOIN risk_items r USING (item_id) JOIN accounts a ON a.account_id = r.account_id`;

export const tasksRepo = perConnection((db: Db) => {
  // Live items outside the control group that were never given a checklist.
  const unmaterialised = db.prepare<
    [],
    { item_id: number; trigger_id: string; first_fired_on: string; owner_email: string | null }
  >(
    `SELECT r.item_id, r.trigger_id, r.first_fired_on, a.owner_email FROM risk_items r JOIN accounts a USING (account_id)
     WHERE r.status IN ('open', 'in_progress') AND r.is_control = 0
       AND NOT EXISTS (SELECT 1 FROM playbook_tasks t WHERE t.item_id = r.item_id)
     ORDER BY r.item_id`,
  );
  // TASK_BATCH tasks a statement: a first scoring run opens thousands of checklists.
  const insert = batchedWrite<NewTask>(
    db,
    NEW_TASK,
    TASK_BATCH,
    (rows) =>
      `INSERT INTO playbook_tasks (${NEW_TASK.join(', ')}) ${valuesOf(NEW_TASK, rows)} ON CONFLICT (item_id, step_no) DO NOTHING`,
  );
  const OF_CLOSED_ITEM = `status = 'pending' AND EXISTS (SELECT 1 FROM risk_items r WHERE r.item_id = playbook_tasks.item_id AND r.status IN ('resolved', 'dismissed'))`;
  const anyOfClosedItems = db
    .prepare<[], number>(`SELECT EXISTS (SELECT 1 FROM playbook_tasks WHERE ${OF_CLOSED_ITEM})`)
    .pluck();
  const closeOfClosedItems = db.prepare<[string]>(
    `UPDATE playbook_tasks SET status = 'closed', done_at = ? WHERE ${OF_CLOSED_ITEM}`,
  );
  const list = db.prepare<FilterParams, TaskListRow>(
    `${LIST} WHERE ${FILTER}
     ORDER BY t.due_on, r.priority, t.item_id, t.step_no LIMIT ${TASK_LIST_LIMIT}`,
  );
  // The same filter, counted: a list is capped, the counts people read never are.
  const count = db.prepare<FilterParams, { total: number; tier2: number }>(
    `SELECT count(*) AS total, coalesce(sum(t.tier = 2), 0) AS tier2
     FROM playbook_tasks t JOIN risk_items r USING (item_id) JOIN accounts a ON a.account_id = r.account_id
     WHERE ${FILTER}`,
  );
  const get = db.prepare<[number], TaskListRow>(`${LIST} WHERE t.task_id = ?`);
  const finish = db.prepare<{
    task_id: number;
    status: TaskStatus;
    by: string | null;
    at: string;
    note: string | null;
    mail_id: string | null;
    intervention_id: string | null;
  }>(
    `UPDATE playbook_tasks SET status = @status, done_by = @by, done_at = @at, note = @note, mail_id = @mail_id, intervention_id = @intervention_id, rule_wait = NULL
     WHERE task_id = @task_id AND status = 'pending'`,
  );
  const setRuleWait = db.prepare<{ reason: string | null; task_id: number }>(
    `UPDATE playbook_tasks SET rule_wait = @reason WHERE task_id = @task_id AND status = 'pending' AND rule_wait IS NOT @reason`,
  );
  const byMail = db.prepare<[string], TaskDbRow>('SELECT * FROM playbook_tasks WHERE mail_id = ?');
  return {
    unmaterialised: () => unmaterialised.all(),
    /** Adds the tasks (in order) that are not there yet; how many were added. */
    insert: (tasks: readonly NewTask[]): number => insert(tasks),
    // Checked with a read first, so a reader with nothing to close never asks for the write lock.
    closeOfClosedItems: (at: string): number => (anyOfClosedItems.get() ? closeOfClosedItems.run(at).changes : 0),
    /** The first TASK_LIST_LIMIT matching tasks, soonest due first. */
    list: (filter: TaskFilter) => list.all(params(filter)),
    /** How many tasks match in all, and how many of them are tier 2 (outreach). */
    count: (filter: TaskFilter) => count.get(params(filter))!,
    get: (taskId: number) => get.get(taskId),
    finish: (row: Parameters<typeof finish.run>[0]): boolean => finish.run(row).changes > 0,
    setRuleWait: (taskId: number, reason: string | null): boolean =>
      setRuleWait.run({ reason, task_id: taskId }).changes > 0,
    byMail: (mailId: string) => byMail.get(mailId),
  };
});
