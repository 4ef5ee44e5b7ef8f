/**
 * `foresight hub load FILES…`: the data team's files into the hub, accounts first (the app's import
 * plan orders them), each file read and checked against the contract in Node, then COPY'd into a
 * staging table and merged in one transaction per file. Refused rows, and children of accounts the
 * hub does not know, go to the hub's quarantine with a "file line N, field: reason" sentence.
 * A file is held in memory while it is staged: split files of several GB.
 */
import { planImport } from '../../domain/ingest/import-plan.ts';
import { formatRowError } from '../../domain/ingest/writer.ts';
import { EMPTY_MAPPING } from '../../domain/ingest/mapping.ts';
import type { RecordKind } from '../../shared/dto/core.ts';
import type { HubStore } from '../store/store.ts';
import { listLinks } from '../link/link.ts';
import { readRecords, type Rejected } from './read-records.ts';
import { csvField, mergeRecords, WRITER_LOCK } from './stage.ts';

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

/** Refused rows as CSV for one COPY into the quarantine (a bad file can refuse millions). */
function* quarantineCsv(loadId: number, rejected: readonly Rejected[]): Generator<string> {
  yield QUARANTINE_COLUMNS.join(',') + '\n';
  for (const r of rejected)
    yield (
      [loadId, r.kind, r.file, r.line, r.field, r.reason, JSON.stringify(r.raw ?? null)].map(csvField).join(',') + '\n'
    );
}

export function rejectionSentence(r: Pick<Rejected, 'file' | 'line' | 'field' | 'reason'>): string {
  return `${r.file} ${formatRowError({ origin: r.file, line: r.line, unit: 'line' }, r.field, r.reason)}`;
}

export async function loadFilesIntoHub(
  store: HubStore,
  paths: readonly string[],
  actor = 'hub load',
): Promise<HubLoadResult> {
  const audit = await store.query<{ id: string }>(
    `INSERT INTO hub_audit (actor_email, action, kind, count, detail) VALUES ($1, 'load', 'files', 0, $2) RETURNING id::text AS id`,
    [actor, `${paths.length} file(s)`],
  );
  const loadId = Number(audit[0]!.id);
  const result: HubLoadResult = { load_id: loadId, files: [], written: 0, unchanged: 0, rejected: 0, errors: [] };
  const linked = new Map((await listLinks(store)).map((l) => [l.kind, l.relation]));
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
    let read;
    try {
      read = readRecords(planned);
    } catch (error) {
      entry.problem = (error as Error).message;
      result.errors.push(entry.problem);
      continue;
    }
    entry.kind = read.kind;
    entry.rows = read.rows;
    const kind = read.kind;
    if (kind && linked.has(kind)) {
      entry.problem = `${entry.file}: ${kind} are read in place from ${linked.get(kind)} (hub link); run hub unlink ${kind} before loading ${kind} files.`;
      result.errors.push(entry.problem);
      continue;
    }
    await store.transaction(async (tx) => {
      await tx.query(WRITER_LOCK);
      const rejected = [...read.rejected];
      if (kind && read.records.length > 0) {
        const merged = await mergeRecords(store, tx, kind, read.records);
        entry.written = merged.written;
        entry.unchanged = merged.unchanged;
        for (const orphan of merged.orphans)
          rejected.push({
            kind,
            file: entry.file,
            line: orphan.line,
            field: 'account_id',
            reason: `'${orphan.account_id}' is not an account in the hub (load its accounts file first)`,
            raw: null,
          });
      }
      if (rejected.length > 0)
        await store.copyCsv('quarantine', QUARANTINE_COLUMNS, quarantineCsv(loadId, rejected), tx);
      entry.rejected = rejected.length;
      for (const r of rejected) if (result.errors.length < ERROR_LIMIT) result.errors.push(rejectionSentence(r));
    });
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
