/**
 * Reading one file into the writer, inside the file's transaction (import-files.ts opens it): CSV
 * through the CSV worker when one was started for the file (csv-in-worker.ts), else in this thread,
 * and JSON arrays or NDJSON in this thread. Every row reaches the writer in file order.
 */
import type { RecordKind } from '../../shared/dto/core.ts';
import type { Db } from '../db/open.ts';
import { forDelimiter, type CoerceOptions } from './coerce.ts';
import { latestUpdatedAt } from './future-instant.ts';
import { CsvWorkerUnavailable, type CsvWorker } from './csv-in-worker.ts';
import { rawLine, readCsv, type CsvHandlers, type CsvInfo } from './csv-reader.ts';
import { metricNameFromHeader } from './fields.ts';
import { isFixFileHeader } from './fix-file-header.ts';
import type { PlannedFile } from './import-files.ts';
import { readJsonArray, readNdjson } from './json-reader.ts';
import { FileProblem, keyMapper, planLayout, rowMapper, type Layout } from './layout.ts';
import type { Mapping } from './mapping.ts';
import { metricRowShortcut, type MetricRowShortcut } from './metric-rows.ts';
import { createFixRowHandler } from './quarantine-fix.ts';
import { allAccountIds, quarantinedKeys } from './repo.ts';
import { openTextFile, type TextEncoding, type TextReader } from './text-source.ts';
import { createRecordWriter, type RecordWriter, type Where } from './writer.ts';
import { FileKeys } from './repeated-keys.ts';
import { type AccountIdSet } from './counts.ts';

export interface FileRun {
  writer: RecordWriter;
  layoutInfo: { kind: RecordKind | null; ignored: string[]; delimiter: string | null };
  rows: number;
  /** The file's SHA-256 when the CSV worker hashed it on the way. */
  digest: string | null;
}

