/** Account notes and the success plan's goals (issue 17): shapes and the API's input schemas. */
import { z } from 'zod';

export const GOAL_STATUSES = ['planned', 'on_track', 'at_risk', 'done', 'dropped'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

export const GOAL_STATUS_LABELS: Record<GoalStatus, string> = {
  planned: 'Planned',
  on_track: 'On track',
  at_risk: 'At risk',
  done: 'Done',
  dropped: 'Dropped',
};

/** Goals still being worked on; "done" and "dropped" are closed. */
export const OPEN_GOAL_STATUSES: readonly GoalStatus[] = ['planned', 'on_track', 'at_risk'];

/** The one rule for "Overdue", on the account page and in the CLI: still open after its target day. */
export function isGoalOverdue(goal: Pick<AccountGoal, 'status' | 'dueOn'>, today: string): boolean {
  return OPEN_GOAL_STATUSES.includes(goal.status) && goal.dueOn < today;
}

export const NOTE_MAX = 5000;
export const GOAL_TITLE_MAX = 200;
export const GOAL_METRIC_MAX = 200;

export interface AccountNote {
  noteId: number;
  accountId: string;
  /** The day the note is about (YYYY-MM-DD). */
  notedOn: string;
  authorEmail: string | null;
  text: string;
  createdAt: string;
  updatedAt: string;
}

export interface AccountGoal {
  goalId: number;
  accountId: string;
  title: string;
  /** The target day (YYYY-MM-DD). */
  dueOn: string;
  status: GoalStatus;
  /** How success is measured, e.g. "40 weekly active users"; null when none was set. */
  metric: string | null;
  createdAt: string;
  updatedAt: string;
}

const accountId = z.string().min(1).max(200);
const id = z.number().int().positive();
// Lengths are checked by the domain, which words the sentence; the schema only bounds the size.
const text = z
  .string()
  .max(NOTE_MAX * 2)
  .meta({ title: 'note' });
const day = z.string().max(40);
const status = z.enum(GOAL_STATUSES);
const metric = z
  .string()
  .max(GOAL_METRIC_MAX * 2)
  .meta({ title: 'goal’s measure' })
  .nullable();
const goalFields = {
  title: z
    .string()
    .max(GOAL_TITLE_MAX * 2)
    .meta({ title: 'goal title' }),
  due: day,
  status: status.optional(),
  metric: metric.optional(),
};

export const successPlanSchemas = {
  notesList: z.object({ accountId }).strict(),
  noteAdd: z.object({ accountId, text, on: day.optional() }).strict(),
  noteEdit: z.object({ noteId: id, text, on: day.optional() }).strict(),
  noteRemove: z.object({ noteId: id }).strict(),
  goalsList: z.object({ accountId }).strict(),
  goalAdd: z.object({ accountId, ...goalFields }).strict(),
  goalEdit: z
    .object({ goalId: id, ...goalFields })
    .partial({ title: true, due: true })
    .strict(),
  goalRemove: z.object({ goalId: id }).strict(),
};
