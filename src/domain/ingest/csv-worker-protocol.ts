/**
 * What the CSV worker (csv-worker.ts) and the importer's thread (csv-in-worker.ts) say to each
 * other. Messages arrive in file order; the importer acts on each exactly as on the same event
 * from readCsv in its own thread, so both ways of reading a file write the same rows.
 */
import type { RecordKind } from '../../shared/dto/core.ts';
import type { TextEncoding } from './text-source.ts';
import type { Mapping } from './mapping.ts';

export interface CsvWorkerRequest {
  path: string;
  /** The file's name in messages (layout problems). */
  name: string;
  encoding: TextEncoding | undefined;
  kind: RecordKind | null;
  mapping: Mapping;
  /** Every account in the database when the file's transaction began: "a known account" for child rows. */
  knownAccounts: string[];
  /**
   * Natural keys of the file's kind waiting in the quarantine: a row with one of them goes to the
   * general path, which resolves the entry.
   */
  quarantinedKeys: string[];
  /** Hash the bytes on the way (the file's import fingerprint). */
  digest: boolean;
  /** [produced, consumed] message counters, for waking the importer and for back-pressure. */
  counters: SharedArrayBuffer;
}

export type CsvWorkerMessage =
  | { t: 'header'; fields: string[]; line: number; delimiter: string }
  /** Rows the worker could not prove valid: the importer's general path decides them. */
  | { t: 'rows'; rows: string[][]; lines: number[] }
  /**
   * Rows proven valid (by metric-rows.ts or by coercing and validating them as the general path
   * does), as the JSON array of database rows the writer hands to SQLite, with their accounts.
   */
  | { t: 'records'; kind: RecordKind; json: string; count: number; accounts: string[] }
  | { t: 'malformed'; line: number; reason: string; rawText: string; stop: boolean }
  | { t: 'progress'; bytesRead: number }
  | { t: 'end'; delimiter: string; sawHeader: boolean; bytesRead: number; digest: string | null }
  | { t: 'error'; notUtf8: boolean; message: string; code: string | null };

export const PRODUCED = 0;
export const CONSUMED = 1;
/** Messages the worker may run ahead of the importer before it waits (memory stays flat). */
export const MAX_AHEAD = 64;
/** Proven rows per message. */
export const ROWS_PER_MESSAGE = 512;
