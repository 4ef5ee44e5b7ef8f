// exceljs is large; it loads only when a workbook is read or written, not on every CLI start.
import { fitCell } from './cell-limit.ts';
import type ExcelJS from 'exceljs';
import type { OutcomeReport, OutcomeRow } from '../../shared/dto/interventions.ts';
import type { OutcomeFact } from '../interventions/facts.ts';
import { EXPORT_COLUMNS } from './columns.ts';

const DATE_FORMAT = 'yyyy-mm-dd';
const PERCENT_FORMAT = '0.0%';
/**
 * Uplift is a difference of rates in percentage points (cells hold points, ×100): "22.7%" would read
 * as a relative change, which the screen, CLI and docs avoid on purpose.
 */
const POINTS_FORMAT = '+0.0" pts";"−"0.0" pts";0.0" pts"';
const points = (x: number | null | undefined) => (x == null ? null : x * 100);
const SYMBOLS: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥', CHF: 'CHF ', CAD: 'CA$', AUD: 'A$' };

/** A number format that shows the currency: a symbol where one is unambiguous, else the ISO code. */
export function currencyFormat(currency: string | null): string {
  const code =
    (currency ?? 'USD')
      .toUpperCase()
      .replace(/[^A-Z]/g, '')
      .slice(0, 3) || 'USD';
  const decimals = code === 'JPY' ? '0' : '0.00';
  const symbol = SYMBOLS[code];
  return symbol ? `"${symbol}"#,##${decimals}` : `#,##${decimals} "${code}"`;
}

/** A YYYY-MM-DD day as a Date at midnight UTC, which exceljs stores as that calendar day. */
function asDate(day: string | null): Date | null {
  return day ? new Date(`${day}T00:00:00.000Z`) : null;
}

function styleHeader(row: ExcelJS.Row): void {
  row.font = { bold: true };
  row.alignment = { vertical: 'middle' };
  row.eachCell((cell) => {
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
    cell.border = { bottom: { style: 'thin', color: { argb: 'FF9AA8BD' } } };
  });
}

/**
 * The Summary's note on how uplift is computed, naming the method its rows use: Newcombe's interval
 * within one play, Mantel–Haenszel for a row stratified across plays (the total, and any grouping
 * other than trigger). Saying "Newcombe" for a stratified row misnamed its interval.
 */
export function upliftNote(report: Pick<OutcomeReport, 'rows' | 'totals' | 'min_group_size'>): string {
  const methods = new Set([...report.rows, report.totals].map((row) => row.uplift_method));
  const shown = `shown when both groups have at least ${report.min_group_size} decided outcomes.`;
  const what =
    'Success rate of every firing not held out (contacted or not) minus that of the held-out firings, both judged from the firing day (intention to treat), in percentage points';
  if (!methods.has('mantel_haenszel')) return `${what}, 95% Newcombe hybrid score interval; ${shown}`;
  if (!methods.has('newcombe'))
    return `${what}, compared within each play and firing month and combined with Mantel–Haenszel weights (95% interval); ${shown}`;
  return `${what}, with its 95% interval: within one play and month the plain difference (Newcombe hybrid score interval); across several compared within each (Mantel–Haenszel weights), as the Uplift method column says for each row; ${shown}`;
}

export interface XlsxInput {
  facts: OutcomeFact[];
  report: OutcomeReport;
  title: string;
  generatedAt: Date;
}

/**
 * The outcome workbook: a Summary sheet (per trigger, with uplift and its interval) and an
 * Interventions sheet (one row per intervention or control outcome). Every value is typed: days
 * are dates, money is a number with a currency format, rates are numbers with a percent format,
 * and text is stored as text, which a spreadsheet never evaluates as a formula.
 */
