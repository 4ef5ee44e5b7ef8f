import type { AppStatus } from '../../shared/dto/core.ts';
import { formatDateTime, formatNumber, formatRelative } from '../format.ts';
import { Tooltip } from '../ui/Tooltip.tsx';
import { toast } from '../ui/Toast.tsx';
import './StatusBar.css';

const COUNT_NOUNS: [keyof AppStatus['counts'], string, string][] = [
  ['accounts', 'account', 'accounts'],
  ['contacts', 'contact', 'contacts'],
  ['metrics', 'metric', 'metrics'],
  ['events', 'event', 'events'],
];

/** What is in the local database right now: real counts, schema version and sync freshness. */
export function StatusBar({ status }: { status: AppStatus }) {
  const copyPath = async () => {
    try {
      await navigator.clipboard.writeText(status.dbPath);
      toast({ title: 'Database path copied', description: status.dbPath, tone: 'success' });
    } catch {
      toast({ title: 'Could not copy the path', description: status.dbPath, tone: 'error' });
    }
  };

  return (
    <div className="status-bar">
      <ul className="status-bar__counts" aria-label="Database contents">
        {COUNT_NOUNS.map(([kind, singular, plural]) => (
          <li key={kind}>
            <strong>{formatNumber(status.counts[kind])}</strong> {status.counts[kind] === 1 ? singular : plural}
          </li>
        ))}
      </ul>
      <div className="status-bar__meta">
        <span>
          Last sync{' '}
          {status.lastSyncAt ? (
            <time dateTime={status.lastSyncAt} title={formatDateTime(status.lastSyncAt)}>
              {formatRelative(status.lastSyncAt)}
            </time>
          ) : (
            <strong>never</strong>
          )}
        </span>
        <span aria-hidden="true" className="status-bar__sep">
          ·
        </span>
        <span>Schema v{status.schemaVersion}</span>
        <Tooltip
          content={
            <>
              {status.dbPath}
              <br />
              Click to copy the path.
            </>
          }
        >
          <button type="button" className="status-bar__db" onClick={() => void copyPath()}>
            Local database
          </button>
        </Tooltip>
      </div>
    </div>
  );
}