/** Reads one file inside the caller's transaction, feeding every row to the writer. */
export function readFileInto(
  db: Db,
  planned: PlannedFile,
  encoding: TextEncoding | undefined,
  ctx: {
    kind: RecordKind | null;
    mapping: Mapping;
    coerce: CoerceOptions;
    optionsJson: string | null;
    createdAt: string;
    changed: AccountIdSet;
    progress: (rows: number, bytes: number) => void;
    onBytes?: (bytes: Uint8Array | null) => void;
    worker: () => CsvWorker | null;
    /** A kind whose key index is set aside for a first load (event-key.ts). */
    plainInsert?: RecordKind | null;
  },
): FileRun {
  const { spec } = planned;
  // Batched upserts (writer.ts): flushed below, before the file's transaction commits.
  const writer = createRecordWriter(db, {
    createdAt: ctx.createdAt,
    changed: ctx.changed,
    batch: true,
    plainInsert: ctx.plainInsert ?? null,
    fileKeys: new FileKeys(),
  });
  const run: FileRun = { writer, layoutInfo: { kind: null, ignored: [], delimiter: null }, rows: 0, digest: null };
  // Opened only when this thread reads the file (not when the CSV worker does).
  let reader: TextReader | null = null;
  const openReader = () => (reader = openTextFile(spec.path, encoding, ctx.onBytes));
  let bytesRead = 0;
  const where: Where = { origin: spec.name, line: null, unit: 'line' };
  const at = (line: number): Where => ({ ...where, line });
  let rowsSinceProgress = 0;
  const onChunk = () => {
    if (reader) bytesRead = reader.bytesRead;
    ctx.progress(run.rows, bytesRead);
    rowsSinceProgress = 0;
  };
  try {
    if (planned.format === 'csv' || planned.format === null) {
      let layout: Layout | null = null;
      let mapRow: ((cells: readonly string[]) => Record<string, unknown>) | null = null;
      let fixRow: ((cells: readonly string[], line: number) => void) | null = null;
      let shortcut: MetricRowShortcut | null = null;
      let headerCount = 0;
      let coerce = ctx.coerce;
      const handlers: CsvHandlers = {
        header(fields, _line, delimiter) {
          headerCount = fields.length;
          run.layoutInfo.delimiter = delimiter;
          coerce = forDelimiter(ctx.coerce, delimiter);
          if (isFixFileHeader(fields)) {
            fixRow = createFixRowHandler(db, writer, fields, spec.name);
            run.layoutInfo.kind = null;
            return;
          }
          layout = planLayout(fields, spec.name, { kind: ctx.kind, mapping: ctx.mapping });
          mapRow = rowMapper(layout);
          shortcut = metricRowShortcut(layout, coerce, writer);
          run.layoutInfo.kind = layout.kind;
          run.layoutInfo.ignored = layout.ignored;
        },
        row(cells, line) {
          run.rows++;
          if (++rowsSinceProgress === 8192) onChunk();
          if (
            cells.length !== headerCount &&
            !(cells.length > headerCount && cells.slice(headerCount).every((c) => c.trim() === ''))
          ) {
            const kind = layout?.kind ?? 'accounts';
            const hint =
              cells.length < headerCount
                ? 'a missing delimiter, or a line break outside quotes?'
                : 'an unquoted delimiter inside a value?';
            writer.reject(
              kind,
              at(line),
              null,
              `has ${cells.length} field${cells.length === 1 ? '' : 's'} but the header has ${headerCount} (${hint})`,
              { rawText: rawLine(cells, run.layoutInfo.delimiter ?? ',') },
              ctx.optionsJson,
            );
            return;
          }
          if (fixRow) return fixRow(cells, line);
          if (shortcut !== null && shortcut(cells)) return;
          const l = layout!;
          const raw = mapRow!(cells);
          if (l.shape === 'long') {
            writer.write(l.kind, raw, at(line), coerce, ctx.optionsJson);
            return;
          }
          for (const metric of l.metrics) {
            const cell = cells[metric.index];
            if (cell === undefined || cell.trim() === '') continue;
            writer.write(
              'metrics',
              { ...raw, metric: metric.metric, value: cell },
              at(line),
              coerce,
              ctx.optionsJson,
              metric.header,
            );
          }
        },
        malformed(line, reason, rawText) {
          if (headerCount === 0)
            throw new FileProblem(`${spec.name}: the header row (line ${line}) cannot be read: ${reason}`);
          run.rows++;
          writer.reject(layout?.kind ?? 'accounts', at(line), null, reason, { rawText }, ctx.optionsJson);
        },
        chunk: onChunk,
      };
      let info: CsvInfo | null = null;
      const worker = ctx.worker();
      const kindOfRows = planned.kind;
      if (worker && kindOfRows !== null) {
        try {
          // The worker proves rows against the accounts and the quarantine as they are now.
          const begin = {
            knownAccounts: kindOfRows === 'accounts' ? [] : allAccountIds(db),
            quarantinedKeys: quarantinedKeys(db, kindOfRows),
            latestUpdatedAt: latestUpdatedAt(ctx.createdAt),
          };
          const result = worker.read(begin, {
            ...handlers,
            records(kind, json, count, accounts, firstDay, fileRows, keyLines) {
              run.rows += fileRows;
              writer.writeJsonBatch(kind, json, count, accounts, firstDay, keyLines);
            },
            series(batch, accounts, firstDay, fileRows) {
              run.rows += fileRows;
              writer.writeSeriesBatch(batch, accounts, firstDay);
            },
            chunk(bytes) {
              bytesRead = bytes;
              onChunk();
            },
          });
          run.digest = result.digest;
          info = result;
        } catch (error) {
          if (!(error instanceof CsvWorkerUnavailable)) throw error;
        } finally {
          worker.dispose();
        }
      }
      info ??= readCsv(openReader(), handlers);
      run.layoutInfo.delimiter = info.delimiter;
      if (!info.sawHeader) throw new FileProblem(`${spec.name} is empty`);
    } else {
      let kind: RecordKind | null = ctx.kind ?? ctx.mapping.kind ?? null;
      let mapItem: ReturnType<typeof keyMapper> | null = null;
      const handlers = {
        item(value: unknown, line: number) {
          run.rows++;
          if (++rowsSinceProgress === 8192) onChunk();
          if (value === null || typeof value !== 'object' || Array.isArray(value)) {
            writer.reject(
              kind ?? 'accounts',
              at(line),
              null,
              `is ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}, not a JSON object`,
              { rawText: JSON.stringify(value) },
              ctx.optionsJson,
            );
            return;
          }
          const item = value as Record<string, unknown>;
          if (!mapItem) {
            kind ??= planLayout(Object.keys(item), spec.name, { mapping: ctx.mapping, requireColumns: false }).kind;
            const layout = planLayout(Object.keys(item), spec.name, {
              kind,
              mapping: ctx.mapping,
              requireColumns: false,
            });
            mapItem = keyMapper(kind, ctx.mapping, layout.constants);
            run.layoutInfo.kind = kind;
          }
          const { raw, rest } = mapItem(item);
          if (kind === 'metrics' && raw.metric === undefined && raw.value === undefined && rest.length > 0) {
            for (const [key, cell] of rest) {
              if (cell === null || cell === undefined || cell === '') continue;
              writer.write(
                'metrics',
                { ...raw, metric: metricNameFromHeader(key), value: cell },
                at(line),
                ctx.coerce,
                ctx.optionsJson,
                key,
              );
            }
            return;
          }
          writer.write(kind!, raw, at(line), ctx.coerce, ctx.optionsJson);
        },
        malformed(line: number, reason: string, rawText: string) {
          run.rows++;
          writer.reject(kind ?? 'accounts', at(line), null, reason, { rawText }, ctx.optionsJson);
        },
        chunk: onChunk,
      };
      if (planned.format === 'json') readJsonArray(openReader(), handlers);
      else readNdjson(openReader(), handlers);
    }
  } finally {
    (reader as TextReader | null)?.close();
  }
  return run;
}
