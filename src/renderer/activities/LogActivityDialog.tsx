/**
 * Log a call, meeting, email or note for one account: from the account page and from Today (key
 * `l`). The summary has focus and Enter logs a call, so a call is two keystrokes and a sentence.
 */
import { useId, useState } from 'react';
import {
  ACTIVITY_LABELS,
  ACTIVITY_OUTCOME_MAX,
  ACTIVITY_SUMMARY_MAX,
  ACTIVITY_TYPES,
  type ActivityType,
} from '../../shared/dto/activities.ts';
import { tooLongSentence } from '../../shared/text-length.ts';
import { CharacterCount } from '../ui/CharacterCount.tsx';
import { useApiMutation, useApiQuery } from '../api/hooks.ts';
import { Button } from '../ui/Button.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { toast } from '../ui/Toast.tsx';
import './activities.css';
import { errorMessage } from '../api/client.ts';

export interface LogActivityDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  accountId: string;
  accountName: string;
  /** The default date: today. */
  today: string;
}

export function LogActivityDialog(props: LogActivityDialogProps) {
  const { open, onOpenChange, accountName } = props;
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={`Log an activity for ${accountName}`}
      description="Calls, meetings and emails count as a CSM touch: the last touch and the health score update at once. A note does not."
      width="md"
    >
      {open && <LogActivityForm {...props} />}
    </Dialog>
  );
}

function LogActivityForm({ onOpenChange, accountId, accountName, today }: LogActivityDialogProps) {
  const [type, setType] = useState<ActivityType>('call');
  const [at, setAt] = useState(today);
  const [contactId, setContactId] = useState('');
  const [summary, setSummary] = useState('');
  const [outcome, setOutcome] = useState('');
  const [error, setError] = useState<string | null>(null);
  const add = useApiMutation('activities.add');
  const account = useApiQuery('risk.account', { accountId });
  const contacts = account.data?.contacts ?? [];
  const ids = {
    type: useId(),
    at: useId(),
    contact: useId(),
    summary: useId(),
    summaryCount: useId(),
    outcome: useId(),
    outcomeCount: useId(),
  };

  const submit = async () => {
    if (!summary.trim()) return setError('Write a summary, so the next person knows what happened.');
    const tooLong =
      tooLongSentence('The summary', summary, ACTIVITY_SUMMARY_MAX) ??
      tooLongSentence('The outcome', outcome, ACTIVITY_OUTCOME_MAX);
    if (tooLong) return setError(tooLong);
    if (!at || at > today) return setError('Pick the day it happened (today or earlier).');
    setError(null);
    try {
      await add.run({
        accountId,
        type,
        at,
        contactId: contactId || null,
        summary: summary.trim(),
        outcome: outcome.trim() || null,
      });
      toast({ tone: 'success', title: `Logged a ${ACTIVITY_LABELS[type].toLowerCase()} for ${accountName}` });
      onOpenChange(false);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  return (
    <form
      className="activity-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <fieldset className="activity-form__types">
        <legend id={ids.type}>Type</legend>
        {ACTIVITY_TYPES.map((t) => (
          <label key={t} className="activity-form__type">
            <input type="radio" name="activity-type" value={t} checked={type === t} onChange={() => setType(t)} />
            {ACTIVITY_LABELS[t]}
          </label>
        ))}
      </fieldset>
      <div className="activity-form__row">
        <label htmlFor={ids.summary}>Summary</label>
        <input
          id={ids.summary}
          type="text"
          value={summary}
          onChange={(event) => setSummary(event.target.value)}
          placeholder="e.g. Walked through the new billing page"
          aria-describedby={ids.summaryCount}
          autoFocus
        />
        <CharacterCount id={ids.summaryCount} text={summary} max={ACTIVITY_SUMMARY_MAX} />
      </div>
      <div className="activity-form__pair">
        <div className="activity-form__row">
          <label htmlFor={ids.at}>Date</label>
          <input id={ids.at} type="date" value={at} max={today} onChange={(event) => setAt(event.target.value)} />
        </div>
        <div className="activity-form__row">
          <label htmlFor={ids.contact}>Contact (optional)</label>
          <select id={ids.contact} value={contactId} onChange={(event) => setContactId(event.target.value)}>
            <option value="">No one in particular</option>
            {contacts.map((c) => (
              <option key={c.contactId} value={c.contactId}>
                {c.name ?? c.contactId}
                {c.isChampion ? ' (champion)' : ''}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div className="activity-form__row">
        <label htmlFor={ids.outcome}>Outcome (optional)</label>
        <input
          id={ids.outcome}
          type="text"
          value={outcome}
          onChange={(event) => setOutcome(event.target.value)}
          placeholder="e.g. QBR booked for next week"
          aria-describedby={ids.outcomeCount}
        />
        <CharacterCount id={ids.outcomeCount} text={outcome} max={ACTIVITY_OUTCOME_MAX} />
      </div>
      {error && (
        <p role="alert" className="activity-form__error">
          {error}
        </p>
      )}
      <div className="dialog__footer">
        <Button onClick={() => onOpenChange(false)}>Cancel</Button>
        <Button type="submit" variant="primary" loading={add.running}>
          Log {ACTIVITY_LABELS[type].toLowerCase()}
        </Button>
      </div>
    </form>
  );
}
