import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { datesInWords, formatCount, formatDate, formatNumber } from '../../format.ts';
import { useDebouncedValue } from '../../hooks/useDebouncedValue.ts';
import { Link } from '../../router/Link.tsx';
import { Button } from '../../ui/Button.tsx';
import { CellText } from '../../ui/CellText.tsx';
import { Chip } from '../../ui/Chip.tsx';
import { DataTable } from '../../ui/DataTable.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { QueryFallback } from '../../ui/QueryFallback.tsx';
import { SearchInput } from '../../ui/SearchInput.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { toast } from '../../ui/Toast.tsx';
import { Tooltip } from '../../ui/Tooltip.tsx';
import {
  INTERVENTION_CHANNELS,
  INTERVENTION_STATUSES,
  type InterventionChannel,
  type InterventionListRow,
  type InterventionStatus,
} from '../../../shared/dto/interventions.ts';
import { tallyCounts, tallyText } from '../../../shared/intervention-tally.ts';
import { BulkStatusDialog } from './BulkStatusDialog.tsx';
import { CHANNEL_LABEL, STATUS_LABEL, STATUS_TONE } from './labels.ts';
import './InterventionsScreen.css';

const LIMIT = 1000;
const RELOAD_ON = ['interventions', 'outcomes', 'events', 'metrics', 'accounts'] as const;

interface Filters {
  status: InterventionStatus | '';
  triggerId: string;
  channel: InterventionChannel | '';
  from: string;
  to: string;
}

const column = createColumnHelper<InterventionListRow>();

/** Whether the customer answered this touch, and how we know (logged on it, or a reply event). */
function ReplyCell({ row }: { row: InterventionListRow }) {
  if (!row.reply_at) return <span className="interventions__sub">{row.sent_at ? 'No reply yet' : '—'}</span>;
  const how =
    row.reply_source === 'logged' ? 'logged on this intervention' : 'a reply_received event within 14 days of sending';
  return (
    <Tooltip content={`Replied ${formatDate(row.reply_at)}: ${how}.`}>
      <span className="interventions__account" tabIndex={0} aria-label={`Replied ${formatDate(row.reply_at)}, ${how}`}>
        <Chip tone="green">Replied</Chip>
        <span className="interventions__sub">{formatDate(row.reply_at, { style: 'short' })}</span>
      </span>
    </Tooltip>
  );
}

