import { useId, useState } from 'react';
import type { SourceView, SyncOverview } from '../../../shared/dto/sync.ts';
import { api, errorMessage } from '../../api/client.ts';
import { formatDateTime, formatNumber, formatRelative } from '../../format.ts';
import { Button } from '../../ui/Button.tsx';
import { Chip } from '../../ui/Chip.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Dialog, DialogClose } from '../../ui/Dialog.tsx';
import { toast } from '../../ui/Toast.tsx';
import { describeDataAge } from './age.ts';
import { RefusedRows } from './RefusedRows.tsx';
import { SOURCE_STATUS } from './source-status.ts';
import { TeamFacts } from './TeamFacts.tsx';

export function SourcesPanel({
  overview,
  syncing,
  onSync,
}: {
  overview: SyncOverview | undefined;
  syncing: boolean;
  onSync: (name: string) => void;
}) {
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<string | null>(null);
  const sources = overview?.sources ?? [];
  const now = new Date();

  return (
    <section className="sync__panel" aria-labelledby="sync-sources-title">
      <header className="sync__panel-header sync__panel-header--row">
        <div>
          <h2 id="sync-sources-title" className="sync__panel-title">
            Feed sources
          </h2>
          <p className="sync__panel-description">
            An HTTP feed from your data team (see the feed protocol). Synced automatically; failed syncs retry with
            growing pauses.
          </p>
        </div>
        <Button size="sm" onClick={() => setAdding(true)}>
          Add source
        </Button>
      </header>
      {sources.length === 0 ? (
        <p className="sync__muted sync__empty">No feed sources yet. Importing files works without one.</p>
      ) : (
        <ul className="sync__sources" aria-label="Feed sources">
          {sources.map((source) => (
            <SourceItem
              key={source.name}
              source={source}
              now={now}
              syncing={syncing}
              onSync={onSync}
              onRemove={() => setRemoving(source.name)}
            />
          ))}
        </ul>
      )}
      <AddSourceDialog open={adding} onOpenChange={setAdding} canStoreTokens={overview?.canStoreTokens ?? false} />
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title={`Remove ${removing ?? 'source'}?`}
        description="Its data stays in Foresight; only the connection and its stored token are removed."
        confirmLabel="Remove source"
        tone="danger"
        onConfirm={async () => {
          await api.call('sync.sources.remove', { name: removing! });
          toast({ title: `Removed ${removing}`, tone: 'success' });
        }}
      />
    </section>
  );
}

function SourceItem({
  source,
  now,
  syncing,
  onSync,
  onRemove,
}: {
  source: SourceView;
  now: Date;
  syncing: boolean;
  onSync: (name: string) => void;
  onRemove: () => void;
}) {
  const status = SOURCE_STATUS[source.status];
  return (
    <li className="sync__source">
      <div className="sync__source-main">
        <div className="sync__source-name">
          <strong>{source.name}</strong>{' '}
          <Chip tone={status.tone} dot>
            {status.label}
          </Chip>
        </div>
        <div className="sync__muted sync__source-url">{source.url}</div>
        <div className="sync__source-facts">
          <span>
            Last successful sync:{' '}
            {source.lastSuccessAt ? (
              <>
                <time dateTime={source.lastSuccessAt}>{formatDateTime(source.lastSuccessAt)}</time> (
                {describeDataAge(source.lastSuccessAt, now)})
              </>
            ) : (
              'never'
            )}
          </span>
          {source.lastError && source.status !== 'ok' && <span className="sync__error-text">{source.lastError}</span>}
          {source.nextRetryAt && source.status !== 'ok' && (
            <span className="sync__muted">Next try {formatRelative(source.nextRetryAt, { now })}</span>
          )}
          {source.pendingOutbox > 0 && (
            <span className="sync__muted">{formatNumber(source.pendingOutbox)} interventions waiting to be sent</span>
          )}
          <RefusedRows source={source.name} rows={source.refused} />
          <TeamFacts team={source.team} />
          <span className="sync__muted">Token: {source.token ?? 'none'}</span>
        </div>
      </div>
      <div className="sync__source-actions">
        <Button size="sm" disabled={syncing} onClick={() => onSync(source.name)} aria-label={`Sync ${source.name} now`}>
          Sync
        </Button>
        <Button size="sm" variant="ghost" onClick={onRemove} aria-label={`Remove ${source.name}`}>
          Remove
        </Button>
      </div>
    </li>
  );
}

function AddSourceDialog({
  open,
  onOpenChange,
  canStoreTokens,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  canStoreTokens: boolean;
}) {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('https://');
  const [token, setToken] = useState('');
  const [tokenEnv, setTokenEnv] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ids = { name: useId(), url: useId(), token: useId(), env: useId() };

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      await api.call('sync.sources.save', {
        name: name.trim(),
        url: url.trim(),
        ...(token ? { token } : {}),
        ...(tokenEnv.trim() ? { tokenEnv: tokenEnv.trim() } : {}),
      });
      toast({ title: `Added ${name.trim()}`, description: 'Use "Sync now" to fetch its data.', tone: 'success' });
      setToken('');
      onOpenChange(false);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title="Add a feed source"
      description="Foresight asks the feed for /v1/accounts, /v1/contacts, /v1/metrics and /v1/events under this address."
      width="md"
      footer={
        <>
          <DialogClose asChild>
            <Button disabled={saving}>Cancel</Button>
          </DialogClose>
          <Button variant="primary" loading={saving} disabled={!name.trim() || !url.trim()} onClick={() => void save()}>
            Add source
          </Button>
        </>
      }
    >
      <form
        className="sync__form"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <label htmlFor={ids.name}>Name</label>
        <input
          id={ids.name}
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="warehouse"
          autoComplete="off"
        />
        <label htmlFor={ids.url}>Feed URL</label>
        <input id={ids.url} value={url} onChange={(e) => setUrl(e.target.value)} type="url" autoComplete="off" />
        {canStoreTokens ? (
          <>
            <label htmlFor={ids.token}>Token</label>
            <input
              id={ids.token}
              value={token}
              onChange={(e) => setToken(e.target.value)}
              type="password"
              autoComplete="off"
              aria-describedby={`${ids.token}-hint`}
            />
            <span id={`${ids.token}-hint`} className="sync__muted sync__form-hint">
              Stored encrypted by your operating system, never in the database.
            </span>
          </>
        ) : (
          <>
            <label htmlFor={ids.env}>Token variable</label>
            <input
              id={ids.env}
              value={tokenEnv}
              onChange={(e) => setTokenEnv(e.target.value)}
              placeholder="FORESIGHT_FEED_TOKEN_WAREHOUSE"
              autoComplete="off"
              aria-describedby={`${ids.env}-hint`}
            />
            <span id={`${ids.env}-hint`} className="sync__muted sync__form-hint">
              This system cannot store tokens encrypted: name the environment variable that holds it.
            </span>
          </>
        )}
        <button type="submit" hidden />
      </form>
      {error && (
        <p role="alert" className="dialog__error">
          {error}
        </p>
      )}
    </Dialog>
  );
}