export async function buildOutcomeWorkbook(input: XlsxInput): Promise<Uint8Array> {
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  workbook.creator = 'Foresight';
  workbook.created = input.generatedAt;
  workbook.modified = input.generatedAt;

  const summary = workbook.addWorksheet('Summary', { views: [{ state: 'frozen', ySplit: 6 }] });
  summary.getCell('A1').value = input.title;
  summary.getCell('A1').font = { bold: true, size: 14 };
  summary.getCell('A2').value = 'As of';
  summary.getCell('B2').value = asDate(input.report.as_of);
  summary.getCell('B2').numFmt = DATE_FORMAT;
  summary.getCell('A3').value = 'Period';
  summary.getCell('B3').value = `${input.report.from ?? 'start'} to ${input.report.to ?? input.report.as_of}`;
  summary.getCell('A4').value = 'Uplift';
  summary.getCell('B4').value = upliftNote(input.report);

  const headers = [
    'Trigger',
    'Interventions',
    'Succeeded',
    'Failed',
    'Expired',
    'Open',
    'Success rate',
    'Median days to success',
    'ARR retained (USD equivalent)',
    'Eligible firings (uplift)',
    'Control',
    'Control succeeded',
    'Control success rate',
    'Uplift (points)',
    'Uplift CI low (points)',
    'Uplift CI high (points)',
    'Mean effort (1–7)',
    'Note',
    'Uplift method',
    'Plays compared',
    'Overrides (set by hand)',
    'Incremental ARR (USD equivalent)',
    'Incremental ARR low (USD equivalent)',
    'Incremental ARR high (USD equivalent)',
  ];
  const headerRow = summary.getRow(6);
  headerRow.values = headers;
  styleHeader(headerRow);
  const widths = [26, 13, 11, 9, 9, 9, 12, 12, 16, 12, 10, 12, 12, 10, 12, 12, 12, 70, 16, 9, 9, 16, 16, 16];
  widths.forEach((w, i) => (summary.getColumn(i + 1).width = w));

  const addSummaryRow = (row: OutcomeRow, bold = false) => {
    const added = summary.addRow([
      row.label,
      row.n,
      row.succeeded,
      row.failed,
      row.expired,
      row.pending,
      row.success_rate,
      row.median_days_to_success,
      row.arr_retained,
      row.treated.n,
      row.control.n,
      row.control.succeeded,
      row.control.success_rate,
      points(row.uplift?.value),
      points(row.uplift?.ci_low),
      points(row.uplift?.ci_high),
      row.mean_effort,
      row.uplift_note,
      row.uplift_method === 'mantel_haenszel' ? 'Mantel–Haenszel, within each play and month' : 'Newcombe',
      row.plays_compared,
      row.overrides,
      row.incremental_arr?.value ?? null,
      row.incremental_arr?.ci_low ?? null,
      row.incremental_arr?.ci_high ?? null,
    ]);
    for (const col of [22, 23, 24]) added.getCell(col).numFmt = currencyFormat(row.currency);
    for (const col of [7, 13]) added.getCell(col).numFmt = PERCENT_FORMAT;
    for (const col of [14, 15, 16]) added.getCell(col).numFmt = POINTS_FORMAT;
    added.getCell(8).numFmt = '0.0';
    added.getCell(17).numFmt = '0.0';
    added.getCell(9).numFmt = currencyFormat(row.currency);
    if (bold) added.font = { bold: true };
  };
  input.report.rows.forEach((row) => addSummaryRow(row));
  addSummaryRow(input.report.totals, true);

  summary.addRow([]);
  const compareHeader = summary.addRow([
    'Trigger',
    'Eligible 90-day retention',
    'n',
    'Control 90-day retention',
    'n',
    'Retention uplift (points)',
    'CI low (points)',
    'CI high (points)',
    'Eligible tickets / account (30 days)',
    'Control tickets / account (30 days)',
  ]);
  styleHeader(compareHeader);
  for (const c of input.report.comparisons) {
    const added = summary.addRow([
      c.label,
      c.treated.rate,
      c.treated.n,
      c.control.rate,
      c.control.n,
      points(c.retention_uplift?.value),
      points(c.retention_uplift?.ci_low),
      points(c.retention_uplift?.ci_high),
      c.treated.tickets_per_account,
      c.control.tickets_per_account,
    ]);
    for (const col of [2, 4]) added.getCell(col).numFmt = PERCENT_FORMAT;
    for (const col of [6, 7, 8]) added.getCell(col).numFmt = POINTS_FORMAT;
    for (const col of [9, 10]) added.getCell(col).numFmt = '0.00';
  }

  summary.addRow([]);
  styleHeader(
    summary.addRow(['Inbound tickets per active account', 'Treated', 'Accounts', 'Control (treated mix)', 'Accounts']),
  );
  for (const d of input.report.deflection) {
    const added = summary.addRow([
      d.period,
      d.treated.per_account,
      d.treated.accounts,
      d.control.per_account,
      d.control.accounts,
    ]);
    for (const col of [2, 4]) added.getCell(col).numFmt = '0.00';
  }
  const response = summary.addRow([
    'Response rate to proactive messages',
    input.report.response.rate,
    input.report.response.sent,
  ]);
  response.getCell(2).numFmt = PERCENT_FORMAT;
  if (input.report.resolution) {
    const { outreach, tickets } = input.report.resolution;
    summary.addRow(['Median days to success of triggered outreach', outreach.median_days, outreach.n]);
    summary.addRow(['Median days to close an inbound ticket', tickets.median_days, tickets.n]);
  }

  const sheet = workbook.addWorksheet('Interventions', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = EXPORT_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  styleHeader(sheet.getRow(1));
  for (const fact of input.facts) {
    const row = sheet.addRow(
      EXPORT_COLUMNS.map((column) => {
        const value = column.value(fact);
        return column.kind === 'date' ? asDate(value as string | null) : fitCell(value);
      }),
    );
    EXPORT_COLUMNS.forEach((column, index) => {
      const cell = row.getCell(index + 1);
      if (column.kind === 'date') cell.numFmt = DATE_FORMAT;
      else if (column.kind === 'money') cell.numFmt = currencyFormat(fact.currency);
    });
  }
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: EXPORT_COLUMNS.length } };

  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
