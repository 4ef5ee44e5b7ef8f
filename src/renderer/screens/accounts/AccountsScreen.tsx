/**
 * Accounts: the whole book as a grid with health and band, trend, P(churn), ARR (sorted in USD at
 * the configured rates, so currencies compare correctly), renewal, last touch, data age, owner and
 * segment. Filters, sort and the chosen columns live in the URL, so Back and a shared link return
 * to the same view; the current view exports as CSV or XLSX. Sorted and paged on the server.
 */
import type { SortingState } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import {
  GRID_COLUMNS,
  gridExportTitle,
  type AccountStatus,
  type GridColumn,
  type GridSort,
} from '../../../shared/dto/accounts-grid.ts';
import type { Band } from '../../../shared/dto/risk.ts';
import { api } from '../../api/client.ts';
import { useApiQuery } from '../../api/hooks.ts';
import { jobBar, jobProgressText } from '../../api/job-progress.ts';
import { useActiveJobs } from '../../api/jobs.ts';
import { usePagedQuery } from '../../api/paged.ts';
import { formatCount } from '../../format.ts';
import { useDebouncedValue } from '../../hooks/useDebouncedValue.ts';
import type { ScreenProps } from '../../routes.tsx';
import { navigate } from '../../router/location.ts';
import { Button } from '../../ui/Button.tsx';
import { DataTable } from '../../ui/DataTable.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { ProgressBar } from '../../ui/ProgressBar.tsx';
import { BandSelect, SegmentSelect } from '../../ui/FilterSelects.tsx';
import { QueryFallback } from '../../ui/QueryFallback.tsx';
import { SearchInput } from '../../ui/SearchInput.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { toast } from '../../ui/Toast.tsx';
import { downloadBase64 } from '../outcomes/download.ts';
import { SavedViews } from '../../views/SavedViews.tsx';
import { COLUMN_LABELS, GRID_SORT_OF, gridColumns } from './gridColumns.tsx';
import './AccountsScreen.css';
import { settingsPlace } from '../settings/sections.ts';

/** Active by default, as Today and Renewals list them; churned accounts on asking. */
type StatusView = AccountStatus | 'all';

interface View {
  status: StatusView;
  band: Band | null;
  segment: string | null;
  owner: string;
  sort: GridSort;
  direction: 'asc' | 'desc';
  columns: GridColumn[];
}

const DEFAULT_COLUMNS: GridColumn[] = [...GRID_COLUMNS];

function viewFrom(query: URLSearchParams): View {
  const band = query.get('band');
  const sortColumn = (GRID_COLUMNS as readonly string[]).includes(query.get('sort') ?? '')
    ? (query.get('sort') as GridColumn)
    : 'arr';
  const cols = query
    .get('cols')
    ?.split(',')
    .filter((c): c is GridColumn => (GRID_COLUMNS as readonly string[]).includes(c));
  const status = query.get('status');
  return {
    status: status === 'churned' || status === 'all' ? status : 'active',
    band: band === 'red' || band === 'yellow' || band === 'green' ? band : null,
    segment: query.get('segment') || null,
    owner: query.get('owner') || 'all',
    sort: GRID_SORT_OF[sortColumn] ?? 'arr',
    direction: query.get('dir') === 'asc' ? 'asc' : 'desc',
    columns: cols && cols.length > 0 ? cols : DEFAULT_COLUMNS,
  };
}

function columnOfSort(sort: GridSort): GridColumn {
  return (Object.entries(GRID_SORT_OF).find(([, s]) => s === sort)?.[0] as GridColumn | undefined) ?? 'arr';
}

function toQuery(view: View): string {
  const params = new URLSearchParams();
  if (view.status !== 'active') params.set('status', view.status);
  if (view.band) params.set('band', view.band);
  if (view.segment) params.set('segment', view.segment);
  if (view.owner !== 'all') params.set('owner', view.owner);
  params.set('sort', columnOfSort(view.sort));
  params.set('dir', view.direction);
  if (view.columns.length !== DEFAULT_COLUMNS.length) params.set('cols', view.columns.join(','));
  return params.toString();
}

