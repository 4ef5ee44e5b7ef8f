/** A risk item's playbook checklist on the account page: its steps in order, with due days and actions. */
import { useApiQuery } from '../api/hooks.ts';
import { TaskRow } from './TaskRow.tsx';
import './playbooks.css';

/** Changes that can add, close or finish a task. */
export const TASK_RELOAD = ['risk', 'interventions', 'playbooks'] as const;

export function ItemChecklist({
  accountId,
  itemId,
  label,
  today,
}: {
  accountId: string;
  itemId: number;
  label: string;
  today: string;
}) {
  // One request per account, shared by every item's checklist (same key).
  const tasks = useApiQuery('tasks.list', { accountId }, { reloadOn: [...TASK_RELOAD] });
  const mine = (tasks.data?.tasks ?? []).filter((t) => t.itemId === itemId);
  if (tasks.error)
    return (
      <p role="alert" className="task__error">
        The playbook could not be loaded: {tasks.error.message}
      </p>
    );
  if (mine.length === 0) return null;
  const left = mine.filter((t) => t.status === 'pending').length;
  return (
    <div className="checklist">
      <h3 className="checklist__heading">
        Playbook: {left} of {mine.length} steps left
      </h3>
      <ol className="checklist__steps" aria-label={`Playbook for ${label}`}>
        {mine.map((task) => (
          <TaskRow key={task.taskId} task={task} today={today} />
        ))}
      </ol>
    </div>
  );
}
