/**
 * Columns of the Renewals list, shown in a DataTable so that only the rows on screen are in the
 * DOM: the 90-day view of a 50,000-account book holds ~10,700 renewals, and rendering them all
 * froze the tab for seconds. Rows keep the server's order (overdue first, then by date).
 */
import type { ColumnDef } from '@tanstack/react-table';
import { DATA_GAP_WORDS } from '../../../shared/dto/data-gap.ts';
import type { RenewalRow } from '../../../shared/dto/renewals.ts';
import { formatCount, formatDate, formatDaysAway, formatMoney, formatPChurn } from '../../format.ts';
import { Link } from '../../router/Link.tsx';
import { pathTo } from '../../router/location.ts';
import { CellText } from '../../ui/CellText.tsx';
import { BAND_LABEL, BandChip, Chip } from '../../ui/Chip.tsx';

const usd = (amount: number) => formatMoney(amount, 'USD', { cents: false });

export const RENEWAL_COLUMNS: ColumnDef<RenewalRow, unknown>[] = [
  {
    id: 'account',
    header: 'Account',
    meta: { width: '16%', rowHeader: true },
    // One line per row (virtual rows are a fixed height): the segment follows the name, muted.
    cell: ({ row }) => (
      <span className="renewals__account" title={[row.original.name, row.original.segment].filter(Boolean).join(' · ')}>
        <Link to={pathTo('/accounts/:id', { id: row.original.accountId })}>{row.original.name}</Link>
        {row.original.segment && <span className="renewals__muted"> · {row.original.segment}</span>}
      </span>
    ),
  },
  {
    id: 'renewal',
    header: 'Renewal',
    meta: { width: '232px' },
    cell: ({ row }) => (
      <>
        {formatDate(row.original.renewalDate)}{' '}
        {row.original.overdue ? (
          <Chip tone="red">{`Overdue by ${formatCount(-row.original.daysToRenewal, 'day')}`}</Chip>
        ) : (
          <span className="renewals__muted">{formatDaysAway(row.original.daysToRenewal)}</span>
        )}
      </>
    ),
  },
  {
    id: 'health',
    header: 'Health',
    meta: { width: '112px' },
    cell: ({ row }) =>
      row.original.score === null || row.original.band === null ? (
        <span className="renewals__muted">
          {row.original.dataGap === null ? 'No score' : `No score, ${DATA_GAP_WORDS[row.original.dataGap]}`}
        </span>
      ) : (
        <BandChip band={row.original.band}>{`${row.original.score} ${BAND_LABEL[row.original.band]}`}</BandChip>
      ),
  },
  {
    id: 'p_churn',
    header: 'P(churn)',
    meta: { width: '76px', align: 'right' },
    cell: ({ row }) => (row.original.pChurn === null ? '—' : formatPChurn(row.original.pChurn)),
  },
  {
    id: 'arr',
    header: 'ARR',
    meta: { width: '88px', align: 'right' },
    cell: ({ row }) => formatMoney(row.original.arr, row.original.currency, { cents: false }),
  },
  {
    id: 'expected',
    header: 'Expected to renew (USD)',
    meta: { width: '150px', align: 'right' },
    cell: ({ row }) => (row.original.expectedRenewUsd === null ? '—' : usd(row.original.expectedRenewUsd)),
  },
  {
    id: 'owner',
    header: 'Owner',
    // A long address is cut off in the cell; the whole of it is in a tooltip and the accessible name.
    cell: ({ row }) => (row.original.owner ? <CellText label="Owner" text={row.original.owner} /> : '—'),
  },
  {
    id: 'last_touch',
    header: 'Last touch',
    meta: { width: '112px' },
    cell: ({ row }) => (row.original.lastTouchOn ? formatDate(row.original.lastTouchOn) : 'Never'),
  },
];
