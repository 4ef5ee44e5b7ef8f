import { Fragment } from 'react';
import type { ColumnDef } from '@tanstack/react-table';
import { listRowReasons, type RiskListRow, type RiskSortColumn } from '../../../shared/dto/risk.ts';
import { formatDate, formatDayAgo, formatMoney } from '../../format.ts';
import { Link } from '../../router/Link.tsx';
import { pathTo } from '../../router/location.ts';
import { CellText } from '../../ui/CellText.tsx';
import { BandChip, Chip } from '../../ui/Chip.tsx';
import { trendSentence } from '../../../shared/trend-words.ts';
import { rankColumnWidth } from './rank-width.ts';
import { Sparkline } from './Sparkline.tsx';

const TREND_MARK = { up: '↑', down: '↓', flat: '→', new: '·' } as const;

export function accountHref(accountId: string, asOf: string | null): string {
  return `${pathTo('/accounts/:id', { id: accountId })}${asOf ? `?asOf=${asOf}` : ''}`;
}

export function trendText(row: Pick<RiskListRow, 'trend' | 'scoreDelta'>): string {
  return trendSentence(row.trend, row.scoreDelta);
}

/**
 * Columns of the at-risk table. Ids double as the server's sort keys where sortable. `maxRank`, the
 * largest rank the list can show, sizes the rank column: a fixed width cut "1428" to "1…".
 */
export function todayColumns(asOf: string | null, maxRank = 0): ColumnDef<RiskListRow, unknown>[] {
  // Last touches are days: they are counted from the viewed day (today when none is scored yet).
  const day = asOf ?? new Date().toISOString().slice(0, 10);
  return [
    {
      id: 'rank',
      header: '#',
      accessorKey: 'rank',
      meta: { width: rankColumnWidth(maxRank), align: 'right' },
      cell: ({ row }) => row.original.rank,
    },
    {
      id: 'name',
      header: 'Account',
      accessorKey: 'name',
      meta: { width: '15%' },
      cell: ({ row }) => (
        <span className="today__account">
          <Link to={accountHref(row.original.accountId, asOf)} className="today__account-link">
            {row.original.name}
          </Link>
          <span className="today__sub">{row.original.segment ?? '—'}</span>
        </span>
      ),
    },
    {
      id: 'arr',
      header: 'ARR',
      accessorKey: 'arrUsd',
      sortDescFirst: true,
      meta: { width: '84px', align: 'right' },
      cell: ({ row }) => (
        <span title={`Expected ARR at risk: ${formatMoney(row.original.expectedArrAtRisk, row.original.currency)}`}>
          {formatMoney(row.original.arr, row.original.currency, { compact: true })}
        </span>
      ),
    },
    {
      id: 'score',
      header: 'Score',
      accessorKey: 'score',
      // Worst first on the first click.
      sortDescFirst: false,
      meta: { width: '116px' },
      cell: ({ row }) =>
        row.original.band ? (
          <span className="today__score">
            <span className="today__score-value">{row.original.score}</span>
            <BandChip band={row.original.band} />
          </span>
        ) : (
          <span className="today__sub">No score</span>
        ),
    },
    {
      id: 'trend',
      header: 'Trend',
      accessorKey: 'scoreDelta',
      // Biggest falls first.
      sortDescFirst: false,
      meta: { width: '108px' },
      cell: ({ row }) => (
        <span className="today__trend">
          <Sparkline values={row.original.sparkline} />
          <span className={`today__trend-mark today__trend-mark--${row.original.trend}`} aria-hidden="true">
            {TREND_MARK[row.original.trend]}
            {row.original.scoreDelta !== null && row.original.trend !== 'flat' ? Math.abs(row.original.scoreDelta) : ''}
          </span>
          <span className="visually-hidden">{trendText(row.original)}</span>
        </span>
      ),
    },
    {
      id: 'reason',
      header: 'Why',
      enableSorting: false,
      meta: { cellClassName: 'today__reason-cell' },
      cell: ({ row }) => {
        const reasons = listRowReasons(row.original);
        return (
          <span className="today__reason" title={reasons.join('\n')}>
            {reasons[0] ?? ''}
          </span>
        );
      },
    },
    {
      id: 'triggers',
      header: 'Triggers',
      enableSorting: false,
      meta: { width: '13%' },
      cell: ({ row }) => <TriggerChips row={row.original} />,
    },
    {
      id: 'renewal',
      header: 'Renewal',
      accessorKey: 'renewalDate',
      sortDescFirst: false,
      meta: { width: '104px' },
      cell: ({ row }) =>
        row.original.renewalDate ? (
          <span className="today__renewal">
            <span>{formatDate(row.original.renewalDate, { style: 'medium' })}</span>
            {row.original.daysToRenewal !== null &&
              row.original.daysToRenewal >= 0 &&
              row.original.daysToRenewal <= 90 && (
                <span className="today__sub today__sub--urgent">in {row.original.daysToRenewal} d</span>
              )}
          </span>
        ) : (
          '—'
        ),
    },
    {
      id: 'owner',
      header: 'Owner',
      accessorKey: 'owner',
      meta: { width: '8%' },
      cell: ({ row }) =>
        row.original.owner ? (
          <CellText label="Owner" text={row.original.owner} shown={row.original.owner.split('@')[0]} />
        ) : (
          '—'
        ),
    },
    {
      id: 'last_touch',
      header: 'Last touch',
      accessorKey: 'lastTouchOn',
      meta: { width: '116px' },
      cell: ({ row }) => (row.original.lastTouchOn ? <LastTouch on={row.original.lastTouchOn} day={day} /> : 'None'),
    },
  ];
}

