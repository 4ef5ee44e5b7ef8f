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
import type { RecordKind } from '../../shared/dto/core.ts';
import type { FileImportReport, ImportResult, RowError } from '../../shared/dto/sync.ts';
import type { Db } from '../db/open.ts';
import { coerceOptionsFrom, serialiseCoerceOptions, type CoerceOptions } from './coerce.ts';
import { startFirstLoad } from './first-load.ts';
import { csvWorkers, type CsvWorkers } from './import-workers.ts';
import { describeFileError, planImport, type ImportFileSpec, type PlannedFile } from './import-plan.ts';
import { JsonFileError } from './json-reader.ts';
import { FileProblem } from './layout.ts';
import type { Surface } from './remedies.ts';
import { EMPTY_MAPPING, type Mapping } from './mapping.ts';
import { readFileInto } from './read-file.ts';
import { recordRun } from './repo.ts';
import { mixedUtf8Problem } from './mixed-utf8.ts';
import { NotUtf8Error, type TextEncoding } from './text-source.ts';
import { fileDigest, streamedDigest, unchangedFilesRepo } from './unchanged-files.ts';
import { accountIdSet, acceptedTotal, addCounts, emptyCounts } from './counts.ts';
import { markDataChanged } from '../risk/fingerprint.ts';
import { someNames } from '../../shared/some-names.ts';

export { detectFormat, type FileFormat, type ImportFileSpec, type PlannedFile } from './import-plan.ts';

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
  /** Where the user reads the result, for the wording of a file's remedy (remedies.ts). Default: the CLI. */
  surface?: Surface;
}

/** SQLite's page cache during an import, in KiB (the default is 2 MiB). */
const IMPORT_CACHE_KIB = 64 * 1024;

export { PARSE_IN_WORKER_BYTES } from './import-workers.ts';

