/**
 * What the success plan's goals and notes share: a panel with a heading and an Add button, its
 * list (or a sentence when it is empty or could not be loaded), the Add/Edit form in a dialog, a
 * confirmation before Delete, the Edit and Delete buttons of each row, and the form's error line
 * and footer. Each panel says only what differs: its words, its list and its form's fields.
 */
import type { ReactNode } from 'react';
import { useState } from 'react';
import { Button } from '../ui/Button.tsx';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import './success-plan.css';

export interface EditableListPanelProps<T> {
  headingId: string;
  heading: string;
  addLabel: string;
  query: { data: readonly T[] | undefined; error: { message: string } | null; loading: boolean };
  /** "the notes": for "Could not load the notes: …". */
  what: string;
  /** Said when there is nothing yet, after "No notes yet"; a hint on what to add. */
  empty: { none: string; hint: string };
  list: (rows: readonly T[], act: { edit: (row: T) => void; remove: (row: T) => void }) => ReactNode;
  dialog: { title: (row: T | null) => string; description?: string };
  form: (row: T | null, done: () => void) => ReactNode;
  confirmDelete: (row: T) => { title: string; description: string; confirmLabel: string };
  remove: (row: T) => Promise<unknown>;
}

export function EditableListPanel<T>(props: EditableListPanelProps<T>) {
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const [deleting, setDeleting] = useState<T | null>(null);
  const rows = props.query.data ?? [];
  const confirm = deleting === null ? null : props.confirmDelete(deleting);
  return (
    <section className="account__panel" aria-labelledby={props.headingId}>
      <div className="plan__head">
        <h2 id={props.headingId} className="account__heading">
          {props.heading}
        </h2>
        <Button size="sm" variant="primary" onClick={() => setEditing('new')}>
          {props.addLabel}
        </Button>
      </div>
      {props.query.error ? (
        <p role="alert" className="plan__error">
          Could not load {props.what}: {props.query.error.message}
        </p>
      ) : rows.length === 0 ? (
        <p className="account__muted">
          {props.empty.none}
          {props.query.loading ? '' : `; ${props.empty.hint}`}.
        </p>
      ) : (
        props.list(rows, { edit: setEditing, remove: setDeleting })
      )}
      <Dialog
        open={editing !== null}
        onOpenChange={(open) => !open && setEditing(null)}
        title={editing === null ? '' : props.dialog.title(editing === 'new' ? null : editing)}
        description={props.dialog.description}
        width="md"
      >
        {editing !== null && props.form(editing === 'new' ? null : editing, () => setEditing(null))}
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        onOpenChange={(open) => !open && setDeleting(null)}
        title={confirm?.title ?? ''}
        description={confirm?.description ?? ''}
        confirmLabel={confirm?.confirmLabel ?? 'Delete'}
        tone="danger"
        onConfirm={() => (deleting !== null ? props.remove(deleting) : undefined)}
      />
    </section>
  );
}

/** A row's Edit and Delete; `what` names the row for screen readers: "the goal “Roll out…”". */
export function EditDeleteButtons({
  what,
  onEdit,
  onDelete,
}: {
  what: string;
  onEdit: () => void;
  onDelete: () => void;
}) {
  return (
    <span className="plan__actions">
      <Button size="sm" variant="ghost" onClick={onEdit} aria-label={`Edit ${what}`}>
        Edit
      </Button>
      <Button size="sm" variant="ghost" onClick={onDelete} aria-label={`Delete ${what}`}>
        Delete
      </Button>
    </span>
  );
}

/** The Add/Edit form: its fields, the error sentence, Cancel and the submit button. */
export function PlanForm({
  children,
  error,
  busy,
  submitLabel,
  onSubmit,
  onCancel,
}: {
  children: ReactNode;
  error: string | null;
  busy: boolean;
  submitLabel: string;
  onSubmit: () => void;
  onCancel: () => void;
}) {
  return (
    <form
      className="plan-form"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
      {error && (
        <p role="alert" className="plan__error">
          {error}
        </p>
      )}
      <div className="dialog__footer">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" loading={busy}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
