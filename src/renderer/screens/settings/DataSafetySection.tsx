import { useState } from 'react';
import type { BackupInfo } from '../../../shared/dto/desktop.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { formatDateTime } from '../../format.ts';
import { Button } from '../../ui/Button.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { QueryFallback } from '../../ui/QueryFallback.tsx';
import { toast } from '../../ui/toast-store.ts';

const KIND_LABELS: Record<BackupInfo['kind'], string> = {
  scheduled: 'Daily',
  manual: 'Manual',
  'pre-restore': 'Before a restore',
};

function size(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Settings › Data safety: Back up now, the list of backups, Restore. */
export function DataSafetySection() {
  const overview = useApiQuery('backups.list', {});
  const backUp = useApiMutation('backups.create');
  const restore = useApiMutation('backups.restore');
  const [confirming, setConfirming] = useState<BackupInfo | null>(null);
  const data = overview.data;

  const backUpNow = async () => {
    try {
      const created = await backUp.run({});
      toast({ title: 'Backup complete', description: `Saved and verified: ${created.backup.id}`, tone: 'success' });
      overview.reload();
    } catch (error) {
      toast({ title: 'Backup failed', description: (error as Error).message, tone: 'error' });
    }
  };

  const restoreFromFile = async () => {
    try {
      const outcome = await restore.run({ fromFile: true });
      if (outcome) toast({ title: 'Data restored', description: outcome.message, tone: 'success', duration: 15_000 });
      overview.reload();
    } catch (error) {
      toast({ title: 'Restore failed', description: (error as Error).message, tone: 'error' });
    }
  };

  if (overview.error || !data) return <QueryFallback query={overview} what="backups" size="inline" />;

  return (
    <div>
      {data.lastRecovery && (
        <p className="settings__notice" role="status">
          <strong>{formatDateTime(data.lastRecovery.at)}:</strong> {data.lastRecovery.message}
        </p>
      )}
      <p className="settings__muted">
        A verified backup is taken every day the app runs; {data.policy.daily} daily and {data.policy.weekly} weekly
        copies are kept in <code>{data.folder}</code>.
      </p>
      <div className="settings__actions">
        <Button variant="primary" loading={backUp.running} onClick={() => void backUpNow()}>
          Back up now
        </Button>
        {data.canChooseFile && (
          <Button loading={restore.running} onClick={() => void restoreFromFile()}>
            Restore from file…
          </Button>
        )}
      </div>
      {data.backups.length === 0 ? (
        <p className="settings__muted">No backups yet.</p>
      ) : (
        <table className="settings__table" aria-label="Backups">
          <thead>
            <tr>
              <th scope="col">Taken</th>
              <th scope="col">Kind</th>
              <th scope="col">Size</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.backups.map((backup) => (
              <tr key={backup.id}>
                <td>{formatDateTime(backup.takenAt)}</td>
                <td>{KIND_LABELS[backup.kind]}</td>
                <td>{size(backup.bytes)}</td>
                <td>
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => setConfirming(backup)}
                    aria-label={`Restore the backup taken ${formatDateTime(backup.takenAt)}`}
                  >
                    Restore…
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(open) => !open && setConfirming(null)}
        title="Restore this backup?"
        description={
          confirming
            ? `The data will be replaced with the backup taken ${formatDateTime(confirming.takenAt)}. Changes made after that are not in it; the current data is kept as a "before a restore" backup first.`
            : ''
        }
        confirmLabel="Restore backup"
        tone="danger"
        onConfirm={async () => {
          if (!confirming) return;
          const outcome = await restore.run({ id: confirming.id });
          if (outcome)
            toast({ title: 'Data restored', description: outcome.message, tone: 'success', duration: 15_000 });
          overview.reload();
        }}
      />
    </div>
  );
}
