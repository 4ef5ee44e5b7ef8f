// exceljs is large; it loads only when a workbook is read or written, not on every CLI start.
import type ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { basename } from 'node:path';
import { isIsoDay } from '../contract/dates.ts';
import type { Db } from '../db/open.ts';
import { UserFacingError } from '../errors.ts';
import type { ImportOutcomesResult } from '../../shared/dto/interventions.ts';
import type { FactStatus, OutcomeFact } from '../interventions/facts.ts';
import { importedRepo } from '../interventions/imported-repo.ts';
import { EXPORT_COLUMNS } from './columns.ts';
import { unneutralise } from './csv.ts';
import { checkWorkbookSize } from './zip-bounds.ts';

export interface OutcomeFile {
  name: string;
  data: Uint8Array;
}

type RawRow = Record<string, string>;

const STATUSES: readonly FactStatus[] = ['planned', 'sent', 'pending', 'succeeded', 'failed', 'expired'];
const REQUIRED = ['record_id', 'cohort', 'account_id', 'trigger_id', 'status', 'start_on'];

/** An xlsx file is a zip archive: it starts with "PK". */
const isZip = (data: Uint8Array) => data[0] === 0x50 && data[1] === 0x4b;

async function readRows(file: OutcomeFile): Promise<{ rows: RawRow[]; firstLine: number }> {
  if (isZip(file.data)) return { rows: await readXlsx(file), firstLine: 2 };
  const text = new TextDecoder('utf-8').decode(file.data).replace(/^\uFEFF/, '');
  const parsed = Papa.parse<RawRow>(text, {
    header: true,
    skipEmptyLines: 'greedy',
    transform: (value) => unneutralise(value),
  });
  if (parsed.errors.length > 0 && parsed.data.length === 0) {
    throw new UserFacingError(
      'IMPORT_UNREADABLE',
      `${file.name} could not be read as CSV: ${parsed.errors[0]?.message ?? 'unknown error'}.`,
    );
  }
  return { rows: parsed.data, firstLine: 2 };
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text;
    // A formula never comes from our exports; keep only its cached result, never the formula.
    if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
    return '';
  }
  return String(value);
}

async function readXlsx(file: OutcomeFile): Promise<RawRow[]> {
  checkWorkbookSize(file.name, file.data);
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  try {
    await workbook.xlsx.load(file.data as unknown as ArrayBuffer);
  } catch {
    throw new UserFacingError('IMPORT_UNREADABLE', `${file.name} could not be read as an Excel workbook.`);
  }
  const sheet = workbook.getWorksheet('Interventions') ?? workbook.worksheets[0];
  if (!sheet) throw new UserFacingError('IMPORT_UNREADABLE', `${file.name} has no worksheet.`);
  const headers: string[] = [];
  sheet.getRow(1).eachCell({ includeEmpty: true }, (cell, col) => (headers[col] = cellText(cell.value).trim()));
  const rows: RawRow[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const raw: RawRow = {};
    let any = false;
    headers.forEach((header, col) => {
      if (!header) return;
      const text = cellText(row.getCell(col).value);
      if (text !== '') any = true;
      raw[header] = text;
    });
    if (any) rows.push(raw);
  }
  return rows;
}

