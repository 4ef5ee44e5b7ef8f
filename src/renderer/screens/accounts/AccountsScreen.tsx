import { useState } from 'react';
import type { SortingState } from '@tanstack/react-table';
import { usePagedQuery } from '../../api/paged.ts';
import { formatCount, formatNumber } from '../../format.ts';
import { useDebouncedValue } from '../../hooks/useDebouncedValue.ts';
import { Button } from '../../ui/Button.tsx';
import { DataTable } from '../../ui/DataTable.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { QueryFallback } from '../../ui/QueryFallback.tsx';
import { SearchInput } from '../../ui/SearchInput.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { accountColumns } from './accountColumns.tsx';
import './AccountsScreen.css';

/** accounts.list returns the book largest ARR first; the table says so until the user re-sorts. */
const SERVER_ORDER: SortingState = [{ id: 'arr', desc: true }];

export function AccountsScreen() {
  const [search, setSearch] = useState('');
  const query = useDebouncedValue(search.trim(), 200);
  const list = usePagedQuery('accounts.list', { search: query }, { pageSize: 500, reloadOn: ['accounts'] });
  const [sorting, setSorting] = useState<SortingState>(SERVER_ORDER);

  // Sorting a partly loaded list would only sort what happens to be loaded, which looks right
  // and is wrong. Until every match is loaded the rows stay in server order.
  const complete = list.current && list.total !== null && list.rows.length === list.total;

  return (
    <div className="accounts">
      <PageHeader
        title="Accounts"
        description="Your whole book, largest ARR first. Search by name, account ID or owner email."
        actions={
          <SearchInput
            label="Search accounts"
            placeholder="Search accounts…"
            value={search}
            onValueChange={setSearch}
          />
        }
      />

      <div className="accounts__summary">
        <p role="status" className="accounts__count">
          {list.total === null ? 'Loading accounts…' : summary(list.total, query)}
        </p>
        {list.loading && <Spinner size={12} />}
        {!complete && list.total !== null && list.current && (
          <span className="accounts__note">
            Showing {formatNumber(list.rows.length)} so far; more load as you scroll. Sorting is available once all are
            loaded.
          </span>
        )}
      </div>

      {list.error ? (
        <QueryFallback query={list} what="accounts" />
      ) : (
        <DataTable
          label="Accounts"
          data={list.rows}
          columns={accountColumns}
          getRowId={(row) => row.account_id}
          totalRows={list.total ?? undefined}
          sorting={complete ? sorting : SERVER_ORDER}
          onSortingChange={setSorting}
          enableSorting={complete}
          onEndReached={list.loadMore}
          empty={
            list.current && query !== '' ? (
              <EmptyState
                size="inline"
                level={3}
                title="No matching accounts"
                action={<Button onClick={() => setSearch('')}>Clear search</Button>}
              >
                <p>Nothing in your book matches “{query}”.</p>
              </EmptyState>
            ) : null
          }
          footer={list.hasMore ? <span>Loading more accounts…</span> : undefined}
        />
      )}
    </div>
  );
}

function summary(total: number, query: string): string {
  const count = formatCount(total, 'account');
  return query === '' ? count : `${count} matching “${query}”`;
}
