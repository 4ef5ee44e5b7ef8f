import { createColumnHelper } from '@tanstack/react-table';
import { useId, useMemo, useState } from 'react';
import type { RecordKind } from '../../../shared/dto/core.ts';
import type { QuarantineRow } from '../../../shared/dto/sync.ts';
import { api, errorMessage } from '../../api/client.ts';
import { usePagedQuery } from '../../api/paged.ts';
import { formatCount, formatNumber } from '../../format.ts';
import { useDebouncedValue } from '../../hooks/useDebouncedValue.ts';
import { Button } from '../../ui/Button.tsx';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { DataTable } from '../../ui/DataTable.tsx';
import { SearchInput } from '../../ui/SearchInput.tsx';
import { toast } from '../../ui/Toast.tsx';
import { downloadText } from './upload.ts';

const column = createColumnHelper<QuarantineRow>();
const RELOAD_ON = ['sync'] as const;

export function QuarantinePanel({ count, canSave }: { count: number; canSave: boolean }) {
  const [kind, setKind] = useState<RecordKind | ''>('');
  const [search, setSearch] = useState('');
  const query = useDebouncedValue(search.trim(), 200);
  const [busy, setBusy] = useState<'export' | 'retry' | null>(null);
  const [discarding, setDiscarding] = useState(false);
  const kindId = useId();
  const list = usePagedQuery(
    'sync.quarantine.list',
    { search: query, ...(kind ? { kind } : {}) },
    { pageSize: 200, reloadOn: RELOAD_ON },
  );

  const columns = useMemo(
    () => [
      column.accessor('kind', { header: 'Kind', meta: { width: '90px' } }),
      column.accessor('file', {
        header: 'File',
        cell: ({ getValue }) => (
          <span className="sync__ellipsis" title={getValue()}>
            {getValue()}
          </span>
        ),
        meta: { width: '22%' },
      }),
      column.accessor('line', {
        header: 'Line',
        // A feed row is counted by item, as the sync reported it ("item 2").
        cell: ({ getValue, row }) =>
          getValue() === null
            ? '—'
            : row.original.unit === 'item'
              ? `item ${formatNumber(getValue()!)}`
              : formatNumber(getValue()!),
        meta: { width: '80px', align: 'right' },
      }),
      column.display({
        id: 'account',
        header: 'Account',
        // Which record was rejected: its account, as it arrived.
        cell: ({ row }) => {
          const id = row.original.values?.account_id;
          return typeof id === 'string' || typeof id === 'number' ? (
            <span className="sync__ellipsis" title={String(id)}>
              {String(id)}
            </span>
          ) : (
            '—'
          );
        },
        meta: { width: '120px' },
      }),
      column.accessor('field', {
        header: 'Field',
        cell: ({ getValue }) => getValue() ?? '—',
        meta: { width: '130px' },
      }),
      column.accessor('reason', {
        header: 'Reason',
        cell: ({ getValue }) => (
          <span className="sync__reason" title={getValue()}>
            {getValue()}
          </span>
        ),
      }),
    ],
    [],
  );

  const exportRows = async () => {
    setBusy('export');
    try {
      const exported = await api.call('sync.quarantine.export', kind ? { kind } : {});
      if (exported.csv !== null) downloadText(exported.fileName, exported.csv);
      if (exported.csv !== null || exported.savedTo) {
        toast({
          title: `Exported ${formatCount(exported.rows, 'rejected row')}`,
          description: 'Fix the values, keep the quarantine_id and kind columns, and import the file again.',
          tone: 'success',
        });
      }
    } catch (error) {
      toast({ title: 'Export failed', description: errorMessage(error), tone: 'error' });
    } finally {
      setBusy(null);
    }
  };

  const retry = async () => {
    setBusy('retry');
    try {
      const result = await api.call('sync.quarantine.retry', {});
      toast({
        title: result.resolved > 0 ? `${formatCount(result.resolved, 'row')} left the quarantine` : 'Still rejected',
        description: `${formatCount(result.rejected, 'row')} still need a fix.`,
        tone: result.resolved > 0 ? 'success' : 'info',
      });
    } catch (error) {
      toast({ title: 'Re-check failed', description: errorMessage(error), tone: 'error' });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="sync__panel sync__panel--wide" aria-labelledby="sync-quarantine-title">
      <header className="sync__panel-header sync__panel-header--row">
        <div>
          <h2 id="sync-quarantine-title" className="sync__panel-title">
            Quarantine <span className="sync__count">{formatNumber(count)}</span>
          </h2>
          <p className="sync__panel-description">
            Rows that broke the data contract, with the reason. Export them, fix them in a spreadsheet and import the
            file again; rows waiting for their account pass once you re-check.
          </p>
        </div>
        <div className="sync__toolbar">
          <Button size="sm" loading={busy === 'export'} disabled={count === 0} onClick={() => void exportRows()}>
            {canSave ? 'Save rejected rows as CSV…' : 'Export rejected rows (CSV)'}
          </Button>
          <Button size="sm" loading={busy === 'retry'} disabled={count === 0} onClick={() => void retry()}>
            Re-check all
          </Button>
          <Button size="sm" variant="ghost" disabled={!list.total} onClick={() => setDiscarding(true)}>
            {kind || query ? 'Discard shown' : 'Discard all'}
          </Button>
        </div>
      </header>
      <div className="sync__filters">
        <SearchInput
          label="Search rejected rows"
          placeholder="Search file, field or reason"
          value={search}
          onValueChange={setSearch}
        />
        <label className="sync__kind" htmlFor={kindId}>
          Kind
          <select id={kindId} value={kind} onChange={(event) => setKind(event.target.value as RecordKind | '')}>
            <option value="">All kinds</option>
            <option value="accounts">Accounts</option>
            <option value="contacts">Contacts</option>
            <option value="metrics">Metrics</option>
            <option value="events">Events</option>
          </select>
        </label>
      </div>
      <div className="sync__table">
        <DataTable
          label="Rejected rows"
          data={list.rows}
          columns={columns}
          getRowId={(row) => String(row.id)}
          totalRows={list.total ?? undefined}
          enableSorting={false}
          onEndReached={list.loadMore}
          empty={
            <span className="sync__muted">
              {list.loading
                ? 'Loading…'
                : query || kind
                  ? 'No rejected rows match.'
                  : 'No rejected rows. Everything imported so far passed the data contract.'}
            </span>
          }
        />
      </div>
      <ConfirmDialog
        open={discarding}
        onOpenChange={setDiscarding}
        title={discardTitle(list.total ?? 0, kind, query)}
        description="They are deleted from the quarantine and will not be imported. Export them first if you may want them later."
        confirmLabel={`Discard ${formatCount(list.total ?? 0, 'row')}`}
        tone="danger"
        onConfirm={async () => {
          // The same filter as the list: discard exactly the rows on screen, never the other kinds.
          const { discarded } = await api.call('sync.quarantine.discard', {
            all: true,
            search: query,
            ...(kind ? { kind } : {}),
          });
          toast({ title: `Discarded ${formatCount(discarded, 'row')}`, tone: 'success' });
        }}
      />
    </section>
  );
}

/** "Discard 1 rejected metrics row?", "Discard 3 rejected rows matching "n/a"?", "Discard all 11 rejected rows?" */
function discardTitle(total: number, kind: RecordKind | '', search: string): string {
  if (!kind && !search) return `Discard all ${formatCount(total, 'rejected row')}?`;
  const rows = formatCount(total, kind ? `rejected ${kind} row` : 'rejected row');
  return `Discard ${rows}${search ? ` matching "${search}"` : ''}?`;
}
