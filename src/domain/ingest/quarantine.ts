/**
 * The quarantine: list rejected rows, export them as CSV (to fix in a spreadsheet and import
 * again, see quarantine-fix.ts), re-check them all (e.g. once the missing accounts have arrived)
 * and discard the ones nobody will fix.
 */
import type { RecordKind } from '../../shared/dto/core.ts';
import type { QuarantinePage, QuarantineRow, SyncCounts } from '../../shared/dto/sync.ts';
import type { Db } from '../db/open.ts';
import { parseCoerceOptions } from './coerce.ts';
import { FIELD_NAMES, KINDS } from './fields.ts';
import { FIX_FILE_COLUMNS } from './fix-file-header.ts';
import { unitOf } from './feed-origin.ts';
import { recordRun } from './repo.ts';
import { createRecordWriter } from './writer.ts';
import { accountIdSet, acceptedTotal } from './counts.ts';
import { markDataChanged } from '../risk/fingerprint.ts';
import { csvRecord, neutralise, UTF8_BOM } from '../export/csv.ts';

interface EntryRow {
  quarantine_id: number;
  kind: RecordKind;
  origin: string;
  line: number | null;
  field: string | null;
  reason: string;
  record_json: string | null;
  raw_text: string | null;
  options_json: string | null;
  created_at: string;
}

export interface QuarantineFilter {
  kind?: RecordKind | null;
  /** Matches file, reason and values, case-insensitively. */
  search?: string;
}

function where(filter: QuarantineFilter): { sql: string; params: Record<string, unknown> } {
  const search = filter.search?.trim() ?? '';
  return {
    sql: `(@kind IS NULL OR kind = @kind) AND (@pattern IS NULL OR origin LIKE @pattern ESCAPE '\\' OR reason LIKE @pattern ESCAPE '\\' OR field LIKE @pattern ESCAPE '\\' OR record_json LIKE @pattern ESCAPE '\\' OR raw_text LIKE @pattern ESCAPE '\\')`,
    params: {
      kind: filter.kind ?? null,
      pattern: search === '' ? null : `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
    },
  };
}

function toRow(entry: EntryRow): QuarantineRow {
  return {
    id: entry.quarantine_id,
    kind: entry.kind,
    file: entry.origin,
    line: entry.line,
    unit: unitOf(entry.origin),
    field: entry.field,
    reason: entry.reason,
    values: entry.record_json ? (JSON.parse(entry.record_json) as Record<string, unknown>) : null,
    raw: entry.raw_text,
    createdAt: entry.created_at,
  };
}

export function countQuarantine(db: Db): number {
  return db.prepare<[], number>('SELECT count(*) FROM quarantine').pluck().get() ?? 0;
}

export function listQuarantine(db: Db, filter: QuarantineFilter, offset: number, limit: number): QuarantinePage {
  const { sql, params } = where(filter);
  const rows = db
    .prepare<Record<string, unknown>, EntryRow>(
      `SELECT * FROM quarantine WHERE ${sql} ORDER BY quarantine_id LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit, offset });
  const total =
    db.prepare<Record<string, unknown>, number>(`SELECT count(*) FROM quarantine WHERE ${sql}`).pluck().get(params) ??
    0;
  return { rows: rows.map(toRow), total, offset };
}

const cell = (value: unknown): string =>
  value === undefined || value === null
    ? ''
    : typeof value === 'string'
      ? value
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);

/**
 * Writes the quarantine as CSV through `write`, a batch at a time: quarantine_id, kind, file, line,
 * field, reason, the fields of every kind present (contract order), and raw. Cells that a
 * spreadsheet would evaluate are neutralised as in every export; the fix-file import undoes it.
 */
export function exportQuarantine(db: Db, filter: QuarantineFilter, write: (text: string) => void): number {
  const { sql, params } = where(filter);
  const kinds = db
    .prepare<Record<string, unknown>, RecordKind>(`SELECT DISTINCT kind FROM quarantine WHERE ${sql}`)
    .pluck()
    .all(params);
  const fields: string[] = [];
  for (const kind of KINDS)
    if (kinds.includes(kind)) for (const field of FIELD_NAMES[kind]) if (!fields.includes(field)) fields.push(field);
  const columns = [...FIX_FILE_COLUMNS, ...fields, 'raw'];
  // Like every other export (export/csv.ts): a BOM and CRLF, so Excel shows "Zoë Café", not "ZoÃ« CafÃ©".
  write(`${UTF8_BOM}${csvRecord(columns)}\r\n`);
  const page = db.prepare<Record<string, unknown>, EntryRow>(
    `SELECT * FROM quarantine WHERE ${sql} AND quarantine_id > @after ORDER BY quarantine_id LIMIT 1000`,
  );
  let after = 0;
  let count = 0;
  for (;;) {
    const batch = page.all({ ...params, after });
    if (batch.length === 0) break;
    const data = batch.map((entry) => {
      const values = entry.record_json ? (JSON.parse(entry.record_json) as Record<string, unknown>) : {};
      // People open this file in a spreadsheet to fix the rows, so customer text must never run as a formula there.
      return [
        entry.quarantine_id,
        entry.kind,
        entry.origin,
        // A feed row's place reads "item 2", as the sync said it (quarantine-fix.ts reads either back).
        entry.line === null ? '' : unitOf(entry.origin) === 'item' ? `item ${entry.line}` : entry.line,
        entry.field ?? '',
        entry.reason,
        ...fields.map((f) => cell(values[f])),
        entry.raw_text ?? '',
      ].map((value) => neutralise(cell(value)));
    });
    write(`${data.map((row) => csvRecord(row)).join('\r\n')}\r\n`);
    count += batch.length;
    after = batch[batch.length - 1]!.quarantine_id;
  }
  return count;
}

