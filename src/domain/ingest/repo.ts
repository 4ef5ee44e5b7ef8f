/**
 * The importer's SQL, prepared once per connection. Upserts bind positional parameters (cheaper
 * than named ones on a hot path) and only write a row that differs, so `changes` tells a written
 * row from an unchanged one.
 */
import type { Statement } from 'better-sqlite3';
import type { Page, RecordKind } from '../../shared/dto/core.ts';
import type { RunRow, RunStatus, RunType } from '../../shared/dto/sync.ts';
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import { ACCOUNT_COLUMNS } from '../db/repos/accounts.ts';
import { CONTACT_COLUMNS } from '../db/repos/contacts.ts';
import { EVENT_COLUMNS } from '../db/repos/events.ts';
import { METRIC_COLUMNS } from '../db/repos/metrics.ts';
import { DAY_CHARS, type MetricSeriesBatch } from './metric-series.ts';
import type { ValidRecord } from './validate.ts';

export const DB_COLUMNS: Record<RecordKind, readonly string[]> = {
  accounts: ACCOUNT_COLUMNS,
  contacts: CONTACT_COLUMNS,
  metrics: METRIC_COLUMNS,
  events: EVENT_COLUMNS,
};

const DAY_COLUMN: Record<RecordKind, number> = {
  accounts: -1,
  contacts: -1,
  metrics: DB_COLUMNS.metrics.indexOf('date'),
  events: DB_COLUMNS.events.indexOf('occurred_at'),
};

/**
 * The first day (YYYY-MM-DD) that database rows of this kind date, or null when they date none
 * (accounts and contacts hold no history: a change to one bears on every day). What rescoring needs
 * to know of an import: history before that day is unchanged (issue 16).
 */
export function firstDayOf(kind: RecordKind, rows: readonly (readonly unknown[])[]): string | null {
  const at = DAY_COLUMN[kind];
  if (at < 0) return null;
  let first: string | null = null;
  for (const row of rows) {
    const day = String(row[at]).slice(0, 10);
    if (first === null || day < first) first = day;
  }
  return first;
}

/** A valid record as its row of values in DB_COLUMNS order. */
export function toDbRow(kind: RecordKind, record: ValidRecord): unknown[] {
  return DB_COLUMNS[kind].map((column) => {
    if (column === 'is_demo') return 0;
    const value = record[column];
    if (typeof value === 'boolean') return value ? 1 : 0;
    return value ?? null;
  });
}

const KEYS: Record<RecordKind, readonly string[]> = {
  accounts: ['account_id'],
  contacts: ['contact_id'],
  metrics: ['account_id', 'metric', 'contact_id', 'date'],
  events: ['event_id'],
};

/**
 * When a conflicting row is overwritten: only when a value differs (so a re-import counts its rows
 * unchanged), and, for a table with updated_at, never by a record older than the stored one: an
 * older version of an account that a feed or file serves later must not revert the newer one
 * (docs/sync.md, "Older records"). A record without updated_at carries no date and is written.
 */
function updateWhen(table: string, values: readonly string[]): string {
  const differs = values.map((c) => `${table}.${c} IS NOT excluded.${c}`).join(' OR ');
  if (!values.includes('updated_at')) return differs;
  return `(${differs}) AND (${table}.updated_at IS NULL OR excluded.updated_at IS NULL OR excluded.updated_at >= ${table}.updated_at)`;
}

function upsertSql(table: string, columns: readonly string[], key: readonly string[]): string {
  const values = columns.filter((c) => !key.includes(c));
  return (
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})` +
    ` ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${values.map((c) => `${c} = excluded.${c}`).join(', ')}` +
    ` WHERE ${updateWhen(table, values)}`
  );
}

export interface QuarantineInsert {
  kind: RecordKind;
  origin: string;
  line: number | null;
  field: string | null;
  reason: string;
  record_json: string | null;
  raw_text: string | null;
  options_json: string | null;
  natural_key: string | null;
  raw_hash: string;
  created_at: string;
}

export interface RunInsert {
  type: RunType;
  origin: string;
  status: RunStatus;
  started_at: string;
  finished_at: string;
  accepted: Record<RecordKind, number>;
  unchanged: number;
  rejected: number;
  message: string | null;
}

/**
 * The same upsert for `rows` rows at once; with `returning`, it returns the account of each row
 * really written. Without, only `changes` says how many were (cheaper: no ephemeral table of
 * returned rows, no strings for JavaScript).
 */
function batchUpsertSql(
  table: string,
  columns: readonly string[],
  key: readonly string[],
  rows: number,
  returning: boolean,
): string {
  const one = `(${columns.map(() => '?').join(', ')})`;
  const values = columns.filter((c) => !key.includes(c));
  return (
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => one).join(', ')}` +
    ` ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${values.map((c) => `${c} = excluded.${c}`).join(', ')}` +
    ` WHERE ${updateWhen(table, values)}${returning ? ' RETURNING account_id' : ''}`
  );
}

