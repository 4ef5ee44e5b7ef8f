/**
 * Snooze and dismiss for risk items, shared by Today (s / x on a row) and the Account screen (one
 * item's buttons). Each lists the items it will act on, so nothing is snoozed or dismissed unseen.
 */
import { useId, useState } from 'react';
import { api, errorMessage } from '../../api/client.ts';
import { CLOSE_REASON_MAX, latestSnoozeDay, SNOOZE_MAX_DAYS, SNOOZE_REASON_MAX } from '../../../shared/dto/snooze.ts';
import { tooLongSentence } from '../../../shared/text-length.ts';
import { formatDate } from '../../format.ts';
import { Button } from '../../ui/Button.tsx';
import { CharacterCount } from '../../ui/CharacterCount.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { toast } from '../../ui/Toast.tsx';

export interface ActionableItem {
  itemId: number;
  label: string;
  evidence: string;
}

interface ItemDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  accountName: string;
  items: ActionableItem[];
  /** The day "today" means for the default snooze date. */
  today: string;
  onDone?: () => void;
  /** Where focus goes when the dialog closes (Dialog's returnFocus). */
  returnFocus?: () => void;
}

function addDaysIso(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function ItemChecklist({
  items,
  chosen,
  setChosen,
}: {
  items: ActionableItem[];
  chosen: Set<number>;
  setChosen: (next: Set<number>) => void;
}) {
  if (items.length === 1) {
    const only = items[0] as ActionableItem;
    return (
      <p className="item-dialog__single">
        <strong>{only.label}</strong>: {only.evidence}
      </p>
    );
  }
  return (
    <fieldset className="item-dialog__items">
      <legend>Risk items</legend>
      {items.map((item) => (
        <label key={item.itemId} className="item-dialog__item">
          <input
            type="checkbox"
            checked={chosen.has(item.itemId)}
            onChange={(event) => {
              const next = new Set(chosen);
              if (event.target.checked) next.add(item.itemId);
              else next.delete(item.itemId);
              setChosen(next);
            }}
          />
          <span>
            <strong>{item.label}</strong>: {item.evidence}
          </span>
        </label>
      ))}
    </fieldset>
  );
}

export function SnoozeDialog(props: ItemDialogProps) {
  const { open, onOpenChange, accountName, returnFocus } = props;
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      returnFocus={returnFocus}
      title={`Snooze ${accountName}`}
      description="Hidden from Today until the date; later syncs update the item but do not bring it back early."
      width="md"
    >
      {open && <SnoozeForm {...props} />}
    </Dialog>
  );
}

function SnoozeForm({ onOpenChange, accountName, items, today, onDone }: ItemDialogProps) {
  const [chosen, setChosen] = useState<Set<number>>(() => new Set(items.map((i) => i.itemId)));
  const [until, setUntil] = useState(() => addDaysIso(today, 7));
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const untilId = useId();
  const reasonId = useId();

  const submit = async () => {
    if (chosen.size === 0) return setError('Choose at least one item.');
    if (until <= today) return setError(`Pick a date after ${formatDate(today)}.`);
    if (until > latestSnoozeDay(today))
      return setError(
        `Snooze for at most ${SNOOZE_MAX_DAYS} days, until ${formatDate(latestSnoozeDay(today))} at the latest.`,
      );
    if (!reason.trim()) return setError('Say why, so whoever sees the item next knows.');
    const tooLong = tooLongSentence('The reason', reason, SNOOZE_REASON_MAX);
    if (tooLong) return setError(tooLong);
    setBusy(true);
    setError(null);
    try {
      for (const itemId of chosen) await api.call('risk.item.snooze', { itemId, until, reason: reason.trim() });
      toast({
        tone: 'success',
        title: `Snoozed ${chosen.size === 1 ? 'one item' : `${chosen.size} items`} on ${accountName}`,
        description: `Until ${formatDate(until)}.`,
      });
      onOpenChange(false);
      onDone?.();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="item-dialog"
      // The form's own checks say what is wrong in one sentence, rather than the browser's tooltip.
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <ItemChecklist items={items} chosen={chosen} setChosen={setChosen} />
      <div className="item-dialog__row">
        <label htmlFor={untilId}>Snooze until</label>
        <input
          id={untilId}
          type="date"
          value={until}
          min={addDaysIso(today, 1)}
          max={latestSnoozeDay(today)}
          onChange={(event) => {
            setUntil(event.target.value);
            setError(null);
          }}
          required
        />
      </div>
      <ReasonField
        id={reasonId}
        label="Reason"
        value={reason}
        onChange={(value) => {
          setReason(value);
          setError(null); // a "Say why…" must not stay once they do
        }}
        placeholder="e.g. Waiting for their budget review"
        max={SNOOZE_REASON_MAX}
      />
      <SubmitFooter error={error} busy={busy} label="Snooze" variant="primary" onCancel={() => onOpenChange(false)} />
    </form>
  );
}

export function DismissDialog(props: ItemDialogProps) {
  const { open, onOpenChange, accountName, returnFocus } = props;
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      returnFocus={returnFocus}
      title={`Dismiss for ${accountName}`}
      description="Closes the item. It will not come back while the same condition holds; it opens again only if the condition clears and returns."
      width="md"
    >
      {open && <DismissForm {...props} />}
    </Dialog>
  );
}

