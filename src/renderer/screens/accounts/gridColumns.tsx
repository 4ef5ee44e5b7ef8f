/**
 * Columns of the Accounts grid. Ids are the column chooser's keys (GRID_COLUMNS); where a column
 * sorts, the server sorts by GRID_SORT_OF[id] (ARR in USD, so currencies compare correctly).
 */
import type { ColumnDef } from '@tanstack/react-table';
import type { GridColumn, GridRow, GridSort } from '../../../shared/dto/accounts-grid.ts';
import { DATA_GAP_WORDS } from '../../../shared/dto/data-gap.ts';
import { formatDate, formatMoney, formatPChurn } from '../../format.ts';
import { Link } from '../../router/Link.tsx';
import { pathTo } from '../../router/location.ts';
import { CellText } from '../../ui/CellText.tsx';
import { BAND_LABEL, BandChip, Chip } from '../../ui/Chip.tsx';
import { sparklineSpan, trendSentence, trendWords } from '../../../shared/trend-words.ts';
import { Sparkline } from '../today/Sparkline.tsx';

export const COLUMN_LABELS: Record<GridColumn, string> = {
  name: 'Name',
  health: 'Health',
  trend: 'Trend',
  p_churn: 'P(churn)',
  arr: 'ARR',
  renewal: 'Renewal',
  last_touch: 'Last touch',
  data_age: 'Data age',
  owner: 'Owner',
  segment: 'Segment',
};

export const GRID_SORT_OF: Partial<Record<GridColumn, GridSort>> = {
  name: 'name',
  health: 'score',
  p_churn: 'p_churn',
  arr: 'arr',
  renewal: 'renewal',
  last_touch: 'last_touch',
  data_age: 'data_age',
  owner: 'owner',
  segment: 'segment',
};

const ALL: ColumnDef<GridRow, unknown>[] = [
  {
    id: 'name',
    header: 'Name',
    accessorKey: 'name',
    meta: { width: '16%' },
    cell: ({ row }) => (
      <Link to={pathTo('/accounts/:id', { id: row.original.accountId })} className="accounts__name">
        {row.original.name}
      </Link>
    ),
  },
  {
    id: 'health',
    header: 'Health',
    accessorKey: 'score',
    sortDescFirst: true,
    meta: { width: '118px' },
    cell: ({ row }) =>
      row.original.status === 'churned' ? (
        // A lost customer, not a live account with missing data.
        <Chip
          tone="neutral"
          title={row.original.churnedOn ? `Churned on ${formatDate(row.original.churnedOn)}` : 'Churned'}
        >
          Churned
        </Chip>
      ) : row.original.score === null || row.original.band === null ? (
        <span className="accounts__muted" title="Missing or stale data: no score is claimed">
          {row.original.dataGap === null ? 'No score' : `No score, ${DATA_GAP_WORDS[row.original.dataGap]}`}
        </span>
      ) : (
        <BandChip band={row.original.band}>{`${row.original.score} ${BAND_LABEL[row.original.band]}`}</BandChip>
      ),
  },
  {
    id: 'trend',
    header: 'Trend',
    enableSorting: false,
    meta: { width: '190px' },
    // The label is the week's change (as on Today and in the CLI), and says so: beside a 30-day
    // line, a bare "Flat" read as the line's own direction. The tooltip gives both spans.
    cell: ({ row }) => {
      const { trend, scoreDelta, history } = row.original;
      const words = trendWords(trend, scoreDelta);
      const title = [sparklineSpan(history), `${trendSentence(trend, scoreDelta)}.`].filter(Boolean).join('. ');
      return (
        <span className="accounts__trend" title={title}>
          <Sparkline values={history} />
          <span className="accounts__muted" aria-hidden="true">
            {words === null ? '—' : `this week: ${words}`}
          </span>
          <span className="visually-hidden">{title}</span>
        </span>
      );
    },
  },
  {
    id: 'p_churn',
    header: 'P(churn)',
    accessorKey: 'pChurn',
    sortDescFirst: true,
    meta: { width: '80px', align: 'right' },
    cell: ({ row }) =>
      row.original.pChurn !== null ? (
        formatPChurn(row.original.pChurn)
      ) : (
        <span
          title={
            row.original.status === 'churned'
              ? 'No forecast: churned'
              : row.original.dataGap === null
                ? undefined
                : `No forecast: ${DATA_GAP_WORDS[row.original.dataGap]}`
          }
        >
          —
        </span>
      ),
  },
  {
    id: 'arr',
    header: 'ARR',
    accessorKey: 'arrUsd',
    sortDescFirst: true,
    meta: { width: '110px', align: 'right' },
    cell: ({ row }) => (
      <span
        title={
          row.original.fxKnown
            ? `${formatMoney(row.original.arrUsd, 'USD', { cents: false })} at the configured rate`
            : `No rate for ${row.original.currency}: sorted as if it were USD`
        }
      >
        {formatMoney(row.original.arr, row.original.currency, { compact: true })}
      </span>
    ),
  },
  {
    id: 'renewal',
    header: 'Renewal',
    accessorKey: 'renewalDate',
    meta: { width: '110px' },
    cell: ({ row }) => formatDate(row.original.renewalDate),
  },
  {
    id: 'last_touch',
    header: 'Last touch',
    accessorKey: 'lastTouchOn',
    meta: { width: '110px' },
    cell: ({ row }) => (row.original.lastTouchOn ? formatDate(row.original.lastTouchOn) : 'Never'),
  },
  {
    id: 'data_age',
    header: 'Data age',
    accessorKey: 'dataAgeDays',
    sortDescFirst: true,
    meta: { width: '96px' },
    cell: ({ row }) =>
      row.original.dataAgeDays === null ? (
        <Chip tone="yellow">No data</Chip>
      ) : (
        <span title={`Newest data: ${formatDate(row.original.newestDataOn)}`}>
          {row.original.dataAgeDays === 0 ? 'Today' : `${row.original.dataAgeDays} d`}
        </span>
      ),
  },
  {
    id: 'owner',
    header: 'Owner',
    accessorKey: 'owner',
    meta: { width: '16%' },
    cell: ({ row }) => (
      <span className="accounts__owner">
        {row.original.owner ? <CellText label="Owner" text={row.original.owner} /> : 'Unassigned'}
      </span>
    ),
  },
  {
    id: 'segment',
    header: 'Segment',
    accessorKey: 'segment',
    meta: { width: '100px' },
    cell: ({ row }) => row.original.segment ?? '—',
  },
];

export function gridColumns(visible: readonly GridColumn[]): ColumnDef<GridRow, unknown>[] {
  return ALL.filter((c) => c.id === 'name' || visible.includes(c.id as GridColumn));
}
