/**
 * The account page's notes: what everyone working on the account should know, dated and signed.
 * Unlike a logged activity (what happened), a note is kept up to date: Edit and Delete on each.
 */
import { useId, useState } from 'react';
import { NOTE_MAX, type AccountNote } from '../../shared/dto/success-plan.ts';
import { tooLongSentence } from '../../shared/text-length.ts';
import { api, errorMessage } from '../api/client.ts';
import { useApiMutation, useApiQuery } from '../api/hooks.ts';
import { formatDate } from '../format.ts';
import { CharacterCount } from '../ui/CharacterCount.tsx';
import { toast } from '../ui/Toast.tsx';
import { EditableListPanel, EditDeleteButtons, PlanForm } from './EditableList.tsx';

/** The first words of a note, for a button's accessible name. */
const gist = (text: string) => (text.length > 40 ? `${text.slice(0, 40).trimEnd()}…` : text);

export function NotesPanel({
  accountId,
  accountName,
  today,
}: {
  accountId: string;
  accountName: string;
  today: string;
}) {
  const notes = useApiQuery('notes.list', { accountId }, { reloadOn: ['success-plan'] });
  return (
    <EditableListPanel<AccountNote>
      headingId="account-notes"
      heading="Notes"
      addLabel="Add note"
      query={notes}
      what="the notes"
      empty={{ none: 'No notes yet', hint: 'write down what the next person on this account should know' }}
      list={(rows, act) => (
        <ul className="plan__notes">
          {rows.map((note) => (
            <li key={note.noteId}>
              <p className="plan__note-text">{note.text}</p>
              <div className="plan__note-meta">
                <span className="account__muted account__small">
                  <time dateTime={note.notedOn}>{formatDate(note.notedOn)}</time>
                  {note.authorEmail ? ` · ${note.authorEmail}` : ''}
                  {note.updatedAt !== note.createdAt ? ' · edited' : ''}
                </span>
                <EditDeleteButtons
                  what={`the note “${gist(note.text)}”`}
                  onEdit={() => act.edit(note)}
                  onDelete={() => act.remove(note)}
                />
              </div>
            </li>
          ))}
        </ul>
      )}
      dialog={{ title: (note) => (note ? 'Edit the note' : `Add a note for ${accountName}`) }}
      form={(note, done) => <NoteForm note={note} accountId={accountId} today={today} onDone={done} />}
      confirmDelete={(note) => ({
        title: 'Delete this note?',
        description: `“${gist(note.text)}” will be gone for everyone using this book.`,
        confirmLabel: 'Delete note',
      })}
      remove={(note) => api.call('notes.remove', { noteId: note.noteId })}
    />
  );
}

function NoteForm({
  note,
  accountId,
  today,
  onDone,
}: {
  note: AccountNote | null;
  accountId: string;
  today: string;
  onDone: () => void;
}) {
  const [text, setText] = useState(note?.text ?? '');
  const [on, setOn] = useState(note?.notedOn ?? today);
  const [error, setError] = useState<string | null>(null);
  const add = useApiMutation('notes.add');
  const edit = useApiMutation('notes.edit');
  const ids = { text: useId(), count: useId(), on: useId() };

  const submit = async () => {
    if (!text.trim()) return setError('Write the note; an empty note tells the next person nothing.');
    const tooLong = tooLongSentence('The note', text, NOTE_MAX);
    if (tooLong) return setError(tooLong);
    if (!on || on > today) return setError('Date the note today or earlier.');
    setError(null);
    try {
      if (note) await edit.run({ noteId: note.noteId, text: text.trim(), on });
      else await add.run({ accountId, text: text.trim(), on });
      toast({ tone: 'success', title: note ? 'Note saved' : 'Note added' });
      onDone();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  return (
    <PlanForm
      error={error}
      busy={add.running || edit.running}
      submitLabel={note ? 'Save note' : 'Add note'}
      onSubmit={() => void submit()}
      onCancel={onDone}
    >
      <div className="plan-form__row">
        <label htmlFor={ids.text}>Note</label>
        <textarea
          id={ids.text}
          value={text}
          rows={5}
          aria-describedby={ids.count}
          autoFocus
          placeholder="e.g. Budget is decided in September; Ana prefers email to calls."
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            // Ctrl/⌘+Enter saves from the text box, as in most note editors; Enter alone is a new line.
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              void submit();
            }
          }}
        />
        <CharacterCount id={ids.count} text={text} max={NOTE_MAX} />
      </div>
      <div className="plan-form__row plan-form__row--narrow">
        <label htmlFor={ids.on}>Date</label>
        <input id={ids.on} type="date" value={on} max={today} onChange={(event) => setOn(event.target.value)} />
      </div>
    </PlanForm>
  );
}