export function AccountsScreen({ query: urlQuery }: ScreenProps) {
  const view = viewFrom(urlQuery);
  const setView = (change: Partial<View>) =>
    navigate(`/accounts?${toQuery({ ...view, ...change })}`, { replace: true });
  const [search, setSearch] = useState('');
  const query = useDebouncedValue(search.trim(), 200);
  const facets = useApiQuery('risk.facets', {}, { reloadOn: ['risk', 'accounts'] });
  const filter = {
    search: query,
    status: view.status === 'all' ? null : view.status,
    band: view.band,
    segment: view.segment,
    owner: view.owner,
    sort: view.sort,
    direction: view.direction,
  };
  const list = usePagedQuery('accounts.grid', filter, { pageSize: 500, reloadOn: ['accounts', 'risk'] });
  const columns = useMemo(() => gridColumns(view.columns), [view.columns]);
  const sorting: SortingState = [{ id: columnOfSort(view.sort), desc: view.direction === 'desc' }];
  const [exporting, setExporting] = useState<'csv' | 'xlsx' | null>(null);
  // The export runs as a job on the server; its progress events drive a bar under the toolbar.
  const exportJob = useActiveJobs().find((job) => exporting !== null && job.title === gridExportTitle(exporting));

  const exportView = async (format: 'csv' | 'xlsx') => {
    setExporting(format);
    try {
      const file = await api.call('accounts.export', { ...filter, format, columns: view.columns });
      if (file.base64) downloadBase64(file.base64, file.filename, file.mime);
      toast({
        tone: 'success',
        title: `Exported ${formatCount(file.rows, 'account')}`,
        description: file.path ?? file.filename,
      });
    } catch (error) {
      toast({
        tone: 'error',
        title: 'Export failed',
        description: error instanceof Error ? error.message : String(error),
      });
    } finally {
      setExporting(null);
    }
  };

  const filtered =
    query !== '' || view.status !== 'active' || view.band !== null || view.segment !== null || view.owner !== 'all';

  return (
    <div className="accounts">
      <PageHeader
        title="Accounts"
        description={`Your whole book with its health. ARR sorts in US dollars at the rates in ${settingsPlace('health-score')}.`}
        actions={
          <SearchInput
            label="Search accounts"
            placeholder="Search accounts…"
            value={search}
            onValueChange={setSearch}
          />
        }
      />

      <div className="accounts__filters" role="group" aria-label="Filters">
        <label className="accounts__field">
          Status
          <select value={view.status} onChange={(e) => setView({ status: e.target.value as StatusView })}>
            <option value="active">Active</option>
            <option value="churned">Churned</option>
            <option value="all">All statuses</option>
          </select>
        </label>
        <label className="accounts__field">
          Band
          <BandSelect value={view.band} onChange={(band) => setView({ band })} />
        </label>
        <label className="accounts__field">
          Segment
          <SegmentSelect
            value={view.segment}
            segments={facets.data?.segments ?? []}
            onChange={(segment) => setView({ segment })}
          />
        </label>
        <label className="accounts__field">
          Owner
          <select value={view.owner} onChange={(e) => setView({ owner: e.target.value })}>
            <option value="all">All owners</option>
            {facets.data?.me && <option value="me">My accounts</option>}
            {(facets.data?.owners ?? []).map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <details className="accounts__chooser">
          <summary>Columns</summary>
          <fieldset>
            <legend className="visually-hidden">Columns shown</legend>
            {GRID_COLUMNS.filter((c) => c !== 'name').map((c) => (
              <label key={c}>
                <input
                  type="checkbox"
                  checked={view.columns.includes(c)}
                  onChange={(e) =>
                    setView({
                      columns: e.target.checked
                        ? GRID_COLUMNS.filter((x) => x === c || view.columns.includes(x))
                        : view.columns.filter((x) => x !== c),
                    })
                  }
                />
                {COLUMN_LABELS[c]}
              </label>
            ))}
          </fieldset>
        </details>
        <span className="accounts__spacer" />
        <SavedViews screen="accounts" path="/accounts" query={urlQuery} />
        <Button size="sm" onClick={() => void exportView('csv')} disabled={exporting !== null}>
          Export CSV
        </Button>
        <Button size="sm" onClick={() => void exportView('xlsx')} disabled={exporting !== null}>
          Export XLSX
        </Button>
      </div>

      {exporting && (
        <div className="accounts__export">
          <ProgressBar
            label={exportJob ? `${gridExportTitle(exporting)} — ${exportJob.label}` : gridExportTitle(exporting)}
            {...(exportJob ? jobBar(exportJob) : { value: null })}
            detail={exportJob ? jobProgressText(exportJob, 'accounts') : 'Starting…'}
          />
        </div>
      )}
      <div className="accounts__summary">
        <p role="status" className="accounts__count">
          {list.total !== null ? summary(list.total, query, view.status) : list.error ? '' : 'Loading accounts…'}
        </p>
        {list.loading && <Spinner size={12} />}
        {list.page?.scoredAsOf === null && (
          <span className="accounts__note">The book has not been scored yet, so health is not shown.</span>
        )}
      </div>

      {list.error ? (
        <QueryFallback query={list} what="accounts" />
      ) : (
        <DataTable
          label="Accounts"
          data={list.rows}
          columns={columns}
          getRowId={(row) => row.accountId}
          totalRows={list.total ?? undefined}
          manualSorting
          sorting={sorting}
          onSortingChange={(updater) => {
            const next = typeof updater === 'function' ? updater(sorting) : updater;
            const first = next[0];
            const sort = first ? GRID_SORT_OF[first.id as GridColumn] : undefined;
            if (first && sort) setView({ sort, direction: first.desc ? 'desc' : 'asc' });
          }}
          onEndReached={list.loadMore}
          empty={
            list.current && filtered ? (
              <EmptyState
                size="inline"
                level={3}
                title="No matching accounts"
                action={
                  <Button
                    onClick={() => {
                      setSearch('');
                      setView({ status: 'active', band: null, segment: null, owner: 'all' });
                    }}
                  >
                    Clear search and filters
                  </Button>
                }
              >
                <p>Nothing in your book matches{query ? ` “${query}”` : ' these filters'}.</p>
              </EmptyState>
            ) : null
          }
          footer={list.hasMore ? <span>Loading more accounts…</span> : undefined}
        />
      )}
    </div>
  );
}

function summary(total: number, query: string, status: StatusView): string {
  // The count says which accounts it counts: the default leaves churned ones out.
  const count = formatCount(total, status === 'all' ? 'account' : `${status} account`);
  return query === '' ? count : `${count} matching “${query}”`;
}
