import { createColumnHelper } from '@tanstack/react-table';
import type { AccountRow } from '../../../shared/dto/core.ts';
import { formatDate, formatMoney } from '../../format.ts';
import { Link } from '../../router/Link.tsx';
import { pathTo } from '../../router/location.ts';
import { Chip } from '../../ui/Chip.tsx';

const column = createColumnHelper<AccountRow>();

// Missing text values sort as empty strings so they group together instead of as "null".
const text = (value: string | null) => value ?? '';

export const accountColumns = [
  column.accessor('name', {
    header: 'Name',
    meta: { width: '22%' },
    cell: (info) => (
      <Link to={pathTo('/accounts/:id', { id: info.row.original.account_id })} className="accounts__name">
        {info.getValue()}
      </Link>
    ),
  }),
  column.accessor('arr', {
    header: 'ARR',
    meta: { align: 'right', width: '12%' },
    // ARR is stored in the account's own currency; never convert or assume dollars.
    cell: (info) => formatMoney(info.getValue(), info.row.original.currency),
  }),
  column.accessor((row) => text(row.segment), {
    id: 'segment',
    header: 'Segment',
    meta: { width: '11%' },
    cell: (info) => info.getValue() || '—',
  }),
  column.accessor((row) => text(row.plan), {
    id: 'plan',
    header: 'Plan',
    meta: { width: '10%' },
    cell: (info) => info.getValue() || '—',
  }),
  column.accessor((row) => text(row.owner_email), {
    id: 'owner',
    header: 'Owner',
    meta: { width: '23%' },
    cell: (info) => (
      <span className="accounts__owner" title={info.getValue() || undefined}>
        {info.getValue() || 'Unassigned'}
      </span>
    ),
  }),
  column.accessor((row) => text(row.renewal_date), {
    id: 'renewal',
    header: 'Renewal',
    meta: { width: '12%' },
    cell: (info) => formatDate(info.getValue() || null),
  }),
  column.accessor('status', {
    header: 'Status',
    meta: { width: '10%' },
    cell: (info) =>
      info.getValue() === 'active' ? (
        <Chip tone="green" dot>
          Active
        </Chip>
      ) : (
        <Chip tone="neutral">Churned</Chip>
      ),
  }),
];
