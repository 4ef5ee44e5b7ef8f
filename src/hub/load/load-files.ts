/**
 * `foresight hub load FILES…`: the data team's files into the hub, accounts first (the app's import
 * plan orders them). Each file is read and checked against the contract in Node, its valid rows
 * spooled to a temporary file in the staging table's shape and its refused rows to another
 * (spool.ts), so memory stays flat whatever the file's size; then, in one transaction per file, the
 * rows are COPY'd into a staging table in batches and merged once. Refused rows, and children of
 * accounts the hub does not know, go to the hub's quarantine with a "file line N, field: reason"
 * sentence. A failed file leaves the hub as it was.
 */
import { planImport } from '../../domain/ingest/import-plan.ts';
import { formatRowError } from '../../domain/ingest/writer.ts';
import { EMPTY_MAPPING } from '../../domain/ingest/mapping.ts';
import type { RecordKind } from '../../shared/dto/core.ts';
import type { HubQuery, HubStore } from '../store/store.ts';
import { listLinks } from '../link/link.ts';
import type { PlannedFile } from '../../domain/ingest/import-plan.ts';
import { readRecords, type RecordSink, type Rejected } from './read-records.ts';
import { DEFAULT_BATCH_ROWS, Spool, withSpoolDir } from './spool.ts';
import { createStage, csvField, mergeStaged, orphanSql, stageRow, WRITER_LOCK, type MergeResult } from './stage.ts';

export interface LoadedFile {
  file: string;
  kind: RecordKind | null;
  rows: number;
  written: number;
  unchanged: number;
  rejected: number;
  problem: string | null;
}

export interface HubLoadResult {
  load_id: number;
  files: LoadedFile[];
  written: number;
  unchanged: number;
  rejected: number;
  /** The first refused rows as sentences (all are in the quarantine table). */
  errors: string[];
}

const ERROR_LIMIT = 200;
const QUARANTINE_COLUMNS = ['load_id', 'kind', 'file', 'line', 'field', 'reason', 'raw'] as const;

/** One refused row as CSV for the quarantine's COPY (a bad file can refuse millions: they are spooled). */
function quarantineRow(loadId: number, r: Rejected): string {
  return (
    [loadId, r.kind, r.file, r.line, r.field, r.reason, JSON.stringify(r.raw ?? null)].map(csvField).join(',') + '\n'
  );
}

/** Why a child row whose account the hub does not know is refused; `%s` is its account_id. */
const ORPHAN_REASON = "'%s' is not an account in the hub (load its accounts file first)";

export function rejectionSentence(r: Pick<Rejected, 'file' | 'line' | 'field' | 'reason'>): string {
  return `${r.file} ${formatRowError({ origin: r.file, line: r.line, unit: 'line' }, r.field, r.reason)}`;
}

export interface LoadOptions {
  /** Who the audit log names. */
  actor?: string;
  /** Rows per COPY into the staging table (tests use a small one). */
  batchRows?: number;
}

interface LoadContext {
  store: HubStore;
  loadId: number;
  linked: Map<RecordKind, string>;
  batchRows: number;
  result: HubLoadResult;
}

export async function loadFilesIntoHub(
  store: HubStore,
  paths: readonly string[],
  options: LoadOptions = {},
): Promise<HubLoadResult> {
  const audit = await store.query<{ id: string }>(
    `INSERT INTO hub_audit (actor_email, action, kind, count, detail) VALUES ($1, 'load', 'files', 0, $2) RETURNING id::text AS id`,
    [options.actor ?? 'hub load', `${paths.length} file(s)`],
  );
  const loadId = Number(audit[0]!.id);
  const result: HubLoadResult = { load_id: loadId, files: [], written: 0, unchanged: 0, rejected: 0, errors: [] };
  const linked = new Map((await listLinks(store)).map((l) => [l.kind, l.relation]));
  const context: LoadContext = { store, loadId, linked, batchRows: options.batchRows ?? DEFAULT_BATCH_ROWS, result };
  for (const planned of planImport(paths, null, EMPTY_MAPPING)) {
    const entry: LoadedFile = {
      file: planned.spec.name,
      kind: planned.kind,
      rows: 0,
      written: 0,
      unchanged: 0,
      rejected: 0,
      problem: planned.problem,
    };
    result.files.push(entry);
    if (planned.problem) {
      result.errors.push(planned.problem);
      continue;
    }
    await withSpoolDir((dir) => loadFile(context, planned, entry, dir));
    result.written += entry.written;
    result.unchanged += entry.unchanged;
    result.rejected += entry.rejected;
  }
  await store.query('UPDATE hub_audit SET count = $1, detail = $2 WHERE id = $3', [
    result.written,
    `${paths.length} file(s): ${result.written} written, ${result.unchanged} unchanged, ${result.rejected} quarantined`,
    loadId,
  ]);
  return result;
}

