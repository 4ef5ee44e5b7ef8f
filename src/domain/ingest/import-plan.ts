/**
 * The first step of a file import: each file's size, format (CSV, JSON array or NDJSON) and record
 * kind, sniffed from its first 64 KiB, so that files are imported accounts first, then contacts,
 * metrics and events, whatever the order given. Only the order depends on this guess: the import
 * itself reports any problem with a file properly.
 */
import { statSync } from 'node:fs';
import type { RecordKind } from '../../shared/dto/core.ts';
import { readCsv } from './csv-reader.ts';
import { coerceOptionsFrom } from './coerce.ts';
import { KINDS } from './fields.ts';
import { isFixFileHeader } from './fix-file-header.ts';
import { JsonFileError, readJsonArray, readNdjson } from './json-reader.ts';
import { FileProblem, planLayout } from './layout.ts';
import type { Surface } from './remedies.ts';
import type { Mapping } from './mapping.ts';
import { wideMetricRowProver } from './metric-rows.ts';
import { NotUtf8Error, openTextFile, textReaderFromString, type TextReader } from './text-source.ts';

export type FileFormat = 'csv' | 'json' | 'ndjson';

export interface ImportFileSpec {
  path: string;
  /** How the file is named in results and the quarantine (default: the path). */
  name?: string;
}

export interface PlannedFile {
  spec: Required<ImportFileSpec>;
  order: number;
  size: number;
  format: FileFormat | null;
  kind: RecordKind | null;
  /**
   * A CSV of records the CSV worker can take: one a row, or wide metrics it can prove (not a
   * quarantine fix file).
   */
  recordRows: boolean;
  problem: string | null;
}

const SNIFF_CHARS = 64 * 1024;

export function detectFormat(path: string, head: string): FileFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.ndjson') || lower.endsWith('.jsonl')) return 'ndjson';
  const start = head.trimStart();
  if (start.startsWith('[')) return 'json';
  if (start.startsWith('{')) return 'ndjson';
  if (lower.endsWith('.json')) return 'json';
  return 'csv';
}

function readHead(reader: TextReader): string {
  let head = '';
  while (head.length < SNIFF_CHARS) {
    const chunk = reader.next();
    if (chunk === null) break;
    head += chunk;
  }
  return head;
}

class StopSniffing extends Error {}

/** Format and kind from the start of the file, so files can be imported accounts first. */
function sniff(
  spec: Required<ImportFileSpec>,
  order: number,
  kind: RecordKind | null,
  mapping: Mapping,
  surface: Surface,
): PlannedFile {
  const planned: PlannedFile = { spec, order, size: 0, format: null, kind: null, recordRows: false, problem: null };
  let reader: TextReader | null = null;
  try {
    const stat = statSync(spec.path);
    if (!stat.isFile()) throw new FileProblem(`${spec.name} is not a file`);
    planned.size = stat.size;
    for (const encoding of [undefined, 'windows-1252'] as const) {
      try {
        reader = openTextFile(spec.path, encoding);
        const head = readHead(reader);
        planned.format = detectFormat(spec.path, head);
        planned.kind = kind;
        sniffKind(planned, head, mapping, kind);
        break;
      } catch (error) {
        // Only the order depends on this guess; the import itself reports any problem properly.
        if (error instanceof NotUtf8Error) continue;
        if (!(error instanceof StopSniffing || error instanceof FileProblem || error instanceof JsonFileError))
          throw error;
        break;
      } finally {
        reader?.close();
        reader = null;
      }
    }
  } catch (error) {
    planned.problem = describeFileError(spec.name, error, surface);
  }
  return planned;
}

/** The kind (unless `forced`) and, for CSV, whether its rows are records (the CSV worker's case). */
function sniffKind(planned: PlannedFile, head: string, mapping: Mapping, forced: RecordKind | null): void {
  const { spec } = planned;
  if (planned.format === 'csv') {
    readCsv(textReaderFromString(head), {
      header(fields) {
        if (!isFixFileHeader(fields)) {
          const layout = planLayout(fields, spec.name, { kind: forced, mapping });
          planned.kind = layout.kind;
          // A wide file goes to the worker only when the worker can prove its rows: otherwise each
          // row would only cross to this thread as its cells, for the general path.
          planned.recordRows =
            layout.shape === 'long' || wideMetricRowProver(layout, coerceOptionsFrom(mapping)) !== null;
        }
        throw new StopSniffing();
      },
      row() {},
      malformed() {},
    });
    return;
  }
  const handlers = {
    item(value: unknown) {
      if (!forced && value && typeof value === 'object' && !Array.isArray(value)) {
        planned.kind = planLayout(Object.keys(value), spec.name, { mapping, requireColumns: false }).kind;
      }
      throw new StopSniffing();
    },
    malformed() {},
  };
  if (planned.format === 'json') readJsonArray(textReaderFromString(head), handlers);
  else readNdjson(textReaderFromString(head), handlers);
}

export function describeFileError(name: string, error: unknown, surface: Surface = 'cli'): string {
  if (error instanceof FileProblem) return error.worded(surface);
  if (error instanceof JsonFileError) return `${name} ${error.message}`;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'FORESIGHT_BINARY') return `${name} ${(error as Error).message}`;
  if (code === 'ENOENT') return `${name} does not exist`;
  if (code === 'EACCES' || code === 'EPERM') return `${name} cannot be read (permission denied)`;
  if (code === 'EISDIR') return `${name} is a folder, not a file`;
  if (error instanceof Error && error.name === 'SqliteError')
    return `${name} could not be written to the database (${error.message})`;
  return `${name} could not be read (${error instanceof Error ? error.message : String(error)})`;
}

/** Every file sniffed, in import order: by record kind (unknown last), then as given. */
export function planImport(
  files: readonly (string | ImportFileSpec)[],
  kind: RecordKind | null,
  mapping: Mapping,
  surface: Surface = 'cli',
): PlannedFile[] {
  const specs = files.map((file, order) => {
    const spec =
      typeof file === 'string' ? { path: file, name: file } : { path: file.path, name: file.name ?? file.path };
    return sniff(spec, order, kind, mapping, surface);
  });
  const rank = (p: PlannedFile) => (p.kind ? KINDS.indexOf(p.kind) : KINDS.length);
  return [...specs].sort((a, b) => rank(a) - rank(b) || a.order - b.order);
}
