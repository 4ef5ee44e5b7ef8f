/**
 * Where every record from a file, a feed page or a quarantine retry ends up: coerced, checked
 * against the contract, checked for a known account, then upserted on its natural key, or
 * quarantined with its reason. One writer serves one transaction (one file or one page), because
 * its caches (known accounts, quarantined keys) are only true inside that transaction.
 */
import { createHash } from 'node:crypto';
import { RECORD_KINDS, type RecordKind } from '../../shared/dto/core.ts';
import type { RowError, SyncCounts } from '../../shared/dto/sync.ts';
import type { Db } from '../db/open.ts';
import { coerceRecord, type CoerceOptions } from './coerce.ts';
import { emptyCounts, ERROR_LIST_LIMIT, type AccountIdSet } from './counts.ts';
import { FIELD_NAMES } from './fields.ts';
import { forgetWrittenMetrics } from '../risk/series-cache-hooks.ts';
import { seriesRowCount, seriesTouchedJson, type MetricSeriesBatch } from './metric-series.ts';
import { DB_COLUMNS, firstDayOf, ingestStatements, runJsonBatch, runSeriesBatch, toDbRow } from './repo.ts';
import { futureUpdatedAtReason, latestUpdatedAt } from './future-instant.ts';
import { naturalKey, validateRecord } from './validate.ts';
import { shownValue } from '../contract/shown-value.ts';
import type { KeyLines } from './csv-worker-protocol.ts';
import { FileKeys, KEY_FIELD, repeatedKeyReason } from './repeated-keys.ts';

/** Where a record came from: a file and line, or a feed request and item number. */
export interface Where {
  origin: string;
  line: number | null;
  /** "line" for files, "item" for feed pages. */
  unit: 'line' | 'item';
}

/** 'queued': batch mode, written or found unchanged when the batch is flushed. */
export type WriteOutcome = 'written' | 'unchanged' | 'rejected' | 'queued';

export interface RejectPayload {
  /** Raw values under contract field names, as they arrived. */
  record?: Readonly<Record<string, unknown>> | null;
  /** For rows that could not be split into fields. */
  rawText?: string | null;
  naturalKey?: string | null;
}

/** Errors kept in a result; the quarantine keeps all of them. */
const RAW_TEXT_LIMIT = 64 * 1024;

/** "line 17, renewal_date: '31/02/2026' is not a date (expected YYYY-MM-DD)" */
export function formatRowError(where: Where, field: string | null, reason: string): string {
  const place = where.line !== null ? `${where.unit} ${where.line}` : null;
  const prefix = [place, field].filter(Boolean).join(', ');
  return prefix ? `${prefix}: ${reason}` : reason;
}

/** The record's JSON with its fields in contract order, so the same values always hash the same. */
export function canonicalJson(kind: RecordKind, record: Readonly<Record<string, unknown>>): string {
  const ordered: Record<string, unknown> = {};
  for (const field of FIELD_NAMES[kind]) if (record[field] !== undefined) ordered[field] = record[field];
  for (const key of Object.keys(record)) if (!(key in ordered) && record[key] !== undefined) ordered[key] = record[key];
  return JSON.stringify(ordered);
}

/** Identity of a quarantine entry: the same raw row rejected twice is one entry. */
export function quarantineHash(kind: RecordKind, recordJson: string | null, rawText: string | null): string {
  return createHash('sha256')
    .update(`${kind}\u0000${recordJson ?? ''}\u0000${recordJson ? '' : (rawText ?? '')}`)
    .digest('hex');
}

