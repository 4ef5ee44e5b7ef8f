/**
 * One checklist step: its tier, title, owner and due day (overdue and due today said in words),
 * and the action its tier allows. Skipping asks for a note inline. Used on the account page and
 * in Today's "Tasks due today".
 */
import { useId, useState } from 'react';
import { RULE_ACTOR, TASK_NOTE_MAX, TIER_LABELS, type PlaybookTask } from '../../shared/dto/playbooks.ts';
import { tooLongSentence } from '../../shared/text-length.ts';
import { CharacterCount } from '../ui/CharacterCount.tsx';
import { formatDate } from '../format.ts';
import { Button } from '../ui/Button.tsx';
import { Chip } from '../ui/Chip.tsx';
import { approveTask, handToProduct, markDone, skipTask } from './task-actions.ts';

const STATUS_TEXT = { done: 'Done', skipped: 'Skipped', closed: 'Closed with the item' } as const;

/** "Done by maya@…", or "Sent by rule" for a step the rule sent. */
function finishedText(task: PlaybookTask): string {
  const byRule = task.doneBy === RULE_ACTOR;
  const status = byRule ? 'Sent by rule' : STATUS_TEXT[task.status as keyof typeof STATUS_TEXT];
  const by = task.doneBy && !byRule ? ` by ${task.doneBy}` : '';
  const at = task.doneAt ? ` on ${formatDate(task.doneAt.slice(0, 10))}` : '';
  return `${status}${by}${at}${task.note ? `: ${task.note}` : ''}`;
}

/** For a step sent by rule: when it goes, and why it has not gone yet. */
function RuleLine({ task, today }: { task: PlaybookTask; today: string }) {
  if (!task.sendsOn) return null;
  return (
    <div className="task__meta task__rule">
      {task.sendsOn <= today
        ? 'Will send automatically today'
        : `Will send automatically on ${formatDate(task.sendsOn)}`}
      {task.ruleWait ? `: waiting. ${task.ruleWait}` : ''}
    </div>
  );
}

function dueText(task: PlaybookTask, today: string): string {
  if (task.status !== 'pending') return `due ${formatDate(task.dueOn)}`;
  if (task.dueOn < today) return `overdue since ${formatDate(task.dueOn)}`;
  if (task.dueOn === today) return 'due today';
  return `due ${formatDate(task.dueOn)}`;
}

export function TaskRow({
  task,
  today,
  showAccount = false,
}: {
  task: PlaybookTask;
  today: string;
  showAccount?: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const [skipping, setSkipping] = useState(false);
  const [note, setNote] = useState('');
  const countId = useId();
  // Refused with the sentence the app would say, rather than cut by a maxlength.
  const tooLong = tooLongSentence('The note', note, TASK_NOTE_MAX);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
    } finally {
      setBusy(false);
    }
  };
  const pending = task.status === 'pending';
  const overdue = pending && task.dueOn < today;
  const name = `${task.title}${showAccount ? ` for ${task.accountName}` : ''}`;
  return (
    <li className={`task${pending ? '' : ' task--finished'}`}>
      <div className="task__line">
        <Chip tone={task.tier === 1 ? 'neutral' : task.tier === 2 ? 'accent' : 'yellow'}>
          Tier {task.tier} · {TIER_LABELS[task.tier]}
        </Chip>
        <span className="task__title">
          {showAccount && <strong>{task.accountName}: </strong>}
          {task.title}
        </span>
      </div>
      <div className="task__meta">
        <span className={overdue ? 'task__due task__due--late' : 'task__due'}>{dueText(task, today)}</span>
        <span> · {task.owner}</span>
        {showAccount && <span> · {task.triggerLabel}</span>}
        {!pending && <span> · {finishedText(task)}</span>}
      </div>
      <RuleLine task={task} today={today} />
      {pending && !skipping && (
        <div className="task__actions">
          {task.tier === 1 && (
            <Button
              size="sm"
              loading={busy}
              onClick={() => void run(() => handToProduct(task))}
              aria-label={`Hand to product: ${name}`}
            >
              Hand to product
            </Button>
          )}
          {task.tier === 2 && (
            <Button
              size="sm"
              variant="primary"
              loading={busy}
              onClick={() => void run(() => approveTask(task))}
              aria-label={`${task.sendsOn ? 'Send now' : 'Approve and send'}: ${name}`}
            >
              {task.sendsOn ? 'Send now' : 'Approve and send'}
            </Button>
          )}
          {task.tier === 3 && (
            <Button
              size="sm"
              loading={busy}
              onClick={() => void run(() => markDone(task))}
              aria-label={`Done: ${name}`}
            >
              Done
            </Button>
          )}
          <Button size="sm" variant="ghost" onClick={() => setSkipping(true)} aria-label={`Skip: ${name}`}>
            Skip
          </Button>
        </div>
      )}
      {pending && skipping && (
        <form
          className="task__skip"
          onSubmit={(event) => {
            event.preventDefault();
            void run(async () => {
              if (await skipTask(task, note)) setSkipping(false);
            });
          }}
        >
          <label className="task__skip-label">
            Why skip “{task.title}”?
            <input
              autoFocus
              value={note}
              onChange={(e) => setNote(e.target.value)}
              aria-describedby={countId}
              aria-invalid={tooLong !== null || undefined}
              required
            />
          </label>
          <CharacterCount id={countId} text={note} max={TASK_NOTE_MAX} />
          {tooLong && (
            <p role="alert" className="task__skip-error">
              {tooLong}
            </p>
          )}
          <Button size="sm" type="submit" loading={busy} disabled={!note.trim() || tooLong !== null}>
            Skip step
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setSkipping(false)}>
            Cancel
          </Button>
        </form>
      )}
    </li>
  );
}