/**
 * The same upsert for a batch handed over as one JSON array of row arrays (column order), read by
 * SQLite's `jsonb_each`. Why: better-sqlite3 costs about 100 ns per bound string, which was half of
 * the metrics upsert; one bound JSON text per batch costs a fraction of that (docs/performance.md,
 * "import"). `WHERE true` is SQLite's required disambiguation for an upsert from a SELECT.
 */
function jsonUpsertSql(table: string, columns: readonly string[], key: readonly string[], returning: boolean): string {
  const values = columns.filter((c) => !key.includes(c));
  return (
    `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.map((_, i) => `value ->> ${i}`).join(', ')} FROM jsonb_each(?) WHERE true` +
    ` ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${values.map((c) => `${c} = excluded.${c}`).join(', ')}` +
    ` WHERE ${updateWhen(table, values)}${returning ? ' RETURNING account_id' : ''}`
  );
}

function jsonInsertSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.map((_, i) => `value ->> ${i}`).join(', ')} FROM jsonb_each(?)`;
}

function batchInsertSql(table: string, columns: readonly string[], rows: number): string {
  const one = `(${columns.map(() => '?').join(', ')})`;
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from({ length: rows }, () => one).join(', ')}`;
}

/** Rows per statement of a metrics series (metric-series.ts); a longer run takes several. */
const SERIES_ROWS = 128;

/**
 * The metrics upsert for one run of `rows` rows of a series: its key bound once, its dates as one
 * BLOB (@days: DAY_CHARS bytes each, cut by `substr`, which counts a BLOB in bytes) and a value per
 * row. `WHERE true`: as for jsonUpsertSql.
 */
function seriesUpsertSql(rows: number, returning: boolean): string {
  const values = Array.from({ length: rows }, (_, i) => `(substr(@days, ${i * DAY_CHARS + 1}, ${DAY_CHARS}), ?)`).join(
    ', ',
  );
  return (
    `INSERT INTO metrics (account_id, metric, contact_id, date, value) SELECT ?, ?, ?, CAST(column1 AS TEXT), column2 FROM (VALUES ${values}) WHERE true` +
    ` ON CONFLICT (account_id, metric, contact_id, date) DO UPDATE SET value = excluded.value WHERE metrics.value IS NOT excluded.value` +
    (returning ? ' RETURNING account_id' : '')
  );
}

