import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { RunRow, RunStatus } from '../../../shared/dto/sync.ts';
import { usePagedQuery } from '../../api/paged.ts';
import { formatDateTime, formatNumber } from '../../format.ts';
import { Chip, type ChipTone } from '../../ui/Chip.tsx';
import { DataTable } from '../../ui/DataTable.tsx';

const column = createColumnHelper<RunRow>();
const STATUS: Record<RunStatus, { label: string; tone: ChipTone }> = {
  ok: { label: 'OK', tone: 'green' },
  unchanged: { label: 'No changes', tone: 'neutral' },
  partial: { label: 'Some rejected', tone: 'yellow' },
  failed: { label: 'Failed', tone: 'red' },
  offline: { label: 'Offline', tone: 'yellow' },
  unauthorised: { label: 'Token rejected', tone: 'red' },
};
const TYPE = { import: 'File', feed: 'Feed', retry: 'Re-check' } as const;

export function HistoryPanel() {
  const runs = usePagedQuery('sync.runs.list', {}, { pageSize: 100, reloadOn: ['sync'] });
  const columns = useMemo(
    () => [
      column.accessor('startedAt', {
        header: 'When',
        cell: ({ getValue }) => <time dateTime={getValue()}>{formatDateTime(getValue())}</time>,
        meta: { width: '190px' },
      }),
      column.accessor('origin', {
        header: 'What',
        cell: ({ row }) => (
          <span className="sync__ellipsis" title={row.original.origin}>
            <span className="sync__muted">{TYPE[row.original.type]}</span> {row.original.origin}
          </span>
        ),
        meta: { width: '24%' },
      }),
      column.accessor('status', {
        header: 'Result',
        cell: ({ getValue }) => (
          <Chip tone={STATUS[getValue()].tone} dot>
            {STATUS[getValue()].label}
          </Chip>
        ),
        meta: { width: '140px' },
      }),
      column.accessor(
        (run) => run.accepted.accounts + run.accepted.contacts + run.accepted.metrics + run.accepted.events,
        {
          id: 'accepted',
          header: 'New or changed',
          cell: ({ getValue }) => formatNumber(getValue()),
          meta: { width: '110px', align: 'right' },
        },
      ),
      column.accessor('unchanged', {
        header: 'Unchanged',
        cell: ({ getValue }) => formatNumber(getValue()),
        meta: { width: '90px', align: 'right' },
      }),
      column.accessor('rejected', {
        header: 'Rejected',
        cell: ({ getValue }) => formatNumber(getValue()),
        meta: { width: '80px', align: 'right' },
      }),
      column.accessor('message', {
        header: 'Notes',
        cell: ({ getValue }) => (
          <span className="sync__reason" title={getValue() ?? undefined}>
            {getValue() ?? ''}
          </span>
        ),
      }),
    ],
    [],
  );
  return (
    <section className="sync__panel sync__panel--wide" aria-labelledby="sync-history-title">
      <header className="sync__panel-header">
        <h2 id="sync-history-title" className="sync__panel-title">
          History
        </h2>
        <p className="sync__panel-description">Every import, feed sync and re-check, newest first.</p>
      </header>
      <div className="sync__table">
        <DataTable
          label="Import and sync history"
          data={runs.rows}
          columns={columns}
          getRowId={(row) => String(row.runId)}
          totalRows={runs.total ?? undefined}
          enableSorting={false}
          onEndReached={runs.loadMore}
          empty={<span className="sync__muted">{runs.loading ? 'Loading…' : 'Nothing imported or synced yet.'}</span>}
        />
      </div>
    </section>
  );
}