function DismissForm({ onOpenChange, accountName, items, onDone }: ItemDialogProps) {
  const [chosen, setChosen] = useState<Set<number>>(() => new Set(items.map((i) => i.itemId)));
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reasonId = useId();

  const submit = async () => {
    if (chosen.size === 0) return setError('Choose at least one item.');
    const tooLong = tooLongSentence('The reason', reason, CLOSE_REASON_MAX);
    if (tooLong) return setError(tooLong);
    setBusy(true);
    setError(null);
    try {
      for (const itemId of chosen) await api.call('risk.item.dismiss', { itemId, reason: reason.trim() || null });
      toast({
        tone: 'success',
        title: `Dismissed ${chosen.size === 1 ? 'one item' : `${chosen.size} items`} on ${accountName}`,
      });
      onOpenChange(false);
      onDone?.();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="item-dialog"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <ItemChecklist items={items} chosen={chosen} setChosen={setChosen} />
      <ReasonField
        id={reasonId}
        label="Reason (optional)"
        value={reason}
        onChange={setReason}
        placeholder="e.g. Known; handled by their account executive"
        max={CLOSE_REASON_MAX}
      />
      <SubmitFooter error={error} busy={busy} label="Dismiss" variant="danger" onCancel={() => onOpenChange(false)} />
    </form>
  );
}

/** The free-text reason both dialogs ask for; it takes focus so the user can type at once. */
function ReasonField({
  id,
  label,
  value,
  onChange,
  placeholder,
  max,
}: {
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  placeholder: string;
  /** Shown as a live count; the form refuses more (a maxlength would cut pasted text silently). */
  max: number;
}) {
  const countId = useId();
  return (
    <div className="item-dialog__row">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        placeholder={placeholder}
        aria-describedby={countId}
        autoFocus
      />
      <CharacterCount id={countId} text={value} max={max} />
    </div>
  );
}

function SubmitFooter({
  error,
  busy,
  label,
  variant,
  onCancel,
}: {
  error: string | null;
  busy: boolean;
  label: string;
  variant: 'primary' | 'danger';
  onCancel(): void;
}) {
  return (
    <>
      {error && (
        <p role="alert" className="item-dialog__error">
          {error}
        </p>
      )}
      <div className="dialog__footer">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant={variant} loading={busy}>
          {label}
        </Button>
      </div>
    </>
  );
}

export const TRIAGE_KEYS: { keys: string; action: string }[] = [
  { keys: 'j / ↓', action: 'Next account' },
  { keys: 'k / ↑', action: 'Previous account' },
  { keys: 'Enter', action: 'Open the account' },
  { keys: 'd', action: 'Draft outreach for the top item' },
  { keys: 'l', action: 'Log a call, meeting, email or note' },
  { keys: 't', action: 'Tasks due today (playbook steps)' },
  { keys: 's', action: 'Snooze the account’s open items' },
  { keys: 'x', action: 'Dismiss the account’s open items' },
  { keys: '/', action: 'Search accounts' },
  { keys: '?', action: 'Show these shortcuts' },
];

export function KeyboardHelpDialog({
  open,
  onOpenChange,
  returnFocus,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  returnFocus?: () => void;
}) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      returnFocus={returnFocus}
      title="Keyboard shortcuts"
      description="Triage the list without the mouse. Shortcuts work when no text field has focus."
      footer={<Button onClick={() => onOpenChange(false)}>Close</Button>}
    >
      <table className="keys-table">
        <caption className="visually-hidden">Keyboard shortcuts on Today</caption>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {TRIAGE_KEYS.map((k) => (
            <tr key={k.keys}>
              <td>
                <kbd>{k.keys}</kbd>
              </td>
              <td>{k.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Dialog>
  );
}