export function exportQuarantineCsv(db: Db, filter: QuarantineFilter = {}): { csv: string; rows: number } {
  const parts: string[] = [];
  const rows = exportQuarantine(db, filter, (text) => parts.push(text));
  return { csv: parts.join(''), rows };
}

export interface RetrySummary extends SyncCounts {
  changedAccountIds: string[] | null;
  /** The first day the rows that left the quarantine date (null: every day; see ImportSummary). */
  changedSince: string | null;
  /** Entries that passed and left the quarantine. */
  resolved: number;
}

/**
 * Checks every quarantined row again, as it arrived, with its original options: rows whose
 * account has arrived since, for example, now pass. One transaction; accounts go first.
 */
export function retryQuarantine(db: Db, options: { now?: () => Date } = {}): RetrySummary {
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const changed = accountIdSet();
  const page = db.prepare<{ after: number; rank: number }, EntryRow>(
    `SELECT * FROM quarantine
     WHERE (CASE kind WHEN 'accounts' THEN 0 WHEN 'contacts' THEN 1 WHEN 'metrics' THEN 2 ELSE 3 END) = @rank AND quarantine_id > @after
     ORDER BY quarantine_id LIMIT 500`,
  );
  const remove = db.prepare<[number]>('DELETE FROM quarantine WHERE quarantine_id = ?');
  return db
    .transaction((): RetrySummary => {
      const writer = createRecordWriter(db, { createdAt: startedAt, changed });
      let resolved = 0;
      for (let rank = 0; rank < KINDS.length; rank++) {
        let after = 0;
        for (;;) {
          const batch = page.all({ after, rank });
          if (batch.length === 0) break;
          after = batch[batch.length - 1]!.quarantine_id;
          for (const entry of batch) {
            const at = {
              origin: entry.origin,
              line: entry.line,
              unit: entry.origin.startsWith('feed:') ? ('item' as const) : ('line' as const),
            };
            if (!entry.record_json) {
              writer.note(at, entry.field, entry.reason);
              continue;
            }
            const raw = JSON.parse(entry.record_json) as Record<string, unknown>;
            const outcome = writer.write(
              entry.kind,
              raw,
              at,
              parseCoerceOptions(entry.options_json),
              entry.options_json,
            );
            if (outcome !== 'rejected') resolved += remove.run(entry.quarantine_id).changes;
          }
        }
      }
      const counts = writer.counts;
      markDataChanged(db, acceptedTotal(counts));
      recordRun(db, {
        type: 'retry',
        origin: 'quarantine',
        status: counts.rejected > 0 ? 'partial' : acceptedTotal(counts) > 0 ? 'ok' : 'unchanged',
        started_at: startedAt,
        finished_at: now().toISOString(),
        accepted: counts.accepted,
        unchanged: counts.unchanged,
        rejected: counts.rejected,
        message: `${resolved.toLocaleString('en')} rows left the quarantine`,
      });
      return {
        ...counts,
        changedAccountIds: changed.values(),
        changedSince: changed.since() ?? null,
        resolved: resolved + writer.resolved,
      };
    })
    .immediate();
}

export function discardQuarantine(
  db: Db,
  selection: { ids?: readonly number[]; all?: boolean } & QuarantineFilter,
): number {
  // "All" is every row the same filter lists, so a screen filtered to one kind discards only what it shows.
  if (selection.all) {
    const { sql, params } = where(selection);
    return db.prepare<Record<string, unknown>>(`DELETE FROM quarantine WHERE ${sql}`).run(params).changes;
  }
  const remove = db.prepare<[number]>('DELETE FROM quarantine WHERE quarantine_id = ?');
  return db.transaction(() => (selection.ids ?? []).reduce((sum, id) => sum + remove.run(id).changes, 0))();
}
