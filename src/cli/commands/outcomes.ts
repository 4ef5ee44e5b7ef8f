import { plural } from '../../domain/risk/explain.ts';
import { notAfterToday } from '../../domain/interventions/not-after-now.ts';
import { REPLY_WINDOW_DAYS } from '../../domain/interventions/facts.ts';
import type { Command } from 'commander';
import { isIsoDay, todayIso } from '../../domain/contract/dates.ts';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { buildOutcomeReport } from '../../domain/interventions/report.ts';
import {
  OUTCOME_GROUPINGS,
  type OutcomeGrouping,
  type OutcomeReport,
  type OutcomeRow,
} from '../../shared/dto/interventions.ts';
import { emit, UsageError } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';

interface OutcomesOptions {
  asOf?: string;
  by: string;
  from?: string;
  to?: string;
  localOnly?: boolean;
  includeOverrides?: boolean;
}

export function checkDay(option: string, value: string | undefined): void {
  if (value !== undefined && !isIsoDay(value))
    throw new UsageError(`${option} must be a date (YYYY-MM-DD), not "${value}".`);
}

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const signedPct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}`;

const USD_NOTE = 'ARR is the USD equivalent (other currencies converted as on the Accounts screen)';

const money = (row: OutcomeRow, value: number) =>
  new Intl.NumberFormat('en', { style: 'currency', currency: row.currency, maximumFractionDigits: 0 }).format(value);

/** The group column fits the longest label (an owner's email can be 40 characters), at least 26. */
const labelWidth = (rows: readonly OutcomeRow[]) => Math.max(26, ...rows.map((r) => r.label.length + 1));

function line(row: OutcomeRow, width: number): string {
  const across =
    row.uplift_method === 'mantel_haenszel' ? `, within ${row.strata_compared} groups of play and month` : '';
  const uplift = row.uplift
    ? `${signedPct(row.uplift.value)} pts (95% CI ${signedPct(row.uplift.ci_low)} to ${signedPct(row.uplift.ci_high)}${across})`
    : row.no_control
      ? 'no control group'
      : row.uplift_note?.startsWith('Not enough')
        ? 'not enough data yet'
        : 'not measured';
  return [
    row.label.padEnd(width),
    String(row.n).padStart(5),
    String(row.succeeded).padStart(6),
    String(row.failed).padStart(6),
    String(row.pending).padStart(6),
    String(row.expired).padStart(6),
    pct(row.success_rate).padStart(7),
    (row.median_days_to_success === null ? '—' : String(row.median_days_to_success)).padStart(6),
    money(row, row.arr_retained).padStart(12),
    `${row.treated.n}/${row.control.n}`.padStart(9),
    uplift,
  ].join(' ');
}

function summaryLines(totals: OutcomeRow): string[] {
  const lines: string[] = [];
  const incremental = totals.incremental_arr;
  lines.push(
    incremental
      ? `ARR retained because of outreach: ${money(totals, incremental.value)} (95% CI ${money(totals, incremental.ci_low)} to ${money(totals, incremental.ci_high)}); gross ARR of accounts whose play succeeded: ${money(totals, totals.arr_retained)}; ${USD_NOTE}.`
      : `ARR retained because of outreach: ${totals.no_control ? 'not measurable (no control group)' : 'not known yet'}; gross ARR of accounts whose play succeeded: ${money(totals, totals.arr_retained)}; ${USD_NOTE}.`,
  );
  lines.push(
    `Uplift compares every firing that was not held out (${totals.treated.n} decided, ${totals.contacted} of them contacted) with the held-out firings (${totals.control.n} decided), all judged from the firing day.${totals.per_contacted ? ` Per contacted account (uplift ÷ share contacted): ${signedPct(totals.per_contacted.value)} pts (95% CI ${signedPct(totals.per_contacted.ci_low)} to ${signedPct(totals.per_contacted.ci_high)}).` : ''}`,
  );
  if (totals.control_contacted > 0)
    lines.push(
      `${plural(totals.control_contacted, 'held-out firing')} got outreach for another play inside ${totals.control_contacted === 1 ? 'its' : 'their'} window (the holdout is per play); ${totals.control_contacted === 1 ? 'it stays' : 'they stay'} in the control group, which tends to shrink the uplift.`,
    );
  if (totals.uplift_note && !totals.uplift) lines.push(totals.uplift_note);
  if (totals.overrides > 0)
    lines.push(
      `${totals.overrides} outcome${totals.overrides === 1 ? ' was' : 's were'} set by hand: kept in the counts, never in the uplift, which judges every firing from the data.`,
    );
  const { power } = totals;
  if (!totals.no_control && (power.more_treated > 0 || power.more_control > 0))
    lines.push(
      `To detect a ${Math.round(power.difference * 100)}-point difference, each group needs ${power.needed_per_group} decided outcomes: ${power.more_treated} more eligible and ${power.more_control} more control.`,
    );
  return lines;
}

function measureLines(report: OutcomeReport): string[] {
  const num = (x: number | null, digits = 2) => (x === null ? '—' : x.toFixed(digits));
  const lines = [
    `Inbound tickets per active account after the firing (eligible vs control, control standardised to the eligible mix of plays): ${report.deflection.map((d) => `${d.period} ${num(d.treated.per_account)} vs ${num(d.control.per_account)}`).join('; ')}.`,
    `Response rate to proactive messages: ${report.response.rate === null ? 'no replies recorded yet' : `${pct(report.response.rate)} (${report.response.replied} of ${report.response.sent})`}${report.response.waiting ? `; ${plural(report.response.waiting, 'message')} sent in the last ${REPLY_WINDOW_DAYS} days ${report.response.waiting === 1 ? 'is' : 'are'} left out until ${report.response.waiting === 1 ? 'its' : 'their'} reply window has passed` : ''}.`,
  ];
  if (report.resolution)
    lines.push(
      `Median days to resolution: triggered outreach ${num(report.resolution.outreach.median_days, 1)} (${report.resolution.outreach.n}), inbound tickets ${num(report.resolution.tickets.median_days, 1)} (${report.resolution.tickets.n}).`,
    );
  return lines;
}

export function registerOutcomes(program: Command): void {
  withGlobalOptions(program.command('outcomes'))
    .description(
      'the outcome report: success rates, time to success, ARR retained and uplift against the control group',
    )
    .option('--as-of <date>', 'judge outcomes as of this day (default today)')
    .option('--by <grouping>', OUTCOME_GROUPINGS.join('|'), 'trigger')
    .option('--from <date>', 'only interventions sent (and firings) on or after this day')
    .option('--to <date>', 'only interventions sent (and firings) on or before this day')
    .option('--local-only', 'leave out rows merged from other CSMs’ files')
    .option(
      '--include-overrides',
      'no effect: the uplift judges every firing from the data, never by hand-set outcomes',
    )
    .action((options: OutcomesOptions, command: Command) => {
      const { dbPath, json } = globals(command);
      if (!(OUTCOME_GROUPINGS as readonly string[]).includes(options.by))
        throw new UsageError(`--by must be one of ${OUTCOME_GROUPINGS.join(', ')}, not "${options.by}".`);
      checkDay('--as-of', options.asOf);
      checkDay('--from', options.from);
      checkDay('--to', options.to);
      const { db } = openDatabase(dbPath);
      try {
        const report = buildOutcomeReport(db, {
          asOf: notAfterToday(options.asOf ?? todayIso(new Date()), new Date()),
          by: options.by as OutcomeGrouping,
          from: options.from ?? null,
          to: options.to ?? null,
          includeImported: options.localOnly !== true,
          includeOverrides: options.includeOverrides === true,
        });
        emit(json, report, () => {
          if (report.rows.length === 0) return `No interventions to report as of ${report.as_of}.`;
          const width = labelWidth([...report.rows, report.totals]);
          const header = `${'Group'.padEnd(width)} ${'n'.padStart(5)} ${'won'.padStart(6)} ${'lost'.padStart(6)} ${'open'.padStart(6)} ${'exp'.padStart(6)} ${'rate'.padStart(7)} ${'days'.padStart(6)} ${'ARR kept USD'.padStart(12)} ${'elig/ctl'.padStart(9)} uplift`;
          return [
            `Outcomes as of ${report.as_of}, by ${report.by}${report.imported_rows ? ` (including ${plural(report.imported_rows, 'merged row')})` : ''}:`,
            header,
            ...report.rows.map((row) => line(row, width)),
            line(report.totals, width),
            // Why rows show no number, once each ("not measured", "no control group").
            ...new Set(
              report.rows
                .filter(
                  (r) =>
                    !r.uplift &&
                    r.uplift_note &&
                    !r.uplift_note.startsWith('Not enough') &&
                    r.uplift_note !== report.totals.uplift_note,
                )
                .map((r) => (r.uplift_note!.startsWith('Which') ? r.uplift_note! : `${r.label}: ${r.uplift_note}`)),
            ),
            ...summaryLines(report.totals),
            ...measureLines(report),
            `Uplift is the success rate of every firing not held out (contacted or not) minus that of the held-out firings, both judged from the firing day, with its 95% interval, shown once both groups have ${report.min_group_size} decided outcomes; it is compared within each play and firing month (and merged file), never pooled across them.`,
          ].join('\n');
        });
      } finally {
        closeDatabase(db);
      }
    });
}