function prepare(db: Db) {
  // Batch statements are made on first use: one per kind, row count (bound values only) and RETURNING.
  const cached = new Map<string, Statement<unknown[]>>();
  const statement = (id: string, sql: () => string, returning: boolean): Statement<unknown[]> => {
    let made = cached.get(id);
    if (!made) {
      made = db.prepare(sql());
      if (returning) made.pluck();
      cached.set(id, made);
    }
    return made;
  };
  const batchUpsert = (kind: RecordKind, rows: number) =>
    statement(`values:${kind}:${rows}:r`, () => batchUpsertSql(kind, DB_COLUMNS[kind], KEYS[kind], rows, true), true);
  const batchWrite = (kind: RecordKind, rows: number) =>
    statement(`values:${kind}:${rows}`, () => batchUpsertSql(kind, DB_COLUMNS[kind], KEYS[kind], rows, false), false);
  const jsonUpsert = (kind: RecordKind) =>
    statement(`json:${kind}:r`, () => jsonUpsertSql(kind, DB_COLUMNS[kind], KEYS[kind], true), true);
  const jsonWrite = (kind: RecordKind) =>
    statement(`json:${kind}`, () => jsonUpsertSql(kind, DB_COLUMNS[kind], KEYS[kind], false), false);
  // Made on first use too: an upsert cannot be prepared while its key's index is set aside (event-key.ts).
  const upsert = (kind: RecordKind) =>
    statement(`row:${kind}`, () => upsertSql(kind, DB_COLUMNS[kind], KEYS[kind]), false);
  // A plain INSERT for a first load whose key index is set aside (event-key.ts): every row is new.
  const jsonInsert = (kind: RecordKind) =>
    statement(`insert:${kind}`, () => jsonInsertSql(kind, DB_COLUMNS[kind]), false);
  const batchInsert = (kind: RecordKind, rows: number) =>
    statement(`insert:${kind}:${rows}`, () => batchInsertSql(kind, DB_COLUMNS[kind], rows), false);
  const seriesUpsert = (rows: number, returning: boolean) =>
    statement(`series:${rows}${returning ? ':r' : ''}`, () => seriesUpsertSql(rows, returning), returning);
  return {
    upsert,
    seriesUpsert,
    seriesParams: new Map<number, unknown[]>(),
    /** A batch's dates as bytes, bound a run at a time (copied by SQLite), reused batch after batch. */
    seriesDays: { bytes: Buffer.alloc(0) },
    jsonInsert,
    batchInsert,
    batchUpsert,
    batchWrite,
    jsonUpsert,
    jsonWrite,
    // A batch is tried without RETURNING inside this savepoint, and redone with it only when some
    // of its rows were written and some not (writer.ts, commitBatch).
    batchSavepoint: db.prepare('SAVEPOINT ingest_batch'),
    batchRelease: db.prepare('RELEASE ingest_batch'),
    batchRollback: db.prepare('ROLLBACK TO ingest_batch'),
    accountExists: db.prepare<[string], number>('SELECT 1 FROM accounts WHERE account_id = ?').pluck(),
    /** The stored account's updated_at, to count a record older than it (writer.ts). */
    accountUpdatedAt: db
      .prepare<[string], string | null>('SELECT updated_at FROM accounts WHERE account_id = ?')
      .pluck(),
    /** Of a JSON batch of accounts rows, how many are older than the stored account (not written). */
    olderAccounts: db
      .prepare<[string], number>(
        `SELECT count(*) FROM jsonb_each(?) AS j JOIN accounts AS a ON a.account_id = j.value ->> ${DB_COLUMNS.accounts.indexOf('account_id')}
         WHERE j.value ->> ${DB_COLUMNS.accounts.indexOf('updated_at')} < a.updated_at`,
      )
      .pluck(),
    accountIds: db.prepare<[], string>('SELECT account_id FROM accounts').pluck(),
    quarantine: db.prepare<QuarantineInsert>(
      `INSERT INTO quarantine (kind, origin, line, field, reason, record_json, raw_text, options_json, natural_key, raw_hash, created_at)
       VALUES (@kind, @origin, @line, @field, @reason, @record_json, @raw_text, @options_json, @natural_key, @raw_hash, @created_at)
       ON CONFLICT (kind, raw_hash) DO UPDATE SET origin = excluded.origin, line = excluded.line, field = excluded.field,
         reason = excluded.reason, options_json = excluded.options_json, natural_key = excluded.natural_key
       WHERE quarantine.origin IS NOT excluded.origin OR quarantine.line IS NOT excluded.line OR quarantine.field IS NOT excluded.field
         OR quarantine.reason IS NOT excluded.reason OR quarantine.options_json IS NOT excluded.options_json
         OR quarantine.natural_key IS NOT excluded.natural_key`,
    ),
    quarantinedKeys: db
      .prepare<[string], string>(
        'SELECT DISTINCT natural_key FROM quarantine WHERE kind = ? AND natural_key IS NOT NULL',
      )
      .pluck(),
    resolveByKey: db.prepare<[string, string]>('DELETE FROM quarantine WHERE kind = ? AND natural_key = ?'),
    resolveById: db.prepare<[number]>('DELETE FROM quarantine WHERE quarantine_id = ?'),
    run: db.prepare(
      `INSERT INTO sync_runs (type, origin, status, started_at, finished_at, accepted_accounts, accepted_contacts, accepted_metrics, accepted_events, unchanged, rejected, message)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
  };
}

export type IngestStatements = ReturnType<typeof prepare>;

export const ingestStatements: (db: Db) => IngestStatements = perConnection(prepare);

/**
 * Runs one batch handed over as a JSON array of rows in column order: `insert` (plain: the key's
 * index is set aside for a first load, event-key.ts), `write` (the upsert; `changes` says how many
 * were written) or `upsert` (the upsert with RETURNING: the account of each row really written).
 */
export function runJsonBatch(
  s: IngestStatements,
  kind: RecordKind,
  json: string,
  count: number,
  mode: 'insert' | 'write' | 'upsert',
): number | string[] {
  // JSON.stringify writes a \u escape only for a control character or a lone surrogate, which
  // SQLite's JSON functions would not give back exactly as binding does; such a batch (and,
  // harmlessly, one holding a literal backslash-u) is bound value by value instead.
  if (!json.includes('\\u')) {
    if (mode === 'insert') return s.jsonInsert(kind).run(json).changes;
    return mode === 'upsert' ? (s.jsonUpsert(kind).all(json) as string[]) : s.jsonWrite(kind).run(json).changes;
  }
  const params = (JSON.parse(json) as unknown[][]).flat();
  if (mode === 'insert') return s.batchInsert(kind, count).run(params).changes;
  return mode === 'upsert'
    ? (s.batchUpsert(kind, count).all(params) as string[])
    : s.batchWrite(kind, count).run(params).changes;
}

/**
 * Runs a metrics batch handed over as series (metric-series.ts), each run's rows SERIES_ROWS at a
 * time: without `returning`, how many rows were written (`changes`); with it, the account of each row
 * really written. The same rows, in the same order, as the batch's JSON array through jsonUpsert.
 */
export function runSeriesBatch(s: IngestStatements, batch: MetricSeriesBatch, returning: boolean): number | string[] {
  let changes = 0;
  const written: string[] = [];
  const size = batch.dates.length;
  if (s.seriesDays.bytes.length < size) s.seriesDays.bytes = Buffer.allocUnsafeSlow(Math.max(size, 8192));
  const bytes = s.seriesDays.bytes;
  bytes.write(batch.dates, 0, size, 'latin1');
  let at = 0;
  for (let r = 0; r < batch.lengths.length; r++) {
    const length = batch.lengths[r]!;
    for (let from = 0; from < length; from += SERIES_ROWS) {
      const rows = Math.min(SERIES_ROWS, length - from);
      let params = s.seriesParams.get(rows);
      if (!params) s.seriesParams.set(rows, (params = new Array<unknown>(3 + rows)));
      params[0] = batch.keys[3 * r];
      params[1] = batch.keys[3 * r + 1];
      params[2] = batch.keys[3 * r + 2];
      for (let i = 0; i < rows; i++) params[3 + i] = batch.values[at + from + i];
      const days = { days: bytes.subarray((at + from) * DAY_CHARS, (at + from + rows) * DAY_CHARS) };
      const statement = s.seriesUpsert(rows, returning);
      if (returning) for (const id of statement.all(params, days) as string[]) written.push(id);
      else changes += statement.run(params, days).changes;
    }
    at += length;
  }
  return returning ? written : changes;
}

/** Natural keys of the quarantined records of this kind: a row with one of them resolves its entry. */
export function quarantinedKeys(db: Db, kind: RecordKind): string[] {
  return ingestStatements(db).quarantinedKeys.all(kind);
}

export function allAccountIds(db: Db): string[] {
  return ingestStatements(db).accountIds.all();
}

export function recordRun(db: Db, run: RunInsert): number {
  const a = run.accepted;
  const info = ingestStatements(db).run.run(
    run.type,
    run.origin,
    run.status,
    run.started_at,
    run.finished_at,
    a.accounts,
    a.contacts,
    a.metrics,
    a.events,
    run.unchanged,
    run.rejected,
    run.message,
  );
  return Number(info.lastInsertRowid);
}

interface RunDbRow {
  run_id: number;
  type: RunType;
  origin: string;
  status: RunStatus;
  started_at: string;
  finished_at: string;
  accepted_accounts: number;
  accepted_contacts: number;
  accepted_metrics: number;
  accepted_events: number;
  unchanged: number;
  rejected: number;
  message: string | null;
}

/** The history of imports, syncs and re-checks, newest first. */
export function listRuns(db: Db, offset: number, limit: number): Page<RunRow> {
  const rows = db
    .prepare<[number, number], RunDbRow>('SELECT * FROM sync_runs ORDER BY run_id DESC LIMIT ? OFFSET ?')
    .all(limit, offset);
  const total = db.prepare<[], number>('SELECT count(*) FROM sync_runs').pluck().get() ?? 0;
  return {
    rows: rows.map((r) => ({
      runId: r.run_id,
      type: r.type,
      origin: r.origin,
      status: r.status,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      accepted: {
        accounts: r.accepted_accounts,
        contacts: r.accepted_contacts,
        metrics: r.accepted_metrics,
        events: r.accepted_events,
      },
      unchanged: r.unchanged,
      rejected: r.rejected,
      message: r.message,
    })),
    total,
    offset,
  };
}
