/**
 * Worker thread entry: reads one CSV of records (one a row, or a wide metrics file's row of several)
 * (decode, hash, PapaParse) and proves its rows valid as the importer's general path would (coerce,
 * validate against the contract, known account), so the importer's thread is left with little more
 * than SQLite. Why: on the bench's
 * files the reading and proving were about half of the import, and the two can run on two cores
 * (docs/performance.md, "import").
 *
 * Every row it cannot prove (a short row, an unknown account, a bad date…) is passed on as its
 * cells, in file order, for the importer's general path to decide and word, so the rejection, its
 * reason and its quarantine entry are the general path's own.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { RecordKind } from '../../shared/dto/core.ts';
import { coerceOptionsFrom, coerceRecord, forDelimiter } from './coerce.ts';
import { readCsv } from './csv-reader.ts';
import {
  COMMANDS,
  CONSUMED,
  MAX_AHEAD,
  PRODUCED,
  ROWS_PER_MESSAGE,
  type CsvWorkerBegin,
  type CsvWorkerCommand,
  type CsvWorkerData,
  type CsvWorkerMessage,
  type KeyLines,
} from './csv-worker-protocol.ts';
import { FileKeys } from './repeated-keys.ts';
import { isFixFileHeader } from './fix-file-header.ts';
import { planLayout, rowMapper } from './layout.ts';
import { metricRowShortcut, wideMetricRowProver } from './metric-rows.ts';
import { HeldSeries, SeriesBatchBuilder } from './series-hold.ts';
import { firstDayOf, toDbRow } from './repo.ts';
import { NotUtf8Error, openTextFile } from './text-source.ts';
import { streamedDigest } from './unchanged-files.ts';
import { futureUpdatedAtReason } from './future-instant.ts';
import { naturalKey, validateRecord } from './validate.ts';

const request = workerData as CsvWorkerData;
const counters = new Int32Array(request.counters);

class Cancelled extends Error {}

/** Blocks until the importer's file transaction has begun (or the read is cancelled). */
function awaitBegin(): CsvWorkerBegin {
  for (;;) {
    const received = receiveMessageOnPort(request.port);
    if (received) {
      const command = received.message as CsvWorkerCommand;
      if (command.cancel) throw new Cancelled();
      return command;
    }
    Atomics.wait(counters, COMMANDS, 0, 1000);
  }
}

function post(message: CsvWorkerMessage): void {
  request.port.postMessage(message);
  const produced = Atomics.add(counters, PRODUCED, 1) + 1;
  Atomics.notify(counters, PRODUCED);
  // Back-pressure: never more than MAX_AHEAD messages the importer has not taken yet.
  for (;;) {
    const consumed = Atomics.load(counters, CONSUMED);
    if (produced - consumed <= MAX_AHEAD) return;
    Atomics.wait(counters, CONSUMED, consumed, 1000);
  }
}

type RowProver = (cells: readonly string[]) => boolean;

/** Metrics rows of one account held back at most, before they are sorted and sent. */
const HELD_ROWS_MAX = 8192;

