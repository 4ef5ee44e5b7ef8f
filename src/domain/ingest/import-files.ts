/**
 * File import: CSV, JSON arrays and NDJSON into the database, one transaction per file.
 *
 * The entry point the app, the CLI and the bench call directly:
 *
 *     importFiles(db, ['accounts.csv', 'metrics.csv'], { kind?, mapping?, now?, onProgress? }): ImportSummary
 *
 * It is synchronous (a file is one SQLite transaction, and better-sqlite3 transactions cannot span
 * an await), streams each file in 1 MiB chunks, and returns what was accepted, unchanged and
 * rejected. Files are imported accounts first, then contacts, metrics and events, whatever the order
 * given, so child rows find their accounts. A failed file is rolled back completely and the other
 * files still run. Rescoring is not done here: the job that calls this runs the after-data-change
 * steps with `changedAccountIds`.
 */
import { statSync } from 'node:fs';
import type { RecordKind } from '../../shared/dto/core.ts';
import type { FileImportReport, ImportResult, RowError } from '../../shared/dto/sync.ts';
import type { Db } from '../db/open.ts';
import { setAsideWhileEmpty } from './bulk-load.ts';
import { coerceOptionsFrom, serialiseCoerceOptions } from './coerce.ts';
import { startCsvWorker, type CsvWorker } from './csv-in-worker.ts';
import { readCsv } from './csv-reader.ts';
import { KINDS } from './fields.ts';
import { isFixFileHeader } from './fix-file-header.ts';
import { JsonFileError, readJsonArray, readNdjson } from './json-reader.ts';
import { FileProblem, planLayout } from './layout.ts';
import { EMPTY_MAPPING, type Mapping } from './mapping.ts';
import { readFileInto } from './read-file.ts';
import { recordRun } from './repo.ts';
import { NotUtf8Error, openTextFile, textReaderFromString, type TextEncoding, type TextReader } from './text-source.ts';
import { fileDigest, streamedDigest, unchangedFilesRepo } from './unchanged-files.ts';
import { accountIdSet, acceptedTotal, addCounts, emptyCounts } from './writer.ts';

export type FileFormat = 'csv' | 'json' | 'ndjson';

export interface ImportFileSpec {
  path: string;
  /** How the file is named in results and the quarantine (default: the path). */
  name?: string;
}

export interface ImportProgress {
  file: string;
  fileIndex: number;
  fileCount: number;
  /** Data rows read so far, over all files. */
  rows: number;
  /** Bytes read so far and in total, over all files: the basis of a percentage. */
  bytes: number;
  totalBytes: number;
}

export interface ImportOptions {
  /** Force the record kind instead of detecting it from the headers. */
  kind?: RecordKind | null;
  mapping?: Mapping | null;
  /** The clock for run timestamps; defaults to the system clock. */
  now?: () => Date;
  /** Called after every chunk (1 MiB) of input. */
  onProgress?: (progress: ImportProgress) => void;
  /**
   * Read and check a CSV of one record per row in a worker thread (csv-worker.ts) while this
   * thread writes. Default: for files of PARSE_IN_WORKER_BYTES or more. Tests force it either way.
   */
  parseInWorker?: boolean;
}

/** SQLite's page cache during an import, in KiB (the default is 2 MiB). */
const IMPORT_CACHE_KIB = 64 * 1024;

/** Below this, starting a worker costs more than reading the file in this thread. */
export const PARSE_IN_WORKER_BYTES = 4 * 1024 * 1024;

export interface ImportSummary extends ImportResult {
  /** Accounts whose own row or a child row was written; null when too many to list. */
  changedAccountIds: string[] | null;
  /** Quarantine entries resolved because a corrected row arrived. */
  resolvedQuarantine: number;
}