export interface RecordWriter {
  /** `valueLabel` names the value's column in messages (a wide file's metric column). */
  write(
    kind: RecordKind,
    raw: Readonly<Record<string, unknown>>,
    where: Where,
    coerce: CoerceOptions,
    optionsJson: string | null,
    valueLabel?: string,
  ): WriteOutcome;
  reject(
    kind: RecordKind,
    where: Where,
    field: string | null,
    reason: string,
    payload: RejectPayload,
    optionsJson?: string | null,
  ): void;
  /** Counts and lists a rejection whose row is already in the quarantine, without touching it. */
  note(where: Where, field: string | null, reason: string): void;
  /**
   * Batch mode's shortcut for a long-form metric row already proven valid by metric-rows.ts, with
   * the values the contract schema would output. False (nothing done) when the row needs the
   * general path instead: no batch mode, or an account not known yet, whose rejection `write` words.
   */
  writeMetric(accountId: string, metric: string, contactId: string, date: string, value: number): boolean;
  /**
   * Batch mode: rows already proven valid, their accounts known (by the CSV worker, csv-worker.ts),
   * as one JSON array of rows in database column order, with the account of each row (or of each
   * run of rows). Written at once, after anything queued before them.
   */
  /** `firstDay`: the first day the rows date (firstDayOf); null for none or unknown. */
  writeJsonBatch(
    kind: RecordKind,
    json: string,
    count: number,
    accounts: readonly string[],
    firstDay?: string | null,
    /** The rows' keys and lines, for a writer that checks keys repeated in its file. */
    keyLines?: KeyLines | null,
  ): void;
  /** writeJsonBatch for metrics rows handed over as series (metric-series.ts). */
  writeSeriesBatch(batch: MetricSeriesBatch, accounts: readonly string[], firstDay: string | null): void;
  /** Batch mode: writes the queued rows (call before the transaction ends); counts are final only after it. */
  flush(): void;
  readonly counts: SyncCounts;
  /** Quarantine entries resolved because a valid record with the same key arrived. */
  readonly resolved: number;
}

/** Distinct accounts looked up one by one before a batch-mode writer loads every account id. */
const ACCOUNT_LOOKUPS_BEFORE_LOADING_ALL = 1000;
/** Rows per multi-row upsert in batch mode. */
const BATCH_ROWS = 256;
const KIND_ORDER: readonly RecordKind[] = RECORD_KINDS;

/** Where each kind's account_id sits in its row of parameters. */
const ACCOUNT_COLUMN: Record<RecordKind, number> = {
  accounts: DB_COLUMNS.accounts.indexOf('account_id'),
  contacts: DB_COLUMNS.contacts.indexOf('account_id'),
  metrics: DB_COLUMNS.metrics.indexOf('account_id'),
  events: DB_COLUMNS.events.indexOf('account_id'),
};
/** writeMetric pushes its values in this order. */
const METRIC_PARAMS_IN_ORDER = DB_COLUMNS.metrics.join() === 'account_id,metric,contact_id,date,value';

/**
 * `batch: true` (file imports): valid rows are queued and written 256 at a time by one upsert that
 * reads them from a JSON array (or, from the CSV worker, a batch at a time as it proved them), so the
 * counts and changed accounts come out exactly as row by row, at a fraction of the cost
 * (docs/performance.md, "import"). A batch runs first without RETURNING inside a savepoint:
 * when `changes` says all of its rows were written (a first import) or none (a re-import), that
 * is the whole answer; only a batch with some of each is rolled back to the savepoint and run again
 * with RETURNING, which names the accounts really written.
 * The caller must call flush() before its transaction ends. Parents are flushed before children,
 * so a queued child always finds its account.
 */