function run(): void {
  let known = new Set<string>();
  let quarantined = new Set<string>();
  let latest = Infinity;
  let begun = false;
  const begin = () => {
    const command = awaitBegin();
    known = new Set(command.knownAccounts);
    quarantined = new Set(command.quarantinedKeys);
    latest = command.latestUpdatedAt;
    begun = true;
  };
  let coerce = coerceOptionsFrom(request.mapping);
  // Always hashed: it costs little on this thread, and the importer may want the fingerprint.
  const digest = streamedDigest();
  const reader = openTextFile(request.path, request.encoding, digest.update);

  // Output is either proven rows or rows for the general path; switching flushes the other, so
  // the importer sees every row in file order.
  let kind: RecordKind = 'accounts';
  let proven: unknown[][] = [];
  let provenAccounts: string[] = [];
  // The keys and lines of the proven rows of a kind checked for repeated keys (repeated-keys.ts).
  let provenKeys: KeyLines = { keys: [], lines: [] };
  const fileKeys = new Set<string>();
  let rowLine = 0;
  /** File rows proven since the last message (a wide metrics row is several database rows). */
  let provenFileRows = 0;
  let pending: string[][] = [];
  let pendingLines: number[] = [];
  let lastAccount: string | null = null;
  /** The last account found known, so a run of its rows is looked up once. */
  let lastKnown: string | null = null;
  // Metrics rows go as series (metric-series.ts, series-hold.ts), the others as JSON.
  const series = new SeriesBatchBuilder(ROWS_PER_MESSAGE, () => flushProven());
  const flushProven = () => {
    const taken = series.take();
    if (taken) {
      const { batch, accounts, firstDay } = taken;
      post({ t: 'series', batch, fileRows: provenFileRows, accounts, firstDay });
      provenFileRows = 0;
    }
    if (proven.length === 0) return;
    post({
      t: 'records',
      kind,
      json: JSON.stringify(proven),
      count: proven.length,
      fileRows: provenFileRows,
      accounts: provenAccounts,
      firstDay: firstDayOf(kind, proven),
      keyLines: FileKeys.checks(kind) ? provenKeys : null,
    });
    provenKeys = { keys: [], lines: [] };
    proven = [];
    provenAccounts = [];
    provenFileRows = 0;
    // Each message lists its own accounts.
    lastAccount = null;
  };
  const push = (accountId: string, row: unknown[]) => {
    if (accountId !== lastAccount) {
      lastAccount = accountId;
      provenAccounts.push(accountId);
    }
    proven.push(row);
    if (proven.length === ROWS_PER_MESSAGE) flushProven();
  };
  // Metrics rows of one account are held back and sent in the table's key order (series-hold.ts).
  const held = new HeldSeries();
  const release = () => held.release(series);
  const flushAll = () => {
    release();
    flushProven();
  };
  const flushPending = () => {
    if (pending.length === 0) return;
    post({ t: 'rows', rows: pending, lines: pendingLines });
    pending = [];
    pendingLines = [];
  };
  /**
   * Queues the proven database rows of one file row; false when its account is not known (the
   * general path words that) or one of its keys is in the quarantine (the general path resolves it).
   */
  const accept = (accountId: string, rows: unknown[][], key: (row: unknown[]) => string | null): boolean => {
    if (quarantined.size > 0) {
      for (const row of rows) {
        const k = key(row);
        if (k !== null && quarantined.has(k)) return false;
      }
    }
    if (accountId !== lastKnown) {
      if (kind !== 'accounts' && !known.has(accountId)) return false;
      lastKnown = accountId;
    }
    // A key repeated in the file goes to the general path, which rejects it naming the first line.
    const fileKey = FileKeys.checks(kind) ? key(rows[0]!) : null;
    if (fileKey !== null) {
      if (fileKeys.has(fileKey)) return false;
      fileKeys.add(fileKey);
    }
    flushPending();
    if (fileKey !== null) {
      provenKeys.keys.push(fileKey);
      provenKeys.lines.push(rowLine);
    }
    provenFileRows++;
    if (kind !== 'metrics') {
      for (const row of rows) push(accountId, row);
      return true;
    }
    if (accountId !== held.account) {
      release();
      held.account = accountId;
    }
    for (const row of rows) held.add(row[1] as string, row[2] as string, row[3] as string, row[4] as number);
    // An account with a very long history is sent in sorted runs: memory stays flat, and a key's
    // later row still follows its earlier one.
    if (held.size >= HELD_ROWS_MAX) release();
    return true;
  };
  const metricKey = (row: unknown[]) =>
    naturalKey('metrics', { account_id: row[0], metric: row[1], contact_id: row[2], date: row[3] });

  /** The general path's decision without its side effects: coerce, validate, then `accept`. */
  const general = (mapRow: (cells: readonly string[]) => Record<string, unknown>): RowProver => {
    return (cells) => {
      const checked = validateRecord(kind, coerceRecord(kind, mapRow(cells), coerce), coerce);
      if (!checked.ok) return false;
      const record = checked.record;
      // The general path refuses it with its sentence.
      if (futureUpdatedAtReason(record, latest)) return false;
      return accept(record.account_id as string, [toDbRow(kind, record)], () => naturalKey(kind, record));
    };
  };

  let prove: RowProver | null = null;
  let headerCount = 0;
  try {
    const info = readCsv(reader, {
      header(fields, line, delimiter) {
        headerCount = fields.length;
        coerce = forDelimiter(coerce, delimiter);
        if (!isFixFileHeader(fields)) {
          try {
            const layout = planLayout(fields, request.name, { kind: request.kind, mapping: request.mapping });
            kind = layout.kind;
            if (layout.shape === 'long') {
              const slow = general(rowMapper(layout));
              const fast = metricRowShortcut(layout, coerce, {
                writeMetric: (a, m, c, d, v) => accept(a, [[a, m, c, d, v]], metricKey),
              });
              prove = fast ? (cells) => fast(cells) || slow(cells) : slow;
            } else {
              // A wide row the prover cannot take whole goes to the general path whole.
              const wide = wideMetricRowProver(layout, coerce);
              if (wide)
                prove = (cells) => {
                  const rows = wide(cells);
                  return rows !== null && accept(rows[0]![0], rows, metricKey);
                };
            }
          } catch {
            prove = null; // The importer plans the same header and reports the problem.
          }
        }
        post({ t: 'header', fields, line, delimiter });
      },
      row(cells, line) {
        if (!begun) begin();
        rowLine = line;
        // The importer's own checks come first (import-files.ts): a row with the wrong number of
        // fields is rejected there, whatever its cells say.
        if (prove !== null && cells.length === headerCount && prove(cells)) return;
        flushAll();
        pending.push(cells);
        pendingLines.push(line);
        if (pending.length === ROWS_PER_MESSAGE) flushPending();
      },
      malformed(line, reason, rawText, stop) {
        flushAll();
        flushPending();
        post({ t: 'malformed', line, reason, rawText, stop });
      },
      chunk() {
        post({ t: 'progress', bytesRead: reader.bytesRead });
      },
    });
    flushAll();
    flushPending();
    if (!begun) begin();
    post({
      t: 'end',
      delimiter: info.delimiter,
      sawHeader: info.sawHeader,
      bytesRead: reader.bytesRead,
      digest: digest.value(),
    });
  } finally {
    reader.close();
  }
}

try {
  run();
} catch (error) {
  if (error instanceof Cancelled) process.exit(0);
  const code = (error as NodeJS.ErrnoException).code;
  post({
    t: 'error',
    notUtf8: error instanceof NotUtf8Error,
    message: error instanceof Error ? error.message : String(error),
    code: typeof code === 'string' ? code : null,
  });
}
parentPort?.close();
