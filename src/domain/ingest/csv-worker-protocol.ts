/**
 * What the CSV worker (csv-worker.ts) and the importer's thread (csv-in-worker.ts) say to each
 * other. Messages arrive in file order; the importer acts on each exactly as on the same event
 * from readCsv in its own thread, so both ways of reading a file write the same rows.
 */
import type { MessagePort } from 'node:worker_threads';
import type { RecordKind } from '../../shared/dto/core.ts';
import type { TextEncoding } from './text-source.ts';
import type { Mapping } from './mapping.ts';
import type { MetricSeriesBatch } from './metric-series.ts';

/**
 * How a worker starts: it reads the file's first chunk and its header straight away, which can
 * overlap the previous file's import, then waits for CsvWorkerBegin before it proves any row.
 */
export interface CsvWorkerStart {
  path: string;
  /** The file's name in messages (layout problems). */
  name: string;
  encoding: TextEncoding | undefined;
  kind: RecordKind | null;
  mapping: Mapping;
}

/** Sent when the file's transaction has begun: the book as the rows must be proven against. */
export interface CsvWorkerBegin {
  /** Every account in the database now: "a known account" for child rows. */
  knownAccounts: string[];
  /**
   * Natural keys of the file's kind waiting in the quarantine: a row with one of them goes to the
   * general path, which resolves the entry.
   */
  quarantinedKeys: string[];
  /** The latest `updated_at` a row may carry (future-instant.ts); a later one goes to the general path. */
  latestUpdatedAt: number;
}

/** A begin message with `cancel`: the file is not read after all (unchanged, or failed before). */
export type CsvWorkerCommand = ({ cancel?: false } & CsvWorkerBegin) | { cancel: true };

export interface CsvWorkerData extends CsvWorkerStart {
  /** The importer's end of the messages (CsvWorkerMessage out, CsvWorkerCommand in). */
  port: MessagePort;
  /** Int32 counters: PRODUCED, CONSUMED (for waking and back-pressure) and COMMANDS. */
  counters: SharedArrayBuffer;
}

/** The keys of proven rows and the file lines they came from, in the same order. */
export interface KeyLines {
  keys: string[];
  lines: number[];
}

export type CsvWorkerMessage =
  | { t: 'header'; fields: string[]; line: number; delimiter: string }
  /** Rows the worker could not prove valid: the importer's general path decides them. */
  | { t: 'rows'; rows: string[][]; lines: number[] }
  /**
   * Rows proven valid (by metric-rows.ts or by coercing and validating them as the general path
   * does; a metrics file's rows sorted by key within each account), as the JSON array of database rows the writer hands to SQLite, with their accounts.
   */
  | {
      t: 'records';
      kind: RecordKind;
      json: string;
      /** Database rows in `json`; `fileRows`: the file's rows they came from (a wide row is several). */
      count: number;
      fileRows: number;
      accounts: string[];
      firstDay: string | null;
      /** For kinds checked for a key repeated in the file (repeated-keys.ts): each row's key and line. */
      keyLines: KeyLines | null;
    }
  /** A metrics file's proven rows as series (metric-series.ts), otherwise as `records`. */
  | {
      t: 'series';
      batch: MetricSeriesBatch;
      fileRows: number;
      accounts: string[];
      firstDay: string | null;
    }
  | { t: 'malformed'; line: number; reason: string; rawText: string; stop: boolean }
  | { t: 'progress'; bytesRead: number }
  | { t: 'end'; delimiter: string; sawHeader: boolean; bytesRead: number; digest: string | null }
  | { t: 'error'; notUtf8: boolean; message: string; code: string | null };

export const PRODUCED = 0;
export const CONSUMED = 1;
export const COMMANDS = 2;
export const COUNTER_BYTES = 12;
/** Messages the worker may run ahead of the importer before it waits (memory stays flat). */
export const MAX_AHEAD = 64;
/** Proven rows per message. */
export const ROWS_PER_MESSAGE = 512;
