/**
 * The account page's notes: what everyone working on the account should know, dated and signed.
 * Unlike a logged activity (what happened), a note is kept up to date: Edit and Delete on each.
 */
import { useId, useState } from 'react';
import type { AccountNote } from '../../shared/dto/success-plan.ts';
import { api, errorMessage } from '../api/client.ts';
import { useApiMutation, useApiQuery } from '../api/hooks.ts';
import { formatDate } from '../format.ts';
import { Button } from '../ui/Button.tsx';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { toast } from '../ui/Toast.tsx';
import './success-plan.css';

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
  const [editing, setEditing] = useState<AccountNote | 'new' | null>(null);
  const [deleting, setDeleting] = useState<AccountNote | null>(null);
  const rows = notes.data ?? [];
  return (
    <section className="account__panel" aria-labelledby="account-notes">
      <div className="plan__head">
        <h2 id="account-notes" className="account__heading">
          Notes
        </h2>
        <Button size="sm" variant="primary" onClick={() => setEditing('new')}>
          Add note
        </Button>
      </div>
      {notes.error ? (
        <p role="alert" className="plan__error">
          Could not load the notes: {notes.error.message}
        </p>
      ) : rows.length === 0 ? (
        <p className="account__muted">
          No notes yet{notes.loading ? '' : '; write down what the next person on this account should know'}.
        </p>
      ) : (
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
                <span className="plan__actions">
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => setEditing(note)}
                    aria-label={`Edit the note “${gist(note.text)}”`}
                  >
                    Edit
                  </Button>
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => setDeleting(note)}
                    aria-label={`Delete the note “${gist(note.text)}”`}
                  >
                    Delete
                  </Button>
                </span>
              </div>
            </li>
          ))}
        </ul>
      )}
      <Dialog
        open={editing !== null}
        onOpenChange={(open) => !open && setEditing(null)}
        title={editing === 'new' ? `Add a note for ${accountName}` : 'Edit the note'}
        width="md"
      >
        {editing !== null && (
          <NoteForm
            note={editing === 'new' ? null : editing}
            accountId={accountId}
            today={today}
            onDone={() => setEditing(null)}
          />
        )}
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title="Delete this note?"
        description={deleting ? `“${gist(deleting.text)}” will be gone for everyone using this book.` : ''}
        confirmLabel="Delete note"
        tone="danger"
        onConfirm={() => (deleting ? api.call('notes.remove', { noteId: deleting.noteId }) : undefined)}
      />
    </section>
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
  const ids = { text: useId(), on: useId() };

  const submit = async () => {
    if (!text.trim()) return setError('Write the note; an empty note tells the next person nothing.');
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
    <form
      className="plan-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <div className="plan-form__row">
        <label htmlFor={ids.text}>Note</label>
        <textarea
          id={ids.text}
          value={text}
          rows={5}
          maxLength={5000}
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
      </div>
      <div className="plan-form__row plan-form__row--narrow">
        <label htmlFor={ids.on}>Date</label>
        <input id={ids.on} type="date" value={on} max={today} onChange={(event) => setOn(event.target.value)} />
      </div>
      {error && (
        <p role="alert" className="plan__error">
          {error}
        </p>
      )}
      <div className="dialog__footer">
        <Button onClick={onDone}>Cancel</Button>
        <Button type="submit" variant="primary" loading={add.running || edit.running}>
          {note ? 'Save note' : 'Add note'}
        </Button>
      </div>
    </form>
  );
}