export function createRecordWriter(
  db: Db,
  options: {
    createdAt: string;
    changed: AccountIdSet;
    batch?: boolean;
    /** Batch mode: this kind's table has its key index set aside (event-key.ts), so its rows are plain INSERTs. */
    plainInsert?: RecordKind | null;
    /** A file import: a key repeated within the file is rejected, the first row kept (repeated-keys.ts). */
    fileKeys?: FileKeys;
  },
): RecordWriter {
  const statements = ingestStatements(db);
  const latest = latestUpdatedAt(options.createdAt);
  const batching = options.batch === true;
  const queues = new Map<RecordKind, unknown[][]>(KIND_ORDER.map((k) => [k, []]));
  /** Runs a batch without RETURNING (`changes` only) or with it (the accounts really written). */
  const runBatch = (kind: RecordKind, json: string, count: number, returning: boolean): number | string[] =>
    // A plain insert writes every row (a repeated key is settled after the load, event-key.ts).
    runJsonBatch(
      statements,
      kind,
      json,
      count,
      kind === options.plainInsert ? 'insert' : returning ? 'upsert' : 'write',
    );
  /**
   * Writes one batch of `count` rows by `run` (with `returning`: the accounts of the rows really
   * written); `accounts` are the accounts of its rows, listed when all of them are written; `json`
   * its rows for the series cache's hook.
   */
  const commitBatch = (
    kind: RecordKind,
    count: number,
    run: (returning: boolean) => number | string[],
    json: string | (() => string),
    accounts: () => Iterable<string>,
    firstDay: () => string | null,
  ) => {
    let written: number;
    statements.batchSavepoint.run();
    try {
      const changes = run(false) as number;
      if (changes === count || changes === 0) {
        statements.batchRelease.run();
        written = changes;
        if (written > 0) {
          for (const id of accounts()) options.changed.add(id);
          options.changed.touch(firstDay());
        }
      } else {
        statements.batchRollback.run();
        const ids = run(true) as string[];
        statements.batchRelease.run();
        written = ids.length;
        for (const id of ids) options.changed.add(id);
        if (written > 0) options.changed.touch(firstDay());
      }
    } catch (error) {
      // The file's transaction is rolled back by the caller; leave no savepoint behind in between.
      if (db.inTransaction) {
        try {
          statements.batchRollback.run();
          statements.batchRelease.run();
        } catch {
          // SQLite already ended the transaction (and the savepoint with it).
        }
      }
      throw error;
    }
    counts.accepted[kind] += written;
    counts.unchanged += count - written;
    if (written > 0) forgetWrittenMetrics(db, kind, json, firstDay());
  };
  const flushKind = (kind: RecordKind) => {
    const rows = queues.get(kind)!;
    if (rows.length === 0) return;
    queues.set(kind, []);
    const json = JSON.stringify(rows);
    commitBatch(
      kind,
      rows.length,
      (returning) => runBatch(kind, json, rows.length, returning),
      json,
      function* () {
        const at = ACCOUNT_COLUMN[kind];
        let previous: unknown = null;
        for (const row of rows) {
          if (row[at] !== previous) yield row[at] as string;
          previous = row[at];
        }
      },
      () => firstDayOf(kind, rows),
    );
  };
  const flush = () => {
    for (const kind of KIND_ORDER) flushKind(kind);
  };
  const counts = emptyCounts();
  const knownAccounts = new Map<string, boolean>();
  const quarantinedKeys = new Map<RecordKind, Set<string>>();
  let resolved = 0;

  // A file with rows for many accounts asks once for all of them instead of once per account.
  let lookups = 0;
  let allLoaded = false;
  const accountKnown = (id: string): boolean => {
    let known = knownAccounts.get(id);
    if (known === undefined) {
      if (batching && !allLoaded && ++lookups > ACCOUNT_LOOKUPS_BEFORE_LOADING_ALL) {
        for (const accountId of statements.accountIds.iterate()) knownAccounts.set(accountId, true);
        allLoaded = true;
        known = knownAccounts.get(id);
      }
      // Once all are loaded, a miss is an account that is not in the database.
      known ??= allLoaded ? false : statements.accountExists.get(id) !== undefined;
      knownAccounts.set(id, known);
    }
    return known;
  };

  const keysInQuarantine = (kind: RecordKind): Set<string> => {
    let keys = quarantinedKeys.get(kind);
    if (!keys) {
      keys = new Set(statements.quarantinedKeys.all(kind));
      quarantinedKeys.set(kind, keys);
    }
    return keys;
  };

  const reject: RecordWriter['reject'] = (kind, where, field, reason, payload, optionsJson = null) => {
    counts.rejected++;
    if (counts.errors.length < ERROR_LIST_LIMIT) {
      const error: RowError = {
        file: where.origin,
        line: where.line,
        field,
        message: formatRowError(where, field, reason),
      };
      counts.errors.push(error);
    }
    const recordJson = payload.record ? canonicalJson(kind, payload.record) : null;
    const rawText = payload.rawText ? payload.rawText.slice(0, RAW_TEXT_LIMIT) : null;
    const hash = quarantineHash(kind, recordJson, rawText);
    statements.quarantine.run({
      kind,
      origin: where.origin,
      line: where.line,
      field,
      reason,
      record_json: recordJson,
      raw_text: rawText,
      options_json: optionsJson,
      natural_key:
        payload.naturalKey !== undefined
          ? payload.naturalKey
          : payload.record
            ? naturalKey(kind, payload.record)
            : null,
      raw_hash: hash,
      created_at: options.createdAt,
    });
  };

  const write: RecordWriter['write'] = (kind, raw, where, coerce, optionsJson, valueLabel) => {
    const coerced = coerceRecord(kind, raw, coerce);
    const checked = validateRecord(kind, coerced, coerce, raw);
    if (!checked.ok) {
      const field = valueLabel !== undefined && checked.field === 'value' ? valueLabel : checked.field;
      reject(kind, where, field, checked.reason, { record: raw }, optionsJson);
      return 'rejected';
    }
    const record = checked.record;
    const future = kind === 'accounts' ? futureUpdatedAtReason(record, latest) : null;
    if (future) {
      reject(kind, where, 'updated_at', future, { record: raw }, optionsJson);
      return 'rejected';
    }
    const accountId = record.account_id as string;
    if (kind !== 'accounts' && !accountKnown(accountId)) {
      reject(
        kind,
        where,
        'account_id',
        `${shownValue(accountId)} is not a known account (import its account first, then re-check the quarantine)`,
        { record: raw },
        optionsJson,
      );
      return 'rejected';
    }
    const fileKey = options.fileKeys && FileKeys.checks(kind) ? naturalKey(kind, record) : null;
    if (fileKey !== null) {
      const firstLine = options.fileKeys!.seen(kind, fileKey);
      if (firstLine !== undefined) {
        // No natural key: the kept first row must not "resolve" this entry on the next import.
        reject(
          kind,
          where,
          KEY_FIELD[kind]!,
          repeatedKeyReason(fileKey, firstLine),
          {
            record: raw,
            naturalKey: null,
          },
          optionsJson,
        );
        return 'rejected';
      }
      options.fileKeys!.remember(kind, fileKey, where.line);
    }
    // An older version of a stored account keeps the stored one (repo.ts, updateWhen): counted, not written.
    if (kind === 'accounts' && typeof record.updated_at === 'string') {
      const stored = statements.accountUpdatedAt.get(accountId);
      if (typeof stored === 'string' && record.updated_at < stored) {
        counts.older++;
        knownAccounts.set(accountId, true);
        return 'unchanged';
      }
    }
    const keys = keysInQuarantine(kind);
    if (batching) {
      if (keys.size > 0) {
        const key = naturalKey(kind, record);
        if (key !== null && keys.has(key)) {
          resolved += statements.resolveByKey.run(kind, key).changes;
          keys.delete(key);
        }
      }
      const queue = queues.get(kind)!;
      queue.push(toDbRow(kind, record));
      if (kind === 'accounts') knownAccounts.set(accountId, true);
      if (queue.length === BATCH_ROWS) {
        if (kind !== 'accounts') flushKind('accounts');
        flushKind(kind);
      }
      // Counted as written or unchanged when its batch is flushed.
      return 'queued';
    }
    const changes = statements.upsert(kind).run(toDbRow(kind, record)).changes;
    if (keys.size > 0) {
      const key = naturalKey(kind, record);
      if (key !== null && keys.has(key)) {
        resolved += statements.resolveByKey.run(kind, key).changes;
        keys.delete(key);
      }
    }
    if (changes > 0) {
      counts.accepted[kind]++;
      options.changed.add(accountId);
      options.changed.touch(firstDayOf(kind, [toDbRow(kind, record)]));
      const row = toDbRow(kind, record);
      if (kind === 'metrics') forgetWrittenMetrics(db, kind, JSON.stringify([row]), firstDayOf(kind, [row]));
      if (kind === 'accounts') knownAccounts.set(accountId, true);
      return 'written';
    }
    counts.unchanged++;
    if (kind === 'accounts') knownAccounts.set(accountId, true);
    return 'unchanged';
  };

  let metricKeys: Set<string> | null = null;
  let lastMetricAccount: string | null = null;
  const writeMetric: RecordWriter['writeMetric'] = (accountId, metric, contactId, date, value) => {
    if (!batching || !METRIC_PARAMS_IN_ORDER) return false;
    // Files come grouped by account: one lookup per run of rows. Only "known" is remembered,
    // because an unknown account may still arrive later in the same transaction.
    if (accountId !== lastMetricAccount) {
      if (!accountKnown(accountId)) return false;
      lastMetricAccount = accountId;
    }
    metricKeys ??= keysInQuarantine('metrics');
    if (metricKeys.size > 0) {
      const key = naturalKey('metrics', { account_id: accountId, metric, contact_id: contactId, date });
      if (key !== null && metricKeys.has(key)) {
        resolved += statements.resolveByKey.run('metrics', key).changes;
        metricKeys.delete(key);
      }
    }
    const queue = queues.get('metrics')!;
    queue.push([accountId, metric, contactId, date, value]);
    if (queue.length === BATCH_ROWS) {
      flushKind('accounts');
      flushKind('metrics');
    }
    return true;
  };

  const writeJsonBatch: RecordWriter['writeJsonBatch'] = (kind, json, count, accounts, firstDay = null, keyLines) => {
    if (!batching) throw new Error('writeJsonBatch needs a batch-mode writer.');
    if (keyLines && options.fileKeys)
      keyLines.keys.forEach((key, i) => options.fileKeys!.remember(kind, key, keyLines.lines[i] ?? null));
    // Rows queued before these came first in the file.
    flushKind('accounts');
    flushKind(kind);
    // Rows older than their stored account are not written (repo.ts, updateWhen): counted as older, not unchanged.
    const older = kind === 'accounts' ? (statements.olderAccounts.get(json) ?? 0) : 0;
    commitBatch(
      kind,
      count,
      (returning) => runBatch(kind, json, count, returning),
      json,
      () => accounts,
      () => firstDay,
    );
    counts.unchanged -= older;
    counts.older += older;
    if (kind === 'accounts') for (const id of accounts) knownAccounts.set(id, true);
  };

  const writeSeriesBatch: RecordWriter['writeSeriesBatch'] = (batch, accounts, firstDay) => {
    if (!batching) throw new Error('writeSeriesBatch needs a batch-mode writer.');
    flushKind('accounts');
    flushKind('metrics');
    commitBatch(
      'metrics',
      seriesRowCount(batch),
      (returning) => runSeriesBatch(statements, batch, returning),
      () => seriesTouchedJson(batch),
      () => accounts,
      () => firstDay,
    );
  };

  const note: RecordWriter['note'] = (where, field, reason) => {
    counts.rejected++;
    if (counts.errors.length < ERROR_LIST_LIMIT)
      counts.errors.push({
        file: where.origin,
        line: where.line,
        field,
        message: formatRowError(where, field, reason),
      });
  };

  return {
    write,
    writeMetric,
    writeJsonBatch,
    writeSeriesBatch,
    flush,
    reject,
    note,
    counts,
    get resolved() {
      return resolved;
    },
  };
}
