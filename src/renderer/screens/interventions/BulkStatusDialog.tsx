import { useId, useState } from 'react';
import { useApiMutation } from '../../api/hooks.ts';
import { formatCount } from '../../format.ts';
import { Button } from '../../ui/Button.tsx';
import { Dialog } from '../../ui/Dialog.tsx';
import { toast } from '../../ui/Toast.tsx';
import {
  MAX_NOTE_LENGTH,
  type InterventionListRow,
  type InterventionStatus,
} from '../../../shared/dto/interventions.ts';
import { tooLongSentence } from '../../../shared/text-length.ts';
import { CharacterCount } from '../../ui/CharacterCount.tsx';
import { STATUS_LABEL } from './labels.ts';

type Target = Exclude<InterventionStatus, 'planned'>;
const TARGETS: { value: Target; help: string }[] = [
  {
    value: 'sent',
    help: 'Marks planned interventions as sent now, and hands any decision made by hand back to the automatic evaluation.',
  },
  { value: 'succeeded', help: 'A manual override: the evaluation will leave it alone. Say why in the note.' },
  { value: 'failed', help: 'A manual override: the evaluation will leave it alone. Say why in the note.' },
  { value: 'expired', help: 'A manual override for when the outcome cannot be known. Say why in the note.' },
];

export interface BulkStatusDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  rows: InterventionListRow[];
  onDone: () => void;
}

/** Changes the status of the selected interventions; an outcome set by hand needs a note. */
export function BulkStatusDialog({ open, onOpenChange, rows, onDone }: BulkStatusDialogProps) {
  const [status, setStatus] = useState<Target>('succeeded');
  const [note, setNote] = useState('');
  const mutation = useApiMutation('interventions.setStatus');
  const noteId = useId();
  const helpId = useId();
  const countId = useId();
  const needsNote = status !== 'sent';
  const missingNote = needsNote && note.trim() === '';
  // Refused here with the sentence the app would say, rather than cut by a maxlength.
  const tooLong = tooLongSentence('The note', note, MAX_NOTE_LENGTH);

  const apply = async () => {
    try {
      const result = await mutation.run({ ids: rows.map((r) => r.intervention_id), status, note: note.trim() || null });
      toast({
        title: `${formatCount(result.updated, 'intervention')} updated`,
        description: result.unchanged
          ? `${formatCount(result.unchanged, 'was', 'were')} already like that.`
          : undefined,
        tone: 'success',
      });
      setNote('');
      onDone();
      onOpenChange(false);
    } catch {
      // The error is shown in the dialog.
    }
  };

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) mutation.reset();
        onOpenChange(next);
      }}
      title="Change status"
      description={`For ${formatCount(rows.length, 'selected intervention')}.`}
      width="md"
      footer={
        <>
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button
            variant="primary"
            onClick={() => void apply()}
            loading={mutation.running}
            disabled={missingNote || tooLong !== null || rows.length === 0}
          >
            Apply to {formatCount(rows.length, 'intervention')}
          </Button>
        </>
      }
    >
      <fieldset className="bulk-status">
        <legend>New status</legend>
        {TARGETS.map((target) => (
          <label key={target.value} className="bulk-status__option">
            <input
              type="radio"
              name="bulk-status"
              value={target.value}
              checked={status === target.value}
              onChange={() => setStatus(target.value)}
              aria-describedby={status === target.value ? helpId : undefined}
            />
            {STATUS_LABEL[target.value]}
          </label>
        ))}
      </fieldset>
      <p id={helpId} className="bulk-status__help">
        {TARGETS.find((t) => t.value === status)?.help}
      </p>
      <label htmlFor={noteId} className="bulk-status__label">
        Note{needsNote ? ' (required)' : ' (optional)'}
      </label>
      <textarea
        id={noteId}
        className="bulk-status__note"
        rows={3}
        value={note}
        required={needsNote}
        aria-describedby={countId}
        aria-invalid={mutation.error?.code === 'NOTE_REQUIRED' || tooLong !== null || undefined}
        placeholder={needsNote ? 'Why: e.g. the customer confirmed by phone that the card was updated.' : ''}
        onChange={(event) => setNote(event.target.value)}
      />
      <CharacterCount id={countId} text={note} max={MAX_NOTE_LENGTH} />
      {(tooLong ?? mutation.error) && (
        <p role="alert" className="bulk-status__error">
          {tooLong ?? mutation.error?.message}
        </p>
      )}
    </Dialog>
  );
}
