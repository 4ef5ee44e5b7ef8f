import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useRef, useState } from 'react';
import { getTransport } from '../../api/client.ts';
import { useApiMutation, useApiQuery } from '../../api/hooks.ts';
import { formatCount, formatDate, formatMoney, formatNumber, formatPercent } from '../../format.ts';
import { Button } from '../../ui/Button.tsx';
import { DataTable } from '../../ui/DataTable.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { QueryFallback } from '../../ui/QueryFallback.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { toast } from '../../ui/Toast.tsx';
import {
  OUTCOME_GROUPINGS,
  type OutcomeGrouping,
  type OutcomeRow,
  type RetentionComparison,
  type Uplift,
} from '../../../shared/dto/interventions.ts';
import { downloadBase64, filesAsBase64 } from './download.ts';
import { ArrRetainedChart, SuccessRateChart, TimeToSuccessChart, UpliftChart } from './OutcomeCharts.tsx';
import { acrossStrata, noUpliftReason, OutcomeHeadline, points } from './OutcomeHeadline.tsx';
import { OutcomeMeasures } from './OutcomeMeasures.tsx';
import '../interventions/InterventionsScreen.css';
import './OutcomesScreen.css';

const GROUPING_LABEL: Record<OutcomeGrouping, string> = {
  trigger: 'Trigger',
  template: 'Template',
  channel: 'Channel',
  owner: 'Owner',
  month: 'Month',
};
const RELOAD_ON = ['interventions', 'outcomes', 'events', 'metrics', 'accounts'] as const;

/** "+12.0 [−3.1, +27.4]" for a table cell, or the reason there is no number yet. */
export function upliftShort(uplift: Uplift | null, reason = 'Not enough data yet'): string {
  if (!uplift) return reason;
  return `${points(uplift.value)} [${points(uplift.ci_low)}, ${points(uplift.ci_high)}]`;
}

