/**
 * The account page's success plan: the customer's goals with target dates and status. A status is
 * changed in place (a select per goal); Add and Edit open a form; Delete asks first. Every control
 * is a native one, so the whole panel works from the keyboard.
 */
import { useId, useState } from 'react';
import {
  GOAL_METRIC_MAX,
  GOAL_TITLE_MAX,
  GOAL_STATUS_LABELS,
  GOAL_STATUSES,
  isGoalOverdue,
  OPEN_GOAL_STATUSES,
  type AccountGoal,
  type GoalStatus,
} from '../../shared/dto/success-plan.ts';
import { tooLongSentence } from '../../shared/text-length.ts';
import { api, errorMessage } from '../api/client.ts';
import { useApiMutation, useApiQuery } from '../api/hooks.ts';
import { formatDate } from '../format.ts';
import { CharacterCount } from '../ui/CharacterCount.tsx';
import { Chip } from '../ui/Chip.tsx';
import { toast } from '../ui/Toast.tsx';
import { EditableListPanel, EditDeleteButtons, PlanForm } from './EditableList.tsx';

export function GoalsPanel({
  accountId,
  accountName,
  today,
}: {
  accountId: string;
  accountName: string;
  today: string;
}) {
  const goals = useApiQuery('goals.list', { accountId }, { reloadOn: ['success-plan'] });

  const setStatus = async (goal: AccountGoal, status: GoalStatus) => {
    try {
      await api.call('goals.edit', { goalId: goal.goalId, status });
      toast({ tone: 'success', title: `“${goal.title}” is now ${GOAL_STATUS_LABELS[status].toLowerCase()}` });
    } catch (error) {
      toast({ tone: 'error', title: 'The status was not changed', description: errorMessage(error) });
    }
  };

  return (
    <EditableListPanel<AccountGoal>
      headingId="account-goals"
      heading="Success plan"
      addLabel="Add goal"
      query={goals}
      what="the success plan"
      empty={{ none: 'No goals yet', hint: 'add what the customer wants to achieve and by when' }}
      list={(rows, act) => (
        <table className="account__table" aria-labelledby="account-goals">
          <thead>
            <tr>
              <th scope="col">Goal</th>
              <th scope="col">Target date</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((goal) => (
              <GoalRow
                key={goal.goalId}
                goal={goal}
                today={today}
                onStatus={(status) => void setStatus(goal, status)}
                onEdit={() => act.edit(goal)}
                onDelete={() => act.remove(goal)}
              />
            ))}
          </tbody>
        </table>
      )}
      dialog={{
        title: (goal) => (goal ? 'Edit the goal' : `Add a goal for ${accountName}`),
        description:
          'The next open goal is available to outreach templates as {{next_goal.title}} and {{next_goal.due}}.',
      }}
      form={(goal, done) => <GoalForm goal={goal} accountId={accountId} today={today} onDone={done} />}
      confirmDelete={(goal) => ({
        title: `Delete the goal “${goal.title}”?`,
        description: 'It leaves the success plan; templates stop mentioning it.',
        confirmLabel: 'Delete goal',
      })}
      remove={(goal) => api.call('goals.remove', { goalId: goal.goalId })}
    />
  );
}

function GoalRow({
  goal,
  today,
  onStatus,
  onEdit,
  onDelete,
}: {
  goal: AccountGoal;
  today: string;
  onStatus: (status: GoalStatus) => void;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const overdue = isGoalOverdue(goal, today);
  return (
    <tr className={OPEN_GOAL_STATUSES.includes(goal.status) ? undefined : 'plan__closed'}>
      <td>
        {goal.title}
        {goal.metric && <div className="account__muted account__small">Measured by: {goal.metric}</div>}
      </td>
      <td>
        <time dateTime={goal.dueOn}>{formatDate(goal.dueOn)}</time>
        {overdue && (
          <>
            {' '}
            <Chip tone="red">Overdue</Chip>
          </>
        )}
      </td>
      <td>
        <select
          className={`plan__status plan__status--${goal.status}`}
          aria-label={`Status of “${goal.title}”`}
          value={goal.status}
          onChange={(event) => onStatus(event.target.value as GoalStatus)}
        >
          {GOAL_STATUSES.map((s) => (
            <option key={s} value={s}>
              {GOAL_STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </td>
      <td>
        <EditDeleteButtons what={`the goal “${goal.title}”`} onEdit={onEdit} onDelete={onDelete} />
      </td>
    </tr>
  );
}

function GoalForm({
  goal,
  accountId,
  today,
  onDone,
}: {
  goal: AccountGoal | null;
  accountId: string;
  today: string;
  onDone: () => void;
}) {
  const [title, setTitle] = useState(goal?.title ?? '');
  const [due, setDue] = useState(goal?.dueOn ?? today);
  const [status, setStatus] = useState<GoalStatus>(goal?.status ?? 'planned');
  const [metric, setMetric] = useState(goal?.metric ?? '');
  const [error, setError] = useState<string | null>(null);
  const add = useApiMutation('goals.add');
  const edit = useApiMutation('goals.edit');
  const ids = {
    title: useId(),
    titleCount: useId(),
    due: useId(),
    status: useId(),
    metric: useId(),
    metricCount: useId(),
  };

  const submit = async () => {
    if (!title.trim()) return setError('Name the goal, e.g. “Roll out to the support team”.');
    const tooLong =
      tooLongSentence('The goal’s title', title, GOAL_TITLE_MAX) ??
      tooLongSentence('The goal’s metric', metric, GOAL_METRIC_MAX);
    if (tooLong) return setError(tooLong);
    if (!due) return setError('Pick the target date.');
    setError(null);
    const fields = { title: title.trim(), due, status, metric: metric.trim() || null };
    try {
      if (goal) await edit.run({ goalId: goal.goalId, ...fields });
      else await add.run({ accountId, ...fields });
      toast({ tone: 'success', title: goal ? 'Goal saved' : `Added “${fields.title}” to the success plan` });
      onDone();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  return (
    <PlanForm
      error={error}
      busy={add.running || edit.running}
      submitLabel={goal ? 'Save goal' : 'Add goal'}
      onSubmit={() => void submit()}
      onCancel={onDone}
    >
      <div className="plan-form__row">
        <label htmlFor={ids.title}>Goal</label>
        <input
          id={ids.title}
          type="text"
          value={title}
          aria-describedby={ids.titleCount}
          autoFocus
          placeholder="e.g. Roll out to the support team"
          onChange={(event) => setTitle(event.target.value)}
        />
        <CharacterCount id={ids.titleCount} text={title} max={GOAL_TITLE_MAX} />
      </div>
      <div className="plan-form__pair">
        <div className="plan-form__row">
          <label htmlFor={ids.due}>Target date</label>
          <input id={ids.due} type="date" value={due} onChange={(event) => setDue(event.target.value)} />
        </div>
        <div className="plan-form__row">
          <label htmlFor={ids.status}>Status</label>
          <select id={ids.status} value={status} onChange={(event) => setStatus(event.target.value as GoalStatus)}>
            {GOAL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {GOAL_STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="plan-form__row">
        <label htmlFor={ids.metric}>How it is measured (optional)</label>
        <input
          id={ids.metric}
          type="text"
          value={metric}
          aria-describedby={ids.metricCount}
          placeholder="e.g. 40 weekly active users"
          onChange={(event) => setMetric(event.target.value)}
        />
        <CharacterCount id={ids.metricCount} text={metric} max={GOAL_METRIC_MAX} />
      </div>
    </PlanForm>
  );
}
