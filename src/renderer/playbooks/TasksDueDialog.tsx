/**
 * Today's "Tasks due today": every pending checklist step due by today (of live, unsnoozed items),
 * with its action, and "Approve all due tier-2 steps": one confirmation listing every email that
 * will go, then the emails are sent one by one behind a progress bar.
 */
import { useState } from 'react';
import type { PlaybookTask, TaskPage } from '../../shared/dto/playbooks.ts';
import { useApiQuery } from '../api/hooks.ts';
import { formatCount, formatNumber } from '../format.ts';
import { Button } from '../ui/Button.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { ProgressBar } from '../ui/ProgressBar.tsx';
import { toast } from '../ui/Toast.tsx';
import { TASK_RELOAD } from './ItemChecklist.tsx';
import { approveTask } from './task-actions.ts';
import { TaskRow } from './TaskRow.tsx';
import './playbooks.css';

const NO_TASKS: TaskPage = { tasks: [], total: 0, tier2Total: 0 };

/**
 * The due tasks, narrowed to one owner's accounts when Today shows one owner's. The list is capped
 * (the first 1,000, soonest due); `page.total` is the true count every label shows.
 */
export function useTasksDue(today: string, ownerEmail: string | null) {
  const query = useApiQuery(
    'tasks.list',
    { due: 'today', asOf: today, ...(ownerEmail ? { owner: ownerEmail } : {}) },
    { reloadOn: [...TASK_RELOAD] },
  );
  return { query, page: query.data ?? NO_TASKS };
}

type Batch = { stage: 'confirm' } | { stage: 'sending'; done: number; total: number };

export function TasksDueDialog({
  open,
  onOpenChange,
  today,
  page,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  today: string;
  page: TaskPage;
}) {
  const [batch, setBatch] = useState<Batch | null>(null);
  const { tasks, total } = page;
  const outreach = tasks.filter((t) => t.tier === 2);
  // Only listed steps can be approved here; the button says so when the list is capped.
  const approveLabel =
    outreach.length < page.tier2Total
      ? `Approve the first ${formatNumber(outreach.length)} of ${formatNumber(page.tier2Total)} due tier-2 steps`
      : `Approve all due tier-2 steps (${formatNumber(outreach.length)})`;
  const sendAll = async (list: PlaybookTask[]) => {
    let sent = 0;
    setBatch({ stage: 'sending', done: 0, total: list.length });
    for (const [index, task] of list.entries()) {
      if (await approveTask(task, { quiet: true })) sent++;
      setBatch({ stage: 'sending', done: index + 1, total: list.length });
    }
    setBatch(null);
    toast({
      tone: sent === list.length ? 'success' : 'error',
      title: `Approved ${sent} of ${formatCount(list.length, 'email')}`,
      description: 'Sent through your SMTP server, or queued until it can be reached; each is logged on its account.',
    });
  };
  const close = (next: boolean) => {
    if (batch?.stage === 'sending') return; // the batch finishes first
    if (!next) setBatch(null);
    onOpenChange(next);
  };
  return (
    <Dialog
      open={open}
      onOpenChange={close}
      width="lg"
      title={`Tasks due today (${formatNumber(total)})`}
      description={
        tasks.length < total
          ? `Playbook steps of open risk items that are due today or overdue. The first ${formatNumber(tasks.length)}, soonest due, are listed.`
          : 'Playbook steps of open risk items that are due today or overdue.'
      }
    >
      {batch === null && outreach.length > 0 && (
        <div className="tasks-due__batch">
          <Button variant="primary" onClick={() => setBatch({ stage: 'confirm' })}>
            {approveLabel}
          </Button>
        </div>
      )}
      {batch?.stage === 'confirm' && (
        <div className="tasks-due__batch" role="group" aria-label="Confirm sending">
          <p>
            {formatCount(outreach.length, 'email')} will be rendered from their templates and sent through your SMTP
            server:
          </p>
          <ul className="tasks-due__sends">
            {outreach.map((t) => (
              <li key={t.taskId}>
                <strong>{t.accountName}</strong>: {t.title} ({t.triggerLabel})
              </li>
            ))}
          </ul>
          <div className="playbook-editor__actions">
            <Button variant="primary" onClick={() => void sendAll(outreach)}>
              Send {formatCount(outreach.length, 'email')}
            </Button>
            <Button variant="ghost" onClick={() => setBatch(null)}>
              Back
            </Button>
          </div>
        </div>
      )}
      {batch?.stage === 'sending' && (
        <div className="tasks-due__batch">
          <ProgressBar
            label="Sending the approved emails"
            value={batch.done}
            max={batch.total}
            detail={`${batch.done} / ${batch.total}`}
          />
        </div>
      )}
      {tasks.length === 0 ? (
        <p>Nothing due today.</p>
      ) : (
        <ol className="tasks-due__list" aria-label="Tasks due today">
          {tasks.map((task) => (
            <TaskRow key={task.taskId} task={task} today={today} showAccount />
          ))}
        </ol>
      )}
    </Dialog>
  );
}
