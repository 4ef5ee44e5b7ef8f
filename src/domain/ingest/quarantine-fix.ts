/**
 * Re-importing an exported, corrected quarantine file. `foresight quarantine export` (and the Sync
 * screen's export) writes one row per rejected record with `quarantine_id` and `kind` columns and
 * the record's fields under their contract names. When such a file is imported, each row is
 * checked again with the options (date formats, decimal comma) of the original import; a row that
 * now passes is written and its quarantine entry removed, one that still fails stays quarantined
 * with the new reason.
 */
import type { Db } from '../db/open.ts';
import { parseCoerceOptions } from './coerce.ts';
import { FIELD_NAMES, isRecordKind } from './fields.ts';
import { canonicalJson, quarantineHash, type RecordWriter } from './writer.ts';
import { unneutralise } from '../export/csv.ts';

interface EntryRow {
  kind: string;
  origin: string;
  line: number | null;
  options_json: string | null;
  raw_hash: string;
}

export function createFixRowHandler(
  db: Db,
  writer: RecordWriter,
  header: readonly string[],
  origin: string,
): (cells: readonly string[], line: number) => void {
  const index = new Map(header.map((name, i) => [name.trim().toLowerCase(), i] as const));
  const idColumn = index.get('quarantine_id')!;
  const kindColumn = index.get('kind')!;
  const fileColumn = index.get('file');
  const lineColumn = index.get('line');
  const entry = db.prepare<[number], EntryRow>(
    'SELECT kind, origin, line, options_json, raw_hash FROM quarantine WHERE quarantine_id = ?',
  );
  /** The entry the row names, only if it is still the same one: same kind, file and line (an old fix file must not touch another row). */
  const sameEntry = (id: number, kind: string, cells: readonly string[]): EntryRow | undefined => {
    const found = Number.isSafeInteger(id) && id > 0 ? entry.get(id) : undefined;
    if (!found || found.kind !== kind) return undefined;
    const file = fileColumn === undefined ? null : unneutralise(cells[fileColumn] ?? '');
    const line =
      lineColumn === undefined
        ? null
        : unneutralise(cells[lineColumn] ?? '')
            .trim()
            .replace(/^(?:line|item)\s+/i, '');
    if (file !== null && file !== found.origin) return undefined;
    if (line !== null && line !== String(found.line ?? '')) return undefined;
    return found;
  };
  const remove = db.prepare<[number]>('DELETE FROM quarantine WHERE quarantine_id = ?');

  return (cells, line) => {
    const where = { origin, line, unit: 'line' as const };
    const kind = (cells[kindColumn] ?? '').trim();
    if (!isRecordKind(kind)) {
      writer.note(where, 'kind', `'${kind}' is not a record kind (accounts, contacts, metrics or events)`);
      return;
    }
    const id = Number((cells[idColumn] ?? '').trim());
    const existing = sameEntry(id, kind, cells);
    const raw: Record<string, string> = {};
    for (const field of FIELD_NAMES[kind]) {
      const column = index.get(field);
      const cell = column === undefined ? undefined : cells[column];
      if (cell !== undefined && cell !== '') raw[field] = unneutralise(cell);
    }
    if (Object.keys(raw).length === 0) {
      writer.note(where, null, 'has no values yet: fill in the fields from the raw column, then import the file again');
      return;
    }
    const optionsJson = existing?.options_json ?? null;
    const outcome = writer.write(kind, raw, where, parseCoerceOptions(optionsJson), optionsJson);
    if (!existing) return;
    // Passed: the entry is done. Still failing but edited: the edited row replaced it.
    if (outcome !== 'rejected' || quarantineHash(kind, canonicalJson(kind, raw), null) !== existing.raw_hash)
      remove.run(id);
  };
}