/** Reads one row of an export back into a fact, or says in one sentence why it cannot. */
export function parseRow(raw: RawRow): OutcomeFact | string {
  const text = (key: string) => {
    const value = (raw[key] ?? '').trim();
    return value === '' ? null : value;
  };
  for (const key of REQUIRED) if (!text(key)) return `${key} is empty`;
  const cohort = text('cohort');
  if (cohort !== 'treated' && cohort !== 'control' && cohort !== 'eligible')
    return `cohort must be treated, control or eligible, not "${cohort}"`;
  const status = text('status') as FactStatus;
  if (!STATUSES.includes(status)) return `status "${status}" is not one of ${STATUSES.join(', ')}`;
  const days: Record<string, string | null> = {};
  for (const key of ['fired_on', 'start_on', 'due_on', 'outcome_on', 'as_of']) {
    const value = text(key);
    const day = value ? value.slice(0, 10) : null;
    if (day && !isIsoDay(day)) return `${key} "${value}" is not a date (YYYY-MM-DD)`;
    days[key] = day;
  }
  const numbers: Record<string, number | null> = {};
  for (const column of EXPORT_COLUMNS.filter(
    (c) => c.kind === 'integer' || c.kind === 'number' || c.kind === 'money',
  )) {
    const value = text(column.key);
    if (value === null) {
      numbers[column.key] = null;
      continue;
    }
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || (column.kind === 'integer' && !Number.isInteger(parsed)))
      return `${column.key} "${value}" is not a ${column.kind === 'integer' ? 'whole number' : 'number'}`;
    numbers[column.key] = parsed;
  }
  if (numbers.effort_rating != null && (numbers.effort_rating < 1 || numbers.effort_rating > 7))
    return `effort_rating ${numbers.effort_rating} is not from 1 to 7`;
  const bool = (key: string): boolean | null => {
    const value = text(key)?.toLowerCase();
    if (value === undefined || value === null) return null;
    return value === 'true' || value === '1' || value === 'yes';
  };
  const retained = bool('retained_90d');
  return {
    record_id: text('record_id')!,
    cohort,
    source: 'imported',
    account_id: text('account_id')!,
    account_name: text('account_name'),
    owner_email: text('owner_email'),
    trigger_id: text('trigger_id')!,
    template_id: text('template_id'),
    template_version: numbers.template_version ?? null,
    channel: text('channel'),
    status,
    fired_on: days.fired_on ?? null,
    start_on: days.start_on!,
    due_on: days.due_on ?? null,
    outcome_on: days.outcome_on ?? null,
    days_to_success: numbers.days_to_success ?? null,
    arr: numbers.arr ?? null,
    currency: text('currency'),
    effort_rating: numbers.effort_rating ?? null,
    excluded_from_uplift: bool('excluded_from_uplift') ?? false,
    manual: bool('manual') ?? false,
    replied: bool('replied'),
    fatigue_override: bool('fatigue_override'),
    retained_90d: retained === null ? null : retained ? 1 : 0,
    tickets_30d: numbers.tickets_30d ?? null,
    tickets_31_60d: numbers.tickets_31_60d ?? null,
    tickets_61_90d: numbers.tickets_61_90d ?? null,
    evidence: text('evidence'),
    notes: text('notes'),
    as_of: days.as_of ?? null,
    contacted: cohort === 'treated' ? null : bool('contacted'),
  };
}

/**
 * Merges other CSMs' outcome exports (CSV or XLSX, as written by exportOutcomes) into this
 * database's report. Rows are keyed by record id: a row already here, locally or from an earlier
 * import, is not duplicated, and importing the same file again changes nothing.
 */
export async function importOutcomeFiles(
  db: Db,
  files: readonly OutcomeFile[],
  now: Date,
): Promise<ImportOutcomesResult> {
  const repo = importedRepo(db);
  const local = db
    .prepare<{ id: string }, number>(
      'SELECT 1 FROM interventions WHERE intervention_id = @id UNION ALL SELECT 1 FROM control_outcomes WHERE record_id = @id LIMIT 1',
    )
    .pluck();
  const firing = db
    .prepare<[string, string, string], number>(
      'SELECT 1 FROM risk_items WHERE account_id = ? AND trigger_id = ? AND first_fired_on = ? LIMIT 1',
    )
    .pluck();
  // An eligible row's id is eligible:<account>:<trigger>:<firing day> (eligibleRecordId).
  const ownFiring = (id: string) => {
    const match = /^eligible:(.+):([^:]+):(\d{4}-\d{2}-\d{2})$/.exec(id);
    return match ? firing.get(match[1]!, match[2]!, match[3]!) !== undefined : false;
  };
  const result: ImportOutcomesResult = { files: [], added: 0, updated: 0, unchanged: 0, older: 0, rejected: 0 };
  for (const file of files) {
    const { rows, firstLine } = await readRows(file);
    const headers = new Set(rows.flatMap((r) => Object.keys(r)));
    const missing = REQUIRED.filter((h) => !headers.has(h));
    if (rows.length > 0 && missing.length > 0) {
      throw new UserFacingError(
        'IMPORT_NOT_OUTCOMES',
        `${file.name} is not a Foresight outcome export: it has no ${missing.join(', ')} column.`,
      );
    }
    const summary = {
      file: basename(file.name),
      rows: rows.length,
      added: 0,
      updated: 0,
      unchanged: 0,
      older: 0,
      rejected: [] as { line: number; reason: string }[],
    };
    db.transaction(() => {
      rows.forEach((raw, index) => {
        const fact = parseRow(raw);
        if (typeof fact === 'string') {
          summary.rejected.push({ line: firstLine + index, reason: fact });
          return;
        }
        // A verdict judged on a day that has not happened would win every later merge of the row.
        if (fact.as_of && fact.as_of > now.toISOString().slice(0, 10)) {
          summary.rejected.push({
            line: firstLine + index,
            reason: `as_of ${fact.as_of} is after today (${now.toISOString().slice(0, 10)}, UTC)`,
          });
          return;
        }
        if (local.get({ id: fact.record_id }) !== undefined || ownFiring(fact.record_id)) {
          summary.unchanged++;
          return;
        }
        summary[repo.put(fact, basename(file.name), now.toISOString())]++;
      });
    })();
    result.files.push(summary);
    result.added += summary.added;
    result.updated += summary.updated;
    result.unchanged += summary.unchanged;
    result.older += summary.older;
    result.rejected += summary.rejected.length;
  }
  return result;
}
