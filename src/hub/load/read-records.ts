/**
 * One file read with the app's own ingest parts (src/domain/ingest): CSV, JSON array or NDJSON,
 * header synonyms and wide metrics (layout.ts), coercion and the data contract (validate.ts).
 * Each valid record goes to the sink as it is read, for the staging merge; every refused row goes
 * to it with its line, field and the contract's sentence, for the hub's quarantine. Nothing is
 * kept here, so a file of any size reads in flat memory.
 */
import type { RecordKind } from '../../shared/dto/core.ts';
import { coerceRecord, DEFAULT_COERCE } from '../../domain/ingest/coerce.ts';
import { readCsv } from '../../domain/ingest/csv-reader.ts';
import { metricNameFromHeader } from '../../domain/ingest/fields.ts';
import type { PlannedFile } from '../../domain/ingest/import-plan.ts';
import { readJsonArray, readNdjson } from '../../domain/ingest/json-reader.ts';
import { FileProblem, keyMapper, planLayout, rowMapper } from '../../domain/ingest/layout.ts';
import { EMPTY_MAPPING } from '../../domain/ingest/mapping.ts';
import { openTextFile } from '../../domain/ingest/text-source.ts';
import { validateRecord } from '../../domain/ingest/validate.ts';

export interface Rejected {
  kind: RecordKind;
  file: string;
  line: number | null;
  field: string | null;
  reason: string;
  raw: unknown;
}

export interface RecordSink {
  record(kind: RecordKind, line: number, record: Record<string, unknown>): void;
  reject(rejected: Rejected): void;
}

export interface FileRead {
  kind: RecordKind | null;
  /** Rows (or JSON items) read, valid or not. */
  rows: number;
}

export function readRecords(planned: PlannedFile, sink: RecordSink): FileRead {
  const name = planned.spec.name;
  const out: FileRead = { kind: planned.kind, rows: 0 };
  const reject = (kind: RecordKind, line: number | null, field: string | null, reason: string, raw: unknown) =>
    sink.reject({ kind, file: name, line, field, reason, raw });
  const write = (kind: RecordKind, raw: Record<string, unknown>, line: number) => {
    const checked = validateRecord(kind, coerceRecord(kind, raw, DEFAULT_COERCE), DEFAULT_COERCE);
    if (checked.ok) sink.record(kind, line, checked.record);
    else reject(kind, line, checked.field, checked.reason, raw);
  };
  const reader = openTextFile(planned.spec.path);
  try {
    if (planned.format === 'csv' || planned.format === null) {
      let layout: ReturnType<typeof planLayout> | null = null;
      let mapRow: ReturnType<typeof rowMapper> | null = null;
      const info = readCsv(reader, {
        header(fields) {
          layout = planLayout(fields, name, { kind: planned.kind, mapping: EMPTY_MAPPING });
          mapRow = rowMapper(layout);
          out.kind = layout.kind;
        },
        row(cells, line) {
          out.rows++;
          const l = layout!;
          if (cells.length !== l.headerCount && !cells.slice(l.headerCount).every((c) => c.trim() === ''))
            return reject(l.kind, line, null, `has ${cells.length} fields but the header has ${l.headerCount}`, cells);
          const raw = mapRow!(cells);
          if (l.shape === 'long') return write(l.kind, raw, line);
          for (const metric of l.metrics) {
            const cell = cells[metric.index];
            if (cell !== undefined && cell.trim() !== '')
              write('metrics', { ...raw, metric: metric.metric, value: cell }, line);
          }
        },
        malformed(line, reason, rawText) {
          if (!layout) throw new FileProblem(`${name}: the header row (line ${line}) cannot be read: ${reason}`);
          out.rows++;
          reject((layout as { kind: RecordKind }).kind, line, null, reason, rawText);
        },
      });
      if (!info.sawHeader) throw new FileProblem(`${name} is empty`);
    } else {
      let kind: RecordKind | null = planned.kind;
      let mapItem: ReturnType<typeof keyMapper> | null = null;
      const handlers = {
        item(value: unknown, line: number) {
          out.rows++;
          if (value === null || typeof value !== 'object' || Array.isArray(value))
            return reject(kind ?? 'accounts', line, null, 'is not a JSON object', value);
          const item = value as Record<string, unknown>;
          if (!mapItem) {
            kind ??= planLayout(Object.keys(item), name, { mapping: EMPTY_MAPPING, requireColumns: false }).kind;
            const layout = planLayout(Object.keys(item), name, { kind, mapping: EMPTY_MAPPING, requireColumns: false });
            mapItem = keyMapper(kind, EMPTY_MAPPING, layout.constants);
            out.kind = kind;
          }
          const { raw, rest } = mapItem(item);
          if (kind === 'metrics' && raw.metric === undefined && raw.value === undefined && rest.length > 0) {
            for (const [key, cell] of rest)
              if (cell !== null && cell !== undefined && cell !== '')
                write('metrics', { ...raw, metric: metricNameFromHeader(key), value: cell }, line);
            return;
          }
          write(kind!, raw, line);
        },
        malformed(line: number, reason: string, rawText: string) {
          out.rows++;
          reject(kind ?? 'accounts', line, null, reason, rawText);
        },
      };
      if (planned.format === 'json') readJsonArray(reader, handlers);
      else readNdjson(reader, handlers);
    }
  } finally {
    reader.close();
  }
  return out;
}
