/**
 * The success plan: the customer's goals, each with a target day, a status (planned, on track, at
 * risk, done, dropped) and an optional metric. The next open goal is available to outreach
 * templates as {{next_goal.title}} and {{next_goal.due}} (outreach/view.ts).
 */
import type { Db } from '../db/open.ts';
import { UserFacingError } from '../errors.ts';
import {
  GOAL_METRIC_MAX,
  GOAL_STATUS_LABELS,
  GOAL_STATUSES,
  GOAL_TITLE_MAX,
  type AccountGoal,
  type GoalStatus,
} from '../../shared/dto/success-plan.ts';
import { checkedAccount, checkedDay, checkedText } from './checks.ts';
import { successPlanRepo } from './repo.ts';

const TITLE = { field: 'The goal’s title', required: 'Name the goal, e.g. "Roll out to the support team".' };
const METRIC = { field: 'The goal’s metric', required: '' };

/** "on track", "On-Track" and "on_track" are the same status; anything else is refused in a sentence. */
export function parseGoalStatus(value: string): GoalStatus {
  const key = value
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  const status = GOAL_STATUSES.find((s) => s === key);
  if (!status)
    throw new UserFacingError(
      'INVALID_GOAL_STATUS',
      `The goal status "${value}" is not one of ${GOAL_STATUSES.map((s) => GOAL_STATUS_LABELS[s].toLowerCase()).join(', ')}.`,
    );
  return status;
}

const checkedMetric = (metric: string | null | undefined): string | null =>
  metric == null || metric.trim() === '' ? null : checkedText(metric, GOAL_METRIC_MAX, METRIC);

export interface GoalInput {
  accountId: string;
  title: string;
  due: string;
  status?: string;
  metric?: string | null;
}

export function addGoal(db: Db, input: GoalInput, now: Date): AccountGoal {
  const account = checkedAccount(db, input.accountId);
  return successPlanRepo(db).addGoal({
    account_id: account.account_id,
    title: checkedText(input.title, GOAL_TITLE_MAX, TITLE),
    due_on: checkedDay(input.due, "The goal's target date"),
    status: input.status === undefined ? 'planned' : parseGoalStatus(input.status),
    metric: checkedMetric(input.metric),
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  });
}

function existingGoal(db: Db, goalId: number): AccountGoal {
  const goal = successPlanRepo(db).goal(goalId);
  if (!goal) throw new UserFacingError('GOAL_NOT_FOUND', `There is no goal ${goalId}; it may have been deleted.`);
  return goal;
}

/** Changes the fields given and keeps the others. */
export function editGoal(
  db: Db,
  input: { goalId: number; title?: string; due?: string; status?: string; metric?: string | null },
  now: Date,
): AccountGoal {
  const goal = existingGoal(db, input.goalId);
  return successPlanRepo(db).updateGoal({
    goal_id: goal.goalId,
    title: input.title === undefined ? goal.title : checkedText(input.title, GOAL_TITLE_MAX, TITLE),
    due_on: input.due === undefined ? goal.dueOn : checkedDay(input.due, "The goal's target date"),
    status: input.status === undefined ? goal.status : parseGoalStatus(input.status),
    metric: input.metric === undefined ? goal.metric : checkedMetric(input.metric),
    updated_at: now.toISOString(),
  })!;
}

export function removeGoal(db: Db, goalId: number): AccountGoal {
  const goal = existingGoal(db, goalId);
  successPlanRepo(db).removeGoal(goalId);
  return goal;
}

/** Open goals by target day, then the closed ones. */
export function listGoals(db: Db, accountId: string): AccountGoal[] {
  checkedAccount(db, accountId);
  return successPlanRepo(db).goals(accountId);
}

/** The open goal due soonest on or after `asOf`; a goal whose day has passed is not "next". */
export function nextGoal(db: Db, accountId: string, asOf: string): AccountGoal | null {
  return successPlanRepo(db).nextGoal(accountId, asOf) ?? null;
}
