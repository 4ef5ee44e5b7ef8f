/**
 * Named views of a screen whose state lives in the URL (Today, Accounts, Renewals): open one, save
 * the current view under a name, rename or delete the open one. Stored locally in the database.
 */
import { useId, useState } from 'react';
import { VIEW_NAME_MAX, type ViewScreen } from '../../shared/dto/views.ts';
import { tooLongSentence } from '../../shared/text-length.ts';
import { api } from '../api/client.ts';
import { useApiQuery } from '../api/hooks.ts';
import { navigate } from '../router/location.ts';
import { Button } from '../ui/Button.tsx';
import { Dialog } from '../ui/Dialog.tsx';
import { toast } from '../ui/Toast.tsx';
import './views.css';

/**
 * The query string without order differences or the `ignored` keys, so "the same view" compares
 * equal: on Today the keyboard cursor (`at`) is saved with a view but moving it keeps the view open.
 */
function canonical(query: string, ignored: readonly string[]): string {
  const params = new URLSearchParams(query.replace(/^\?/, ''));
  for (const key of ignored) params.delete(key);
  params.sort();
  return params.toString();
}

export function SavedViews({
  screen,
  path,
  query,
  ignoreWhenMatching = [],
}: {
  screen: ViewScreen;
  path: string;
  query: URLSearchParams;
  /** Keys saved with a view that do not make it a different view when they change (e.g. the cursor). */
  ignoreWhenMatching?: readonly string[];
}) {
  const views = useApiQuery('views.list', { screen }, { reloadOn: false });
  const [dialog, setDialog] = useState<null | 'save' | 'rename'>(null);
  const selectId = useId();
  const current = canonical(query.toString(), ignoreWhenMatching);
  const open = views.data?.find((v) => canonical(v.query, ignoreWhenMatching) === current) ?? null;

  const run = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      views.reload();
      toast({ tone: 'success', title: done });
      return true;
    } catch (error) {
      toast({
        tone: 'error',
        title: 'The view was not changed',
        description: error instanceof Error ? error.message : String(error),
      });
      return false;
    }
  };

  return (
    <div className="saved-views" role="group" aria-label="Saved views">
      <label htmlFor={selectId}>View</label>
      <select
        id={selectId}
        value={open?.name ?? ''}
        onChange={(e) => {
          const view = views.data?.find((v) => v.name === e.target.value);
          if (view) navigate(`${path}?${view.query}`);
        }}
      >
        <option value="">{open ? 'Unsaved view' : 'Current (unsaved)'}</option>
        {(views.data ?? []).map((v) => (
          <option key={v.name} value={v.name}>
            {v.name}
          </option>
        ))}
      </select>
      <Button size="sm" onClick={() => setDialog('save')}>
        Save view…
      </Button>
      {open && (
        <>
          <Button size="sm" variant="ghost" onClick={() => setDialog('rename')}>
            Rename
          </Button>
          <Button
            size="sm"
            variant="ghost"
            onClick={() =>
              void run(() => api.call('views.remove', { screen, name: open.name }), `Deleted “${open.name}”`)
            }
          >
            Delete
          </Button>
        </>
      )}
      <NameDialog
        open={dialog !== null}
        title={dialog === 'rename' ? `Rename “${open?.name ?? ''}”` : 'Save this view'}
        initial={dialog === 'rename' ? (open?.name ?? '') : ''}
        onOpenChange={(o) => !o && setDialog(null)}
        // Saving under a taken name asks first: it would replace that view's filters.
        taken={(name) => dialog === 'save' && (views.data ?? []).some((v) => v.name === name)}
        onSubmit={async (name) => {
          const ok =
            dialog === 'rename' && open
              ? await run(() => api.call('views.rename', { screen, from: open.name, to: name }), `Renamed to “${name}”`)
              : await run(
                  () => api.call('views.save', { screen, name, query: query.toString(), replace: true }),
                  `Saved “${name}”`,
                );
          if (ok) setDialog(null);
        }}
      />
    </div>
  );
}

function NameDialog({
  open,
  title,
  initial,
  taken,
  onOpenChange,
  onSubmit,
}: {
  open: boolean;
  title: string;
  initial: string;
  taken: (name: string) => boolean;
  onOpenChange: (open: boolean) => void;
  onSubmit: (name: string) => Promise<void>;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={title}>
      {open && <NameForm initial={initial} taken={taken} onCancel={() => onOpenChange(false)} onSubmit={onSubmit} />}
    </Dialog>
  );
}

function NameForm({
  initial,
  taken,
  onCancel,
  onSubmit,
}: {
  initial: string;
  taken: (name: string) => boolean;
  onCancel: () => void;
  onSubmit: (name: string) => Promise<void>;
}) {
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  // The taken name the user was asked about; saving it again replaces that view.
  const [replacing, setReplacing] = useState<string | null>(null);
  const id = useId();
  const confirming = replacing !== null && replacing === name.trim();
  return (
    <form
      className="saved-views__form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!name.trim()) return setError('Give the view a name.');
        // Said here, as the app would, rather than cut by a maxlength.
        const tooLong = tooLongSentence('The view name', name, VIEW_NAME_MAX);
        if (tooLong) return setError(tooLong);
        if (taken(name.trim()) && !confirming) {
          setReplacing(name.trim());
          return setError(`A view called “${name.trim()}” already exists. Replace it with this view?`);
        }
        void onSubmit(name.trim());
      }}
    >
      <label htmlFor={id}>Name</label>
      <input
        id={id}
        type="text"
        value={name}
        autoFocus
        onChange={(e) => {
          setName(e.target.value);
          setError(null);
        }}
      />
      {error && (
        <p role="alert" className="saved-views__error">
          {error}
        </p>
      )}
      <div className="dialog__footer">
        <Button onClick={onCancel}>Cancel</Button>
        <Button type="submit" variant="primary">
          {confirming ? 'Replace' : 'Save'}
        </Button>
      </div>
    </form>
  );
}