/** One file: read into spools, then staged, merged and quarantined in one transaction. */
async function loadFile(context: LoadContext, planned: PlannedFile, entry: LoadedFile, dir: string): Promise<void> {
  const { store, loadId, result } = context;
  const staged = new Spool(dir, 'staged.csv', context.batchRows);
  const quarantine = new Spool(dir, 'quarantine.csv', context.batchRows);
  // The first refused rows as sentences, kept until the file is known to load.
  const sentences: string[] = [];
  const room = ERROR_LIMIT - result.errors.length;
  const refuse = (r: Rejected) => {
    quarantine.write(quarantineRow(loadId, r));
    if (sentences.length < room) sentences.push(rejectionSentence(r));
  };
  const sink: RecordSink = {
    record: (kind, line, record) => staged.write(stageRow(kind, line, record)),
    reject: refuse,
  };
  try {
    let read;
    try {
      read = readRecords(planned, sink);
    } catch (error) {
      entry.problem = (error as Error).message;
      result.errors.push(entry.problem);
      return;
    }
    entry.kind = read.kind;
    entry.rows = read.rows;
    const kind = read.kind;
    if (kind && context.linked.has(kind)) {
      entry.problem = `${entry.file}: ${kind} are read in place from ${context.linked.get(kind)} (hub link); run hub unlink ${kind} before loading ${kind} files.`;
      result.errors.push(entry.problem);
      return;
    }
    await store.transaction(async (tx) => {
      await tx.query(WRITER_LOCK);
      const merged = kind && staged.rows > 0 ? await stageAndMerge(store, tx, kind, staged) : null;
      entry.written = merged?.written ?? 0;
      entry.unchanged = merged?.unchanged ?? 0;
      if (quarantine.rows > 0) await quarantine.copyInto(store, tx, 'quarantine', QUARANTINE_COLUMNS);
      if (kind && merged && merged.orphanCount > 0) {
        await quarantineOrphans(tx, kind, loadId, entry.file);
        for (const orphan of merged.orphans.slice(0, Math.max(0, room - sentences.length)))
          sentences.push(rejectionSentence({ file: entry.file, ...orphanRejection(orphan) }));
      }
      entry.rejected = quarantine.rows + (merged?.orphanCount ?? 0);
    });
    result.errors.push(...sentences);
  } finally {
    staged.close();
    quarantine.close();
  }
}

async function stageAndMerge(store: HubStore, tx: HubQuery, kind: RecordKind, staged: Spool): Promise<MergeResult> {
  const stage = await createStage(tx, kind);
  return mergeStaged(tx, kind, await staged.copyInto(store, tx, stage.table, stage.columns));
}

const orphanRejection = (orphan: { line: number | null; account_id: string }) => ({
  line: orphan.line,
  field: 'account_id',
  reason: ORPHAN_REASON.replace('%s', orphan.account_id),
});

/** Every orphan of the staging table into the quarantine, in SQL: a metrics file can hold millions. */
async function quarantineOrphans(tx: HubQuery, kind: RecordKind, loadId: number, file: string): Promise<void> {
  const [before, after] = ORPHAN_REASON.split('%s');
  await tx.query(
    `INSERT INTO quarantine (load_id, kind, file, line, field, reason, raw)
     SELECT $1, $2, $3, line, 'account_id', $4 || account_id || $5, 'null'::jsonb ${orphanSql(kind)} ORDER BY line`,
    [loadId, kind, file, before, after],
  );
}