export interface PlannedFile {
  spec: Required<ImportFileSpec>;
  order: number;
  size: number;
  format: FileFormat | null;
  kind: RecordKind | null;
  /** A CSV with one record per row (not wide metrics, not a quarantine fix file): the CSV worker's case. */
  longRows: boolean;
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
function sniff(spec: Required<ImportFileSpec>, order: number, kind: RecordKind | null, mapping: Mapping): PlannedFile {
  const planned: PlannedFile = { spec, order, size: 0, format: null, kind: null, longRows: false, problem: null };
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
    planned.problem = describeFileError(spec.name, error);
  }
  return planned;
}

/** The kind (unless `forced`) and, for CSV, whether rows are one record each (the CSV worker's case). */
function sniffKind(planned: PlannedFile, head: string, mapping: Mapping, forced: RecordKind | null): void {
  const { spec } = planned;
  if (planned.format === 'csv') {
    readCsv(textReaderFromString(head), {
      header(fields) {
        if (!isFixFileHeader(fields)) {
          const layout = planLayout(fields, spec.name, { kind: forced, mapping });
          planned.kind = layout.kind;
          planned.longRows = layout.shape === 'long';
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

function describeFileError(name: string, error: unknown): string {
  if (error instanceof FileProblem) return error.message;
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

function digestOrNull(path: string): string | null {
  try {
    return fileDigest(path);
  } catch {
    return null;
  }
}

function fileStatus(rejected: number, accepted: number): FileImportReport['status'] {
  if (rejected > 0) return 'partial';
  return accepted > 0 ? 'ok' : 'unchanged';
}

export function importFiles(
  db: Db,
  files: readonly (string | ImportFileSpec)[],
  options: ImportOptions = {},
): ImportSummary {
  const now = options.now ?? (() => new Date());
  const mapping = options.mapping ?? EMPTY_MAPPING;
  const kind = options.kind ?? mapping.kind ?? null;
  const coerce = coerceOptionsFrom(mapping);
  const optionsJson = serialiseCoerceOptions(coerce);
  const specs = files.map((file, order) => {
    const spec =
      typeof file === 'string' ? { path: file, name: file } : { path: file.path, name: file.name ?? file.path };
    return sniff(spec, order, kind, mapping);
  });
  const rank = (p: PlannedFile) => (p.kind ? KINDS.indexOf(p.kind) : KINDS.length);
  const planned = [...specs].sort((a, b) => rank(a) - rank(b) || a.order - b.order);
  const totalBytes = planned.reduce((sum, p) => sum + p.size, 0);

  const summary: ImportSummary = { ...emptyCounts(), files: [], changedAccountIds: [], resolvedQuarantine: 0 };
  // Performance (docs/performance.md, "re-import unchanged"): a file imported before, byte for byte,
  // into a book that has not changed since, is answered from its remembered report (unchanged-files.ts).
  const remembered = unchangedFilesRepo(db);
  const optionsKey = JSON.stringify({ kind, mapping, optionsJson });
  const changed = accountIdSet();
  // CSV workers (csv-worker.ts): a file's worker is started while the file before it is imported,
  // so its start-up and first chunk are not waited for.
  const workers = new Map<PlannedFile, CsvWorker | null>();
  const startWorker = (file: PlannedFile, encoding: TextEncoding | undefined) =>
    file.problem === null &&
    file.format === 'csv' &&
    file.longRows &&
    file.kind !== null &&
    (options.parseInWorker ?? file.size >= PARSE_IN_WORKER_BYTES)
      ? startCsvWorker({ path: file.spec.path, name: file.spec.name, encoding, kind, mapping })
      : null;
  const startAhead = (file: PlannedFile | undefined) => {
    // A file that may be answered from its fingerprint is not worth a worker yet.
    if (file && !workers.has(file) && !remembered.has(file.spec.name, optionsKey))
      workers.set(file, startWorker(file, undefined));
  };
  /** The worker for one attempt at a file: the one started ahead for the first, a new one for a retry in another encoding. */
  const workerFor = (file: PlannedFile, encoding: TextEncoding | undefined): CsvWorker | null => {
    const ahead = workers.get(file);
    workers.delete(file);
    if (encoding === undefined && ahead !== undefined) return ahead;
    ahead?.dispose();
    return startWorker(file, encoding);
  };
  let bytesBefore = 0;
  let rowsBefore = 0;

  // A big file's transaction outgrows SQLite's default 2 MiB page cache many times over; each
  // overflow spills dirty pages into the WAL, and pages dirtied again are written again. A larger
  // cache for the import only was ≈ 8% of a 2-million-row import (docs/performance.md, "import").
  const cacheBefore = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  try {
    startAhead(planned[0]);
    planned.forEach((file, index) => {
      startAhead(planned[index + 1]);
      importOne(file, index);
      // Not read after all (answered from its fingerprint, or failed before reading).
      workers.get(file)?.dispose();
      workers.delete(file);
    });
  } finally {
    db.pragma(`cache_size = ${cacheBefore}`);
    for (const worker of workers.values()) worker?.dispose();
  }
  if (summary.changedAccountIds !== null) summary.changedAccountIds = changed.values();
  return summary;

  function importOne(file: PlannedFile, index: number): void {
    const startedAt = now().toISOString();
    const t0 = performance.now();
    const report: FileImportReport = {
      file: file.spec.name,
      kind: file.kind,
      format: file.format,
      delimiter: null,
      status: 'failed',
      rows: 0,
      accepted: 0,
      unchanged: 0,
      rejected: 0,
      ignoredColumns: [],
      message: file.problem,
      ms: 0,
    };
    const progress = (rows: number, bytes: number) =>
      options.onProgress?.({
        file: file.spec.name,
        fileIndex: index,
        fileCount: planned.length,
        rows: rowsBefore + rows,
        bytes: bytesBefore + bytes,
        totalBytes,
      });

    let digest: string | null = null;
    if (file.problem === null) {
      // Hashed before reading only when a fingerprint could match; otherwise on the way (below).
      try {
        if (remembered.has(file.spec.name, optionsKey)) digest = fileDigest(file.spec.path);
      } catch {
        digest = null; // The import below reports why the file cannot be read.
      }
      const known = digest === null ? null : remembered.find(file.spec.name, digest, optionsKey);
      if (known) {
        const r = known.report;
        const status = fileStatus(r.rejected, 0);
        Object.assign(report, {
          kind: r.kind,
          format: r.format,
          delimiter: r.delimiter,
          status,
          rows: r.rows,
          accepted: 0,
          unchanged: r.valid,
          rejected: r.rejected,
          ignoredColumns: r.ignoredColumns,
          message: null,
        });
        summary.unchanged += r.valid;
        summary.rejected += r.rejected;
        for (const error of known.errors) if (summary.errors.length < 1000) summary.errors.push(error);
        recordRun(db, {
          type: 'import',
          origin: file.spec.name,
          status,
          started_at: startedAt,
          finished_at: now().toISOString(),
          accepted: { accounts: 0, contacts: 0, metrics: 0, events: 0 },
          unchanged: r.valid,
          rejected: r.rejected,
          message: 'The same file as the last import, and nothing has changed since: every row is unchanged.',
        });
        rowsBefore += r.rows;
        progress(r.rows, file.size);
      }
    }
    if (file.problem === null && report.status === 'failed') {
      let encoding: TextEncoding | undefined;
      // The writer proves every child row's account exists (accountKnown, writer.ts) before it is
      // queued, and a file import never deletes or re-keys an account, so SQLite's own foreign key
      // probe per row is redundant here; it was a sixth of the metrics upsert (docs/performance.md).
      // The pragma cannot change inside a transaction: an import inside a caller's keeps the checks.
      const relaxKeys = !db.inTransaction && db.pragma('foreign_keys', { simple: true }) === 1;
      if (relaxKeys) db.pragma('foreign_keys = OFF');
      try {
        for (;;) {
          const fileChanged = accountIdSet();
          const streamed = digest === null ? streamedDigest() : null;
          try {
            const run = db
              .transaction(() => {
                // A first load of accounts: their indexes and triggers are rebuilt after the rows (bulk-load.ts).
                const setAside = file.kind === 'accounts' ? setAsideWhileEmpty(db, 'accounts') : null;
                const result = readFileInto(db, file, encoding, {
                  kind,
                  mapping,
                  coerce,
                  optionsJson,
                  createdAt: startedAt,
                  changed: fileChanged,
                  progress,
                  worker: () => workerFor(file, encoding),
                  ...(streamed ? { onBytes: streamed.update } : {}),
                });
                result.writer.flush();
                const counts = result.writer.counts;
                if (setAside) {
                  setAside.restore();
                  // What the accounts triggers (migration 7) would have done for the rows just written.
                  if (counts.accepted.accounts > 0) remembered.forgetAll();
                }
                const accepted = acceptedTotal(counts);
                recordRun(db, {
                  type: 'import',
                  origin: file.spec.name,
                  status: fileStatus(counts.rejected, accepted),
                  started_at: startedAt,
                  finished_at: now().toISOString(),
                  accepted: counts.accepted,
                  unchanged: counts.unchanged,
                  rejected: counts.rejected,
                  message:
                    result.layoutInfo.ignored.length > 0
                      ? `Ignored columns: ${result.layoutInfo.ignored.join(', ')}`
                      : null,
                });
                // A reader that stopped early (an unclosed quote) has not seen every byte.
                const fingerprint = digest ?? result.digest ?? streamed?.value() ?? digestOrNull(file.spec.path);
                if (fingerprint !== null) {
                  const remember = {
                    kind: result.layoutInfo.kind ?? file.kind,
                    format: file.format,
                    delimiter: file.format === 'csv' ? result.layoutInfo.delimiter : null,
                    rows: result.rows,
                    valid: accepted + counts.unchanged,
                    rejected: counts.rejected,
                    ignoredColumns: result.layoutInfo.ignored,
                  };
                  remembered.remember(
                    file.spec.name,
                    fingerprint,
                    optionsKey,
                    { report: remember, errors: counts.errors },
                    startedAt,
                  );
                }
                return result;
              })
              .immediate();
            const counts = run.writer.counts;
            addCounts(summary, counts);
            summary.resolvedQuarantine += run.writer.resolved;
            const ids = fileChanged.values();
            if (ids === null) summary.changedAccountIds = null;
            for (const id of ids ?? []) changed.add(id);
            Object.assign(report, {
              kind: run.layoutInfo.kind ?? report.kind,
              delimiter: file.format === 'csv' ? run.layoutInfo.delimiter : null,
              status: fileStatus(counts.rejected, acceptedTotal(counts)),
              rows: run.rows,
              accepted: acceptedTotal(counts),
              unchanged: counts.unchanged,
              rejected: counts.rejected,
              ignoredColumns: run.layoutInfo.ignored,
              message: null,
            });
            rowsBefore += run.rows;
            break;
          } catch (error) {
            if (error instanceof NotUtf8Error && encoding === undefined) {
              // Not UTF-8: almost always an Excel export in the Windows code page. Start again.
              encoding = 'windows-1252';
              continue;
            }
            if (!(
              error instanceof FileProblem ||
              error instanceof JsonFileError ||
              (error instanceof Error && ('code' in error || error.name === 'SqliteError'))
            ))
              throw error;
            report.message = describeFileError(file.spec.name, error);
            break;
          }
        }
      } finally {
        if (relaxKeys) db.pragma('foreign_keys = ON');
      }
    }
    bytesBefore += file.size;
    report.ms = Math.round(performance.now() - t0);
    if (report.status === 'failed') {
      try {
        recordRun(db, {
          type: 'import',
          origin: file.spec.name,
          status: 'failed',
          started_at: startedAt,
          finished_at: now().toISOString(),
          accepted: { accounts: 0, contacts: 0, metrics: 0, events: 0 },
          unchanged: 0,
          rejected: 0,
          message: report.message,
        });
      } catch {
        // The history line is a convenience; the failure itself is in the result.
      }
      const error: RowError = {
        file: file.spec.name,
        line: null,
        field: null,
        message: report.message ?? 'could not be imported',
      };
      if (summary.errors.length < 1000) summary.errors.push(error);
    }
    summary.files.push(report);
  }
}
