/**
 * The Accounts grid's current view (its filters, sort and chosen columns) as CSV (the one CSV
 * writer, with its formula-injection defence) or as an XLSX workbook with typed cells.
 */
import type { Db } from '../db/open.ts';
import { toCsv, type CsvCell } from '../export/csv.ts';
import { currencyFormat } from '../export/xlsx.ts';
import type { GridColumn, GridRow } from '../../shared/dto/accounts-grid.ts';
import { DATA_GAP_WORDS } from '../../shared/dto/data-gap.ts';
import { allGridRows, type GridQuery } from './grid.ts';

/** Each view column as one or more file columns: money keeps its own currency next to the USD figure. */
const FILE_COLUMNS: Record<
  GridColumn,
  { header: string; value: (r: GridRow) => CsvCell; kind?: 'date' | 'percent' | 'usd' | 'money' }[]
> = {
  name: [
    { header: 'Account ID', value: (r) => r.accountId },
    { header: 'Account', value: (r) => r.name },
    // A churned account is a lost customer, not a live one with a data problem.
    { header: 'Status', value: (r) => r.status },
    { header: 'Churned on', value: (r) => r.churnedOn, kind: 'date' },
  ],
  health: [
    { header: 'Health score', value: (r) => r.score },
    { header: 'Band', value: (r) => r.band },
    // Why the score is empty: an empty cell alone would read as a zero or a gap in the export.
    {
      header: 'No score because',
      value: (r) => (r.status === 'churned' ? 'churned' : r.dataGap === null ? null : DATA_GAP_WORDS[r.dataGap]),
    },
  ],
  trend: [{ header: 'Trend', value: (r) => r.trend }],
  p_churn: [{ header: 'P(churn)', value: (r) => r.pChurn, kind: 'percent' }],
  arr: [
    { header: 'ARR', value: (r) => r.arr, kind: 'money' },
    { header: 'Currency', value: (r) => r.currency },
    { header: 'ARR (USD)', value: (r) => Math.round(r.arrUsd * 100) / 100, kind: 'usd' },
  ],
  renewal: [{ header: 'Renewal', value: (r) => r.renewalDate, kind: 'date' }],
  last_touch: [{ header: 'Last touch', value: (r) => r.lastTouchOn, kind: 'date' }],
  data_age: [
    { header: 'Newest data', value: (r) => r.newestDataOn, kind: 'date' },
    { header: 'Data age (days)', value: (r) => r.dataAgeDays },
  ],
  owner: [{ header: 'Owner', value: (r) => r.owner }],
  segment: [{ header: 'Segment', value: (r) => r.segment }],
};

export interface GridFile {
  filename: string;
  mime: string;
  rows: number;
  data: Uint8Array;
}

/** What an export has done so far: accounts read, then (XLSX) rows written to the workbook. */
export type ExportProgress = (step: { label: string; processed: number; total: number }) => void;

export async function exportGrid(
  db: Db,
  query: Omit<GridQuery, 'offset' | 'limit' | 'history'>,
  columns: readonly GridColumn[],
  format: 'csv' | 'xlsx',
  progress: ExportProgress = () => undefined,
): Promise<GridFile> {
  const rows = allGridRows(db, query, (processed, total) => progress({ label: 'Reading accounts', processed, total }));
  // The name is always first, so every row says which account it is.
  const fields = ['name' as const, ...columns.filter((c) => c !== 'name')].flatMap((c) => FILE_COLUMNS[c]);
  const filename = `foresight-accounts-${query.asOf}.${format}`;
  if (format === 'csv') {
    const text = toCsv(
      fields.map((f) => f.header),
      rows.map((r) => fields.map((f) => f.value(r))),
    );
    return { filename, mime: 'text/csv', rows: rows.length, data: new TextEncoder().encode(text) };
  }
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  workbook.creator = 'Foresight';
  const sheet = workbook.addWorksheet('Accounts', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(fields.map((f) => f.header)).font = { bold: true };
  for (const [index, r] of rows.entries()) {
    if (index % 1000 === 0) progress({ label: 'Writing the workbook', processed: index, total: rows.length });
    const row = sheet.addRow(
      fields.map((f) => {
        const value = f.value(r);
        return f.kind === 'date' && typeof value === 'string' ? new Date(`${value}T00:00:00.000Z`) : (value ?? null);
      }),
    );
    fields.forEach((f, i) => {
      const cell = row.getCell(i + 1);
      if (f.kind === 'date') cell.numFmt = 'yyyy-mm-dd';
      else if (f.kind === 'percent') cell.numFmt = '0.0%';
      else if (f.kind === 'usd') cell.numFmt = currencyFormat('USD');
      else if (f.kind === 'money') cell.numFmt = currencyFormat(r.currency);
    });
  }
  const buffer = await workbook.xlsx.writeBuffer();
  return {
    filename,
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    rows: rows.length,
    data: new Uint8Array(buffer as ArrayBuffer),
  };
}