/** "2 months ago", with the whole text and the date on hover, since the narrow column may cut it. */
function LastTouch({ on, day }: { on: string; day: string }) {
  const relative = formatDayAgo(on, day);
  return <span title={`${relative} (${formatDate(on)})`}>{relative}</span>;
}

function TriggerChips({ row }: { row: RiskListRow }) {
  if (row.triggers.length === 0) return <span className="today__sub">None</span>;
  // One chip (the first trigger, with its Control chip when held out) and "+N" for the rest: two
  // chips side by side were cut mid-word ("Detrac") in the column at 1440 px. The rest, and which
  // of them are held out, are in the hover title and spoken.
  const shown = row.triggers.slice(0, 1);
  const more = row.triggers.length - shown.length;
  return (
    <span
      className="today__triggers"
      title={row.triggers
        .map(
          (t) =>
            `${t.label}${t.control ? ' (control group: no outreach)' : ''}${t.snoozedUntil ? ` (snoozed${t.snoozedBy ? ` by ${t.snoozedBy}` : ''} until ${t.snoozedUntil})` : ''}: ${t.evidence}`,
        )
        .join('\n')}
    >
      {shown.map((t) => (
        <Fragment key={t.id}>
          <Chip
            tone={t.actionable ? (t.priority === 1 ? 'red' : 'neutral') : 'neutral'}
            className={t.actionable ? undefined : 'today__chip--muted'}
          >
            <span className="today__chip-label">
              {t.label}
              {t.snoozedUntil ? ' (snoozed)' : ''}
            </span>
          </Chip>
          {t.control && (
            <Chip
              tone="accent"
              className="today__chip--fixed"
              title={`Control group for ${t.label}: no outreach, so the play can be measured`}
            >
              Control
            </Chip>
          )}
        </Fragment>
      ))}
      {more > 0 && (
        <>
          <span className="today__more" aria-hidden="true">
            +{more}
          </span>
          {/* The narrow column shows one chip; a screen reader hears every trigger's name. */}
          <span className="visually-hidden">
            , and{' '}
            {row.triggers
              .filter((t) => !shown.includes(t))
              .map((t) => (t.control ? `${t.label} (control group)` : t.label))
              .join(', ')}
          </span>
        </>
      )}
    </span>
  );
}

export const SORTABLE: readonly RiskSortColumn[] = [
  'rank',
  'name',
  'arr',
  'score',
  'trend',
  'renewal',
  'owner',
  'last_touch',
];