export function InterventionsScreen() {
  const [filters, setFilters] = useState<Filters>({ status: '', triggerId: '', channel: '', from: '', to: '' });
  const [search, setSearch] = useState('');
  const query = useDebouncedValue(search.trim(), 200);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkOpen, setBulkOpen] = useState(false);

  const list = useApiQuery(
    'interventions.list',
    {
      status: filters.status || null,
      triggerId: filters.triggerId || null,
      channel: filters.channel || null,
      from: filters.from || null,
      to: filters.to || null,
      search: query || null,
      limit: LIMIT,
    },
    { keepPreviousData: true, reloadOn: RELOAD_ON },
  );
  const triggers = useApiQuery('outcomes.settings', {}, { reloadOn: ['all'] });
  const update = useApiMutation('interventions.update');

  const rows = useMemo(() => list.data?.rows ?? [], [list.data]);
  const visibleIds = useMemo(() => new Set(rows.map((r) => r.intervention_id)), [rows]);
  // Only rows still on screen count as selected, so a filter change cannot act on hidden rows.
  const chosen = [...selected].filter((id) => visibleIds.has(id));
  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => setFilters((f) => ({ ...f, [key]: value }));

  const rate = async (row: InterventionListRow, value: string) => {
    try {
      await update.run({ id: row.intervention_id, effortRating: value === '' ? null : Number(value) });
    } catch (error) {
      toast({ title: 'The rating was not saved', description: (error as Error).message, tone: 'error' });
    }
  };

  const columns = useMemo(() => {
    const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.intervention_id));
    return [
      column.display({
        id: 'select',
        header: () => (
          <input
            type="checkbox"
            aria-label="Select all interventions shown"
            checked={allSelected}
            onChange={(event) =>
              setSelected(event.target.checked ? new Set(rows.map((r) => r.intervention_id)) : new Set())
            }
          />
        ),
        cell: ({ row }) => (
          <input
            type="checkbox"
            aria-label={`Select the intervention for ${row.original.account_name}, ${row.original.trigger_label}`}
            checked={selected.has(row.original.intervention_id)}
            onChange={(event) =>
              setSelected((current) => {
                const next = new Set(current);
                if (event.target.checked) next.add(row.original.intervention_id);
                else next.delete(row.original.intervention_id);
                return next;
              })
            }
          />
        ),
        meta: { width: '36px' },
        enableSorting: false,
      }),
      column.accessor('account_name', {
        header: 'Account',
        cell: ({ row }) => (
          <div className="interventions__account">
            <Link
              to={`/accounts/${encodeURIComponent(row.original.account_id)}`}
              className="interventions__account-name"
            >
              {row.original.account_name}
            </Link>
            <span className="interventions__sub">{row.original.owner_email ?? 'No owner'}</span>
          </div>
        ),
        meta: { width: '12%' },
      }),
      column.accessor('trigger_label', {
        header: 'Trigger',
        cell: ({ row }) => (
          <div className="interventions__account">
            <span>{row.original.trigger_label}</span>
            <span
              className="interventions__sub"
              title={
                row.original.template_id
                  ? `Template ${row.original.template_id}${row.original.template_version ? ` version ${row.original.template_version}` : ''}`
                  : undefined
              }
            >
              {CHANNEL_LABEL[row.original.channel]}
              {row.original.template_id
                ? ` · ${row.original.template_name ? `“${row.original.template_name}”` : 'template'}${row.original.template_version ? ` v${row.original.template_version}` : ''}`
                : ''}
            </span>
          </div>
        ),
        meta: { width: '12%' },
      }),
      column.accessor((r) => r.sent_at ?? r.planned_at ?? '', {
        id: 'sent',
        header: 'Sent',
        cell: ({ row }) =>
          row.original.sent_at ? (
            formatDate(row.original.sent_at)
          ) : (
            <span className="interventions__sub">Planned {formatDate(row.original.planned_at)}</span>
          ),
        meta: { width: '11.5%' },
      }),
      column.accessor('status', {
        header: 'Status',
        cell: ({ row }) => (
          <span className="interventions__status">
            <Chip tone={STATUS_TONE[row.original.status]} dot>
              {STATUS_LABEL[row.original.status]}
            </Chip>
            {row.original.manual && (
              <Tooltip content={`Set by hand: ${row.original.manual_note ?? ''}`}>
                <span
                  className="interventions__manual"
                  tabIndex={0}
                  aria-label={`Set by hand: ${row.original.manual_note ?? ''}`}
                >
                  by hand
                </span>
              </Tooltip>
            )}
            {row.original.fatigue_override && (
              <Tooltip content="Logged with force past the contact-fatigue cap; the override is kept on record.">
                <span className="interventions__manual" tabIndex={0} aria-label="Logged past the contact-fatigue cap">
                  past the cap
                </span>
              </Tooltip>
            )}
            {row.original.holdout && (
              <Tooltip content="Logged on a control-group account, so it is left out of the uplift.">
                <span
                  className="interventions__manual"
                  tabIndex={0}
                  aria-label="Control-group account: left out of the uplift"
                >
                  control
                </span>
              </Tooltip>
            )}
          </span>
        ),
        meta: { width: '12%' },
      }),
      column.accessor((r) => r.reply_at ?? '', {
        id: 'reply',
        header: 'Reply',
        cell: ({ row }) => <ReplyCell row={row.original} />,
        meta: { width: '10%' },
      }),
      column.accessor((r) => r.due_on ?? '', {
        id: 'due',
        header: 'Judged by',
        cell: ({ row }) => formatDate(row.original.due_on),
        meta: { width: '11.5%' },
      }),
      column.accessor((r) => r.evidence ?? '', {
        id: 'evidence',
        header: 'Outcome and evidence',
        // Cut off in the column: the whole sentence is in a tooltip on hover and keyboard focus.
        cell: ({ row }) =>
          row.original.evidence ? (
            <span className="interventions__evidence">
              <CellText label="Outcome and evidence" text={datesInWords(row.original.evidence)} />
            </span>
          ) : (
            '—'
          ),
        enableSorting: false,
      }),
      column.accessor((r) => r.days_to_success ?? -1, {
        id: 'days',
        header: 'Days',
        cell: ({ row }) => (row.original.days_to_success === null ? '—' : formatNumber(row.original.days_to_success)),
        meta: { width: '5%', align: 'right' },
      }),
      column.accessor((r) => r.effort_rating ?? 0, {
        id: 'effort',
        header: 'Effort',
        cell: ({ row }) => (
          <select
            className="interventions__effort"
            aria-label={`Customer effort of the reply from ${row.original.account_name}, 1 very easy to 7 very hard`}
            value={row.original.effort_rating ?? ''}
            onChange={(event) => void rate(row.original, event.target.value)}
          >
            <option value="">—</option>
            {[1, 2, 3, 4, 5, 6, 7].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        ),
        meta: { width: '8%' },
        enableSorting: false,
      }),
    ];
    // eslint-disable-next-line react-hooks/exhaustive-deps -- rate only reads the mutation, which is stable
  }, [rows, selected]);

  const counts = list.data?.counts;
  const total = list.data?.total ?? null;
  const filtered = filters.status || filters.triggerId || filters.channel || filters.from || filters.to || query;

  return (
    <div className="interventions">
      <PageHeader
        title="Interventions"
        description="Every touch logged for an account at risk, the day its success is judged, and what the data says happened."
        actions={
          <Button variant="primary" disabled={chosen.length === 0} onClick={() => setBulkOpen(true)}>
            Change status{chosen.length > 0 ? ` (${formatNumber(chosen.length)})` : ''}…
          </Button>
        }
      />

      <div className="interventions__filters" role="group" aria-label="Filter interventions">
        <SearchInput
          label="Search by account"
          placeholder="Account name or ID…"
          value={search}
          onValueChange={setSearch}
        />
        <label className="interventions__field">
          <span>Status</span>
          <select value={filters.status} onChange={(e) => set('status', e.target.value as Filters['status'])}>
            <option value="">All statuses</option>
            {INTERVENTION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
                {counts ? ` (${formatNumber(counts[s])})` : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="interventions__field">
          <span>Trigger</span>
          <select value={filters.triggerId} onChange={(e) => set('triggerId', e.target.value)}>
            <option value="">All triggers</option>
            {(triggers.data ?? []).map((t) => (
              <option key={t.trigger_id} value={t.trigger_id}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <label className="interventions__field">
          <span>Channel</span>
          <select value={filters.channel} onChange={(e) => set('channel', e.target.value as Filters['channel'])}>
            <option value="">All channels</option>
            {INTERVENTION_CHANNELS.map((c) => (
              <option key={c} value={c}>
                {CHANNEL_LABEL[c]}
              </option>
            ))}
          </select>
        </label>
        <label className="interventions__field">
          <span>Sent from</span>
          <input
            type="date"
            value={filters.from}
            max={filters.to || undefined}
            onChange={(e) => set('from', e.target.value)}
          />
        </label>
        <label className="interventions__field">
          <span>to</span>
          <input
            type="date"
            value={filters.to}
            min={filters.from || undefined}
            onChange={(e) => set('to', e.target.value)}
          />
        </label>
        {filtered && (
          <Button
            variant="ghost"
            size="sm"
            onClick={() => {
              setFilters({ status: '', triggerId: '', channel: '', from: '', to: '' });
              setSearch('');
            }}
          >
            Clear filters
          </Button>
        )}
      </div>

      <div className="interventions__summary">
        <p role="status" className="interventions__count">
          {total === null ? 'Loading interventions…' : formatCount(total, 'intervention')}
          {counts && total !== null && total > 0 && !filters.status && (
            <span className="interventions__breakdown"> · {tallyText(tallyCounts(counts), formatNumber)}</span>
          )}
        </p>
        {list.loading && <Spinner size={12} />}
        {total !== null && total > rows.length && (
          <span className="interventions__sub">
            Showing the newest {formatNumber(rows.length)}; narrow the filters to see the rest.
          </span>
        )}
      </div>

      {list.error ? (
        <QueryFallback query={list} what="interventions" />
      ) : total === 0 && !filtered && (list.data?.merged ?? 0) > 0 ? (
        <EmptyState title="No interventions logged in this book">
          <p>
            {formatCount(list.data?.merged ?? 0, 'intervention')} merged from colleagues (their exports, or the team
            hub) {list.data?.merged === 1 ? 'counts' : 'count'} in Outcomes; this list shows the interventions logged
            here.
          </p>
        </EmptyState>
      ) : total === 0 && !filtered ? (
        <EmptyState title="No interventions logged yet">
          <p>
            When you send outreach from an account at risk and mark it as sent, or run <code>foresight log</code>, it
            appears here. Foresight then watches the data and records whether it worked, against a control group of
            similar accounts that got no outreach.
          </p>
        </EmptyState>
      ) : (
        <DataTable
          label="Interventions"
          data={rows}
          columns={columns}
          getRowId={(row) => row.intervention_id}
          totalRows={total ?? undefined}
          empty={
            filtered ? (
              <EmptyState size="inline" level={3} title="No interventions match these filters">
                <p>Change or clear the filters to see more.</p>
              </EmptyState>
            ) : null
          }
        />
      )}

      <BulkStatusDialog
        open={bulkOpen}
        onOpenChange={setBulkOpen}
        rows={rows.filter((r) => chosen.includes(r.intervention_id))}
        onDone={() => setSelected(new Set())}
      />
    </div>
  );
}