/** "+12.0 pts (95% CI −3.1 to +27.4)", or the reason there is no number yet. */
export function upliftText(uplift: Uplift | null): string {
  if (!uplift) return 'Not enough data yet';
  return `${points(uplift.value)} pts (95% CI ${points(uplift.ci_low)} to ${points(uplift.ci_high)})`;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

const row = createColumnHelper<OutcomeRow>();
const compare = createColumnHelper<RetentionComparison>();

export function OutcomesScreen() {
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [by, setBy] = useState<OutcomeGrouping>('trigger');
  const range = { from: from || null, to: to || null };
  const byTrigger = useApiQuery(
    'outcomes.report',
    { by: 'trigger', ...range },
    { keepPreviousData: true, reloadOn: RELOAD_ON },
  );
  const grouped = useApiQuery(
    'outcomes.report',
    { by, ...range },
    { keepPreviousData: true, reloadOn: RELOAD_ON, enabled: by !== 'trigger' },
  );
  const report = byTrigger.data;
  const table = by === 'trigger' ? report : grouped.data;
  const exporter = useApiMutation('outcomes.export');
  const importer = useApiMutation('outcomes.import');
  const clearer = useApiMutation('outcomes.clearImported');
  const [exporting, setExporting] = useState<'csv' | 'xlsx' | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const currency = report?.totals.currency ?? 'USD';

  const exportAs = async (format: 'csv' | 'xlsx') => {
    setExporting(format);
    try {
      const result = await exporter.run({ format, from: range.from, to: range.to });
      if (result.base64) downloadBase64(result.base64, result.filename, result.mime);
      if (result.saved)
        toast({
          title: `Exported ${formatCount(result.rows, 'row')}`,
          description: `Saved to ${result.path ?? result.filename}.`,
          tone: 'success',
        });
      else if (result.base64)
        toast({
          title: `Exported ${formatCount(result.rows, 'row')}`,
          description: `Downloaded ${result.filename}.`,
          tone: 'success',
        });
    } catch (error) {
      toast({ title: 'The export failed', description: (error as Error).message, tone: 'error' });
    } finally {
      setExporting(null);
    }
  };

  const merge = async (files?: FileList | null) => {
    try {
      const result = await importer.run(files && files.length > 0 ? { files: await filesAsBase64(files) } : {});
      // The reasons, as the CLI lists them: the first few, each with its file and line.
      const reasons = result.files.flatMap((f) => f.rejected.map((r) => `${f.file} line ${r.line}: ${r.reason}`));
      const rejected = result.rejected
        ? `, ${formatCount(result.rejected, 'row')} rejected (${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? `; and ${formatNumber(reasons.length - 3)} more` : ''})`
        : '';
      const older = result.older ? `; ${formatCount(result.older, 'row')} older than what you have, kept yours` : '';
      toast({
        title: `Merged ${formatCount(result.files.length, 'file')}`,
        description: `${formatNumber(result.added)} added, ${formatNumber(result.updated)} updated, ${formatNumber(result.unchanged)} already here${rejected}${older}.`,
        tone: result.rejected ? 'info' : 'success',
      });
    } catch (error) {
      toast({ title: 'The files were not merged', description: (error as Error).message, tone: 'error' });
    }
  };

  const startMerge = () => {
    if (getTransport().transport === 'ipc') void merge();
    else fileInput.current?.click();
  };

  const setPreset = (days: number | null) => {
    setTo('');
    setFrom(
      days === null
        ? ''
        : isoDay(new Date(Date.parse(`${report?.as_of ?? isoDay(new Date())}T00:00:00Z`) - days * 86_400_000)),
    );
  };

  const columns = useMemo(
    () => [
      row.accessor('label', {
        header: GROUPING_LABEL[by],
        cell: (c) => (
          <span className="outcomes__group" title={c.getValue()}>
            {c.getValue()}
          </span>
        ),
        meta: { width: '14%' },
      }),
      row.accessor('n', {
        header: 'Count',
        cell: (c) => formatNumber(c.getValue()),
        meta: { align: 'right', width: '6%' },
      }),
      row.accessor('succeeded', {
        header: 'Succeeded',
        cell: (c) => formatNumber(c.getValue()),
        meta: { align: 'right', width: '8%' },
      }),
      row.accessor('failed', {
        header: 'Failed',
        cell: (c) => formatNumber(c.getValue()),
        meta: { align: 'right', width: '6%' },
      }),
      row.accessor((r) => r.pending + r.expired, {
        id: 'open',
        header: 'Open / expired',
        cell: (c) => `${formatNumber(c.row.original.pending)} / ${formatNumber(c.row.original.expired)}`,
        meta: { align: 'right', width: '9%' },
      }),
      row.accessor((r) => r.success_rate ?? -1, {
        id: 'rate',
        header: 'Success',
        cell: (c) =>
          c.row.original.success_rate === null ? '—' : formatPercent(c.row.original.success_rate, { decimals: 1 }),
        meta: { align: 'right', width: '7%' },
      }),
      row.accessor((r) => r.median_days_to_success ?? -1, {
        id: 'median',
        header: 'Median days',
        cell: (c) =>
          c.row.original.median_days_to_success === null
            ? '—'
            : formatNumber(c.row.original.median_days_to_success, { decimals: 0 }),
        meta: { align: 'right', width: '9%' },
      }),
      row.accessor('arr_retained', {
        header: 'Gross ARR (USD equivalent)',
        cell: (c) => formatMoney(c.getValue(), c.row.original.currency, { compact: true }),
        meta: { align: 'right', width: '9%' },
      }),
      row.accessor((r) => r.mean_effort ?? -1, {
        id: 'effort',
        header: 'Effort',
        cell: (c) =>
          c.row.original.mean_effort === null ? '—' : formatNumber(c.row.original.mean_effort, { decimals: 1 }),
        meta: { align: 'right', width: '6%' },
      }),
      row.accessor((r) => r.treated.n, {
        id: 'sizes',
        header: 'Eligible (contacted) / control',
        cell: (c) =>
          `${formatNumber(c.row.original.treated.n)} (${formatNumber(c.row.original.contacted)}) / ${formatNumber(c.row.original.control.n)}`,
        meta: { align: 'right', width: '11%' },
      }),
      row.accessor((r) => r.uplift?.value ?? -2, {
        id: 'uplift',
        header: 'Uplift, pts (95% CI)',
        cell: (c) => (
          <span
            className={c.row.original.uplift ? 'outcomes__uplift' : 'outcomes__uplift outcomes__uplift--waiting'}
            title={
              c.row.original.uplift_note ??
              [upliftText(c.row.original.uplift), acrossStrata(c.row.original)].filter(Boolean).join(', ')
            }
          >
            {upliftShort(c.row.original.uplift, noUpliftReason(c.row.original))}
          </span>
        ),
      }),
    ],
    [by],
  );

  const comparisonColumns = useMemo(
    () => [
      compare.accessor('label', { header: 'Trigger', meta: { width: '16%' } }),
      compare.accessor((c) => c.treated.rate ?? -1, {
        id: 'treatedRetention',
        header: 'Retained 90 days, eligible',
        cell: (c) => side(c.row.original.treated.rate, c.row.original.treated.n),
        meta: { align: 'right' },
      }),
      compare.accessor((c) => c.control.rate ?? -1, {
        id: 'controlRetention',
        header: 'control',
        cell: (c) => side(c.row.original.control.rate, c.row.original.control.n),
        meta: { align: 'right' },
      }),
      compare.accessor((c) => c.retention_uplift?.value ?? -2, {
        id: 'retentionUplift',
        header: 'Difference, pts (95% CI)',
        cell: (c) => upliftShort(c.row.original.retention_uplift),
        meta: { width: '19%' },
      }),
      compare.accessor((c) => c.treated.tickets_per_account ?? -1, {
        id: 'treatedTickets',
        header: 'Tickets per account, eligible',
        cell: (c) => tickets(c.row.original.treated.tickets_per_account, c.row.original.treated.tickets_n),
        meta: { align: 'right' },
      }),
      compare.accessor((c) => c.control.tickets_per_account ?? -1, {
        id: 'controlTickets',
        header: 'control',
        cell: (c) => tickets(c.row.original.control.tickets_per_account, c.row.original.control.tickets_n),
        meta: { align: 'right' },
      }),
    ],
    [],
  );

  const empty = report && report.rows.length === 0 && report.comparisons.length === 0;

  return (
    <div className="outcomes">
      <PageHeader
        title="Outcomes"
        description="Which plays keep customers, measured against a control group that got no outreach."
        actions={
          <>
            <Button onClick={() => void exportAs('csv')} loading={exporting === 'csv'} disabled={exporting !== null}>
              Export CSV
            </Button>
            <Button
              variant="primary"
              onClick={() => void exportAs('xlsx')}
              loading={exporting === 'xlsx'}
              disabled={exporting !== null}
            >
              Export XLSX
            </Button>
          </>
        }
      />

      <div className="outcomes__controls" role="group" aria-label="Date range and grouping">
        <label className="outcomes__field">
          <span>From</span>
          <input type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="outcomes__field">
          <span>To</span>
          <input type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} />
        </label>
        <div className="outcomes__presets" role="group" aria-label="Quick ranges">
          <Button size="sm" variant="ghost" onClick={() => setPreset(90)}>
            Last 90 days
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setPreset(365)}>
            Last 12 months
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setPreset(null)} aria-pressed={!from && !to}>
            All time
          </Button>
        </div>
        <span className="outcomes__spacer" />
        {report && report.imported_rows > 0 && (
          <span className="outcomes__merged">
            Includes {formatCount(report.imported_rows, 'merged row')}
            <Button
              size="sm"
              variant="ghost"
              loading={clearer.running}
              onClick={() => void clearer.run({}).catch(() => undefined)}
            >
              Remove merged rows
            </Button>
          </span>
        )}
        <Button size="sm" onClick={startMerge} loading={importer.running}>
          Merge team files…
        </Button>
        <input
          ref={fileInput}
          type="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          multiple
          hidden
          aria-label="Outcome files to merge"
          onChange={(event) => {
            void merge(event.target.files);
            event.target.value = '';
          }}
        />
      </div>

      {byTrigger.error || !report ? (
        <QueryFallback query={byTrigger} what="outcomes" />
      ) : empty ? (
        <EmptyState title="No outcomes to measure yet">
          <p>
            Log interventions (mark outreach as sent, or run <code>foresight log</code>) and Foresight will judge each
            one against its trigger’s success criterion and the control group.
          </p>
          <p>A team lead can also merge the outcome files CSMs export, with Merge team files….</p>
        </EmptyState>
      ) : (
        <div className="outcomes__body">
          <p className="outcomes__asof" role="status">
            As of {formatDate(report.as_of, { style: 'long' })}
            {from || to
              ? `, interventions sent ${from ? `from ${formatDate(from)}` : ''}${from && to ? ' ' : ''}${to ? `to ${formatDate(to)}` : ''}`
              : ''}
            .
          </p>
          <OutcomeHeadline report={report} />

          {/* The charts' own headings are h3, so they need an h2 above them (not one straight after the h1). */}
          <section aria-labelledby="outcomes-charts-title">
            <h2 id="outcomes-charts-title" className="visually-hidden">
              Charts
            </h2>
            <div className="outcomes__charts">
              <SuccessRateChart rows={report.rows} />
              <UpliftChart rows={report.rows} minGroup={report.min_group_size} />
              <TimeToSuccessChart days={report.days_to_success} />
              <ArrRetainedChart report={report} currency={currency} />
            </div>
          </section>

          <section className="outcomes__section" aria-labelledby="outcomes-report-title">
            <div className="outcomes__section-head">
              <h2 id="outcomes-report-title">Outcome report</h2>
              <label className="outcomes__field outcomes__field--inline">
                <span>Group by</span>
                <select value={by} onChange={(e) => setBy(e.target.value as OutcomeGrouping)}>
                  {OUTCOME_GROUPINGS.map((g) => (
                    <option key={g} value={g}>
                      {GROUPING_LABEL[g]}
                    </option>
                  ))}
                </select>
              </label>
              {by !== 'trigger' && grouped.loading && <Spinner size={12} />}
            </div>
            <p className="outcomes__note">
              Uplift compares every firing that was not held out, contacted or not, with the held-out firings, both
              judged from the firing day (intention to treat), so which accounts a CSM chose to contact, and when,
              cannot create an effect. Groups are compared within each play and firing month
              {table && table.imported_rows > 0 ? ' and merged file' : ''} (Newcombe 95% interval within one;
              Mantel–Haenszel weights across several).
              {by === 'template' || by === 'channel'
                ? ' Which template or channel a touch used is not randomised, so these rows show no uplift.'
                : ''}
            </p>
            <DataTable
              label={`Outcomes by ${GROUPING_LABEL[by].toLowerCase()}`}
              data={table ? [...table.rows, table.totals] : []}
              columns={columns}
              getRowId={(r) => r.key}
              virtualizeOver={500}
              enableSorting={false}
            />
          </section>

          <OutcomeMeasures report={report} />

          <section className="outcomes__section" aria-labelledby="outcomes-retention-title">
            <h2 id="outcomes-retention-title">Retention and deflection, treated against control</h2>
            <p className="outcomes__note">
              Retention is known 90 days after the intervention (or the firing, for the control group); tickets are
              those opened in the 30 days after it, the reactive volume the play deflects.
            </p>
            <DataTable
              label="Retention and support tickets, treated against control"
              data={report.comparisons}
              columns={comparisonColumns}
              getRowId={(r) => r.trigger_id}
            />
          </section>
        </div>
      )}
    </div>
  );
}

function side(rate: number | null, n: number): string {
  return rate === null
    ? `— (n = ${formatNumber(n)})`
    : `${formatPercent(rate, { decimals: 1 })} (n = ${formatNumber(n)})`;
}

function tickets(perAccount: number | null, n: number): string {
  return perAccount === null
    ? `— (n = ${formatNumber(n)})`
    : `${formatNumber(perAccount, { decimals: 2 })} (n = ${formatNumber(n)})`;
}