export interface ImportSummary extends ImportResult {
  /** Accounts whose own row or a child row was written; null when too many to list. */
  changedAccountIds: string[] | null;
  /**
   * The first day the written rows date (metrics' date, events' day); null when a written row bears
   * on every day (an account or contact) or the day is unknown. History before it is unchanged.
   */
  changedSince?: string | null;
  /** Quarantine entries resolved because a corrected row arrived. */
  resolvedQuarantine: number;
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

const NOTHING_ACCEPTED = { accounts: 0, contacts: 0, metrics: 0, events: 0 };

/** Everything the steps of one importFiles call share. */
interface ImportRun {
  db: Db;
  options: ImportOptions;
  now: () => Date;
  kind: RecordKind | null;
  mapping: Mapping;
  coerce: CoerceOptions;
  optionsJson: string | null;
  /** What a remembered file's fingerprint must have been imported with. */
  optionsKey: string;
  remembered: ReturnType<typeof unchangedFilesRepo>;
  planned: PlannedFile[];
  totalBytes: number;
  summary: ImportSummary;
  changed: ReturnType<typeof accountIdSet>;
  workers: CsvWorkers;
  /** Rows and bytes of the files before the current one, for progress over all files. */
  rowsBefore: number;
  bytesBefore: number;
}

export function importFiles(
  db: Db,
  files: readonly (string | ImportFileSpec)[],
  options: ImportOptions = {},
): ImportSummary {
  const run = startRun(db, files, options);
  // A big file's transaction outgrows SQLite's default 2 MiB page cache many times over; each
  // overflow spills dirty pages into the WAL, and pages dirtied again are written again. A larger
  // cache for the import only was ≈ 8% of a 2-million-row import (docs/performance.md, "import").
  const cacheBefore = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${IMPORT_CACHE_KIB}`);
  try {
    run.workers.startAhead(run.planned[0]);
    run.planned.forEach((file, index) => {
      run.workers.startAhead(run.planned[index + 1]);
      importOne(run, file, index);
      // Not read after all (answered from its fingerprint, or failed before reading).
      run.workers.release(file);
    });
  } finally {
    db.pragma(`cache_size = ${cacheBefore}`);
    run.workers.disposeAll();
  }
  if (run.summary.changedAccountIds !== null) run.summary.changedAccountIds = run.changed.values();
  run.summary.changedSince = run.changed.since() ?? null;
  return run.summary;
}

function startRun(db: Db, files: readonly (string | ImportFileSpec)[], options: ImportOptions): ImportRun {
  const mapping = options.mapping ?? EMPTY_MAPPING;
  const kind = options.kind ?? mapping.kind ?? null;
  const coerce = coerceOptionsFrom(mapping);
  const optionsJson = serialiseCoerceOptions(coerce);
  const planned = planImport(files, kind, mapping, options.surface);
  // Performance (docs/performance.md, "re-import unchanged"): a file imported before, byte for byte,
  // into a book that has not changed since, is answered from its remembered report (unchanged-files.ts).
  const remembered = unchangedFilesRepo(db);
  const optionsKey = JSON.stringify({ kind, mapping, optionsJson });
  return {
    db,
    options,
    now: options.now ?? (() => new Date()),
    kind,
    mapping,
    coerce,
    optionsJson,
    optionsKey,
    remembered,
    planned,
    totalBytes: planned.reduce((sum, p) => sum + p.size, 0),
    summary: { ...emptyCounts(), files: [], changedAccountIds: [], resolvedQuarantine: 0 },
    changed: accountIdSet(),
    workers: csvWorkers(options.parseInWorker, kind, mapping, (file) => remembered.has(file.spec.name, optionsKey)),
    rowsBefore: 0,
    bytesBefore: 0,
  };
}

/** One file: answered from its fingerprint, else read and written; its report and history line either way. */
function importOne(run: ImportRun, file: PlannedFile, index: number): void {
  const startedAt = run.now().toISOString();
  const t0 = performance.now();
  const report = emptyReport(file);
  const progress = (rows: number, bytes: number) =>
    run.options.onProgress?.({
      file: file.spec.name,
      fileIndex: index,
      fileCount: run.planned.length,
      rows: run.rowsBefore + rows,
      bytes: run.bytesBefore + bytes,
      totalBytes: run.totalBytes,
    });
  if (file.problem === null) {
    const digest = digestIfRemembered(run, file);
    const answered = digest !== null && answerFromFingerprint(run, file, digest, report, startedAt);
    // Its rows are already counted in rowsBefore.
    if (answered) progress(0, file.size);
    else writeFile(run, file, digest, report, startedAt, progress);
  }
  run.bytesBefore += file.size;
  report.ms = Math.round(performance.now() - t0);
  if (report.status === 'failed') recordFailure(run, file, report, startedAt);
  run.summary.files.push(report);
}

function emptyReport(file: PlannedFile): FileImportReport {
  return {
    file: file.spec.name,
    kind: file.kind,
    format: file.format,
    delimiter: null,
    status: 'failed',
    rows: 0,
    accepted: 0,
    unchanged: 0,
    older: 0,
    rejected: 0,
    ignoredColumns: [],
    message: file.problem,
    ms: 0,
  };
}

/** Hashed before reading only when a fingerprint could match; otherwise on the way (writeFile). */
function digestIfRemembered(run: ImportRun, file: PlannedFile): string | null {
  try {
    return run.remembered.has(file.spec.name, run.optionsKey) ? fileDigest(file.spec.path) : null;
  } catch {
    return null; // The import reports why the file cannot be read.
  }
}

/** The same bytes as a remembered import into an unchanged book: every valid row is unchanged. */
function answerFromFingerprint(
  run: ImportRun,
  file: PlannedFile,
  digest: string,
  report: FileImportReport,
  startedAt: string,
): boolean {
  const known = run.remembered.find(file.spec.name, digest, run.optionsKey);
  if (!known) return false;
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
    older: 0,
    rejected: r.rejected,
    ignoredColumns: r.ignoredColumns,
    message: null,
  });
  run.summary.unchanged += r.valid;
  run.summary.rejected += r.rejected;
  for (const error of known.errors) if (run.summary.errors.length < 1000) run.summary.errors.push(error);
  recordRun(run.db, {
    type: 'import',
    origin: file.spec.name,
    status,
    started_at: startedAt,
    finished_at: run.now().toISOString(),
    accepted: NOTHING_ACCEPTED,
    unchanged: r.valid,
    rejected: r.rejected,
    message: 'The same file as the last import, and nothing has changed since: every row is unchanged.',
  });
  run.rowsBefore += r.rows;
  return true;
}

type Progress = (rows: number, bytes: number) => void;

/** Reads and writes the file in one transaction, again as Windows-1252 when it is not UTF-8. */
function writeFile(
  run: ImportRun,
  file: PlannedFile,
  digest: string | null,
  report: FileImportReport,
  startedAt: string,
  progress: Progress,
): void {
  const { db } = run;
  // The writer proves every child row's account exists (accountKnown, writer.ts) before it is
  // queued, and a file import never deletes or re-keys an account, so SQLite's own foreign key
  // probe per row is redundant here; it was a sixth of the metrics upsert (docs/performance.md).
  // The pragma cannot change inside a transaction: an import inside a caller's keeps the checks.
  const relaxKeys = !db.inTransaction && db.pragma('foreign_keys', { simple: true }) === 1;
  if (relaxKeys) db.pragma('foreign_keys = OFF');
  try {
    let encoding: TextEncoding | undefined;
    for (;;) {
      try {
        const fileChanged = accountIdSet();
        const written = db
          .transaction(() => writeInTransaction(run, file, encoding, digest, fileChanged, startedAt, progress))
          .immediate();
        applyWritten(run, written, fileChanged, file, report);
        return;
      } catch (error) {
        if (error instanceof NotUtf8Error && encoding === undefined) {
          // Not UTF-8: almost always an Excel export in the Windows code page. Start again, unless
          // the file is UTF-8 with a stray byte, which that would garble (mixed-utf8.ts).
          const mixed = mixedUtf8Problem(file.spec.path, file.spec.name);
          if (mixed) {
            report.message = mixed;
            return;
          }
          encoding = 'windows-1252';
          continue;
        }
        if (!isFileFailure(error)) throw error;
        report.message = describeFileError(file.spec.name, error, run.options.surface);
        return;
      }
    }
  } finally {
    if (relaxKeys) db.pragma('foreign_keys = ON');
  }
}

/** A failure of this file (unreadable, malformed, refused by SQLite), not a bug: reported, and the other files go on. */
function isFileFailure(error: unknown): boolean {
  return (
    error instanceof FileProblem ||
    error instanceof JsonFileError ||
    (error instanceof Error && ('code' in error || error.name === 'SqliteError'))
  );
}

type Written = ReturnType<typeof readFileInto>;

/** The body of a file's transaction: the rows, the history line and the fingerprint. */
function writeInTransaction(
  run: ImportRun,
  file: PlannedFile,
  encoding: TextEncoding | undefined,
  digest: string | null,
  fileChanged: ReturnType<typeof accountIdSet>,
  startedAt: string,
  progress: Progress,
): Written {
  const { db } = run;
  const streamed = digest === null ? streamedDigest() : null;
  // A table that starts empty is loaded differently (first-load.ts).
  const firstLoad = startFirstLoad(db, file.kind, () => run.remembered.forgetAll());
  const result = readFileInto(db, file, encoding, {
    kind: run.kind,
    mapping: run.mapping,
    coerce: run.coerce,
    optionsJson: run.optionsJson,
    createdAt: startedAt,
    changed: fileChanged,
    progress,
    worker: () => run.workers.workerFor(file, encoding),
    plainInsert: firstLoad.plainInsert,
    ...(streamed ? { onBytes: streamed.update } : {}),
  });
  result.writer.flush();
  firstLoad.finish(result.writer);
  const counts = result.writer.counts;
  const accepted = acceptedTotal(counts);
  markDataChanged(db, accepted);
  recordRun(db, {
    type: 'import',
    origin: file.spec.name,
    status: fileStatus(counts.rejected, accepted),
    started_at: startedAt,
    finished_at: run.now().toISOString(),
    accepted: counts.accepted,
    unchanged: counts.unchanged,
    rejected: counts.rejected,
    message: result.layoutInfo.ignored.length > 0 ? `Ignored columns: ${someNames(result.layoutInfo.ignored)}` : null,
  });
  // A reader that stopped early (an unclosed quote) has not seen every byte.
  const fingerprint = digest ?? result.digest ?? streamed?.value() ?? digestOrNull(file.spec.path);
  if (fingerprint !== null) rememberFile(run, file, fingerprint, result, startedAt);
  return result;
}

function rememberFile(run: ImportRun, file: PlannedFile, fingerprint: string, result: Written, startedAt: string) {
  const counts = result.writer.counts;
  const report = {
    kind: result.layoutInfo.kind ?? file.kind,
    format: file.format,
    delimiter: file.format === 'csv' ? result.layoutInfo.delimiter : null,
    rows: result.rows,
    valid: acceptedTotal(counts) + counts.unchanged,
    rejected: counts.rejected,
    ignoredColumns: result.layoutInfo.ignored,
  };
  run.remembered.remember(file.spec.name, fingerprint, run.optionsKey, { report, errors: counts.errors }, startedAt);
}

/** A committed file into the summary and its report. */
function applyWritten(
  run: ImportRun,
  written: Written,
  fileChanged: ReturnType<typeof accountIdSet>,
  file: PlannedFile,
  report: FileImportReport,
): void {
  const { summary } = run;
  const counts = written.writer.counts;
  addCounts(summary, counts);
  summary.resolvedQuarantine += written.writer.resolved;
  const ids = fileChanged.values();
  if (ids === null) summary.changedAccountIds = null;
  for (const id of ids ?? []) run.changed.add(id);
  const since = fileChanged.since();
  if (since !== undefined) run.changed.touch(since);
  Object.assign(report, {
    kind: written.layoutInfo.kind ?? report.kind,
    delimiter: file.format === 'csv' ? written.layoutInfo.delimiter : null,
    status: fileStatus(counts.rejected, acceptedTotal(counts)),
    rows: written.rows,
    accepted: acceptedTotal(counts),
    unchanged: counts.unchanged,
    older: counts.older,
    rejected: counts.rejected,
    ignoredColumns: written.layoutInfo.ignored,
    message: null,
  });
  run.rowsBefore += written.rows;
}

/** A failed file still gets its history line and one error in the result. */
function recordFailure(run: ImportRun, file: PlannedFile, report: FileImportReport, startedAt: string): void {
  try {
    recordRun(run.db, {
      type: 'import',
      origin: file.spec.name,
      status: 'failed',
      started_at: startedAt,
      finished_at: run.now().toISOString(),
      accepted: NOTHING_ACCEPTED,
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
  if (run.summary.errors.length < 1000) run.summary.errors.push(error);
}
