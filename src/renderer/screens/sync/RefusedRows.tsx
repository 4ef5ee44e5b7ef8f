/**
 * Rows of the outbox a team hub refused on their own (a 422 such as "account X is not in your
 * book" once a cover ended): they stay in this book, each shown with the hub's reason, until the
 * user keeps it local (clears the notice) or discards the intervention.
 */
import { useState } from 'react';
import type { RefusedRow } from '../../../shared/dto/sync.ts';
import { api, errorMessage } from '../../api/client.ts';
import { formatCount } from '../../format.ts';
import { Button } from '../../ui/Button.tsx';
import { toast } from '../../ui/Toast.tsx';

export function RefusedRows({ source, rows }: { source: string; rows: readonly RefusedRow[] }) {
  const [busy, setBusy] = useState<string | null>(null);
  if (rows.length === 0) return null;
  const resolve = async (row: RefusedRow, action: 'keep' | 'discard') => {
    setBusy(row.id);
    try {
      await api.call('sync.sources.resolveRefused', { name: source, id: row.id, action });
      toast({
        title: action === 'keep' ? 'Kept in this book only' : 'Intervention deleted',
        description: `${row.accountId}: ${source} will not be asked again${action === 'keep' ? ' unless it changes' : ''}.`,
        tone: 'success',
      });
    } catch (error) {
      toast({ title: 'Nothing changed', description: errorMessage(error), tone: 'error' });
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="sync__refused" role="group" aria-label={`Rows ${source} refused`}>
      <span className="sync__error-text">
        {source} refused {formatCount(rows.length, 'row')}; {rows.length === 1 ? 'it stays' : 'they stay'} in this book
        only:
      </span>
      <ul>
        {rows.map((row) => (
          <li key={row.id}>
            <span>
              {row.cohort === 'control' ? 'Held-out outcome' : 'Intervention'} on {row.accountId}: {row.reason}.
            </span>{' '}
            <Button size="sm" variant="ghost" disabled={busy !== null} onClick={() => void resolve(row, 'keep')}>
              Keep local
            </Button>
            {row.cohort === 'treated' && (
              <Button size="sm" variant="ghost" disabled={busy !== null} onClick={() => void resolve(row, 'discard')}>
                Discard
              </Button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
