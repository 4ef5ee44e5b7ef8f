/**
 * The importer's side of the CSV worker (csv-worker.ts): starts it for one file and turns its
 * messages back into readCsv's handler calls, synchronously, because the file is one SQLite
 * transaction and better-sqlite3 transactions cannot span an await. The importer's thread blocks
 * in Atomics.wait between messages; imports never run on a thread that draws a window (they run in
 * a job worker or the CLI).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { RecordKind } from '../../shared/dto/core.ts';
import type { CsvHandlers, CsvInfo } from './csv-reader.ts';
import {
  COMMANDS,
  CONSUMED,
  COUNTER_BYTES,
  PRODUCED,
  type CsvWorkerBegin,
  type CsvWorkerCommand,
  type CsvWorkerData,
  type CsvWorkerMessage,
  type CsvWorkerStart,
  type KeyLines,
} from './csv-worker-protocol.ts';
import type { MetricSeriesBatch } from './metric-series.ts';
import { NotUtf8Error } from './text-source.ts';

export interface WorkerCsvHandlers extends Omit<CsvHandlers, 'chunk'> {
  /** Proven rows as the writer's JSON batch (RecordWriter.writeJsonBatch). */
  records(
    kind: RecordKind,
    json: string,
    count: number,
    accounts: readonly string[],
    firstDay: string | null,
    fileRows: number,
    keyLines: KeyLines | null,
  ): void;
  /** Proven metrics rows as series (RecordWriter.writeSeriesBatch). */
  series(batch: MetricSeriesBatch, accounts: readonly string[], firstDay: string | null, fileRows: number): void;
  /** After each chunk of the file, with the bytes read so far. */
  chunk(bytesRead: number): void;
}

export interface WorkerCsvInfo extends CsvInfo {
  bytesRead: number;
  /** The file's SHA-256 when every byte was read. */
  digest: string | null;
}

/** The worker did not start (its file is missing, or it sent nothing in time): read in this thread instead. */
export class CsvWorkerUnavailable extends Error {}

/** A worker that has said nothing yet is given this long to boot and read its first chunk. */
const FIRST_MESSAGE_MS = 15_000;
/**
 * The worker's young generation, in MB. Nearly all it allocates is garbage at once (cells, rows, the
 * JSON of a batch); V8's default lets that space grow to take ≈ 150 MB more of the import's peak
 * RSS for no speed (5,000-account bench files: 639 → 482 MB, the same CPU; docs/performance.md).
 */
const WORKER_YOUNG_GENERATION_MB = 16;
/** A worker that started and then fell silent this long is taken for dead. */
const STALL_MS = 60_000;

/**
 * The worker's entry sits next to this module in source; in the built app it is an entry of its
 * own in out/main, and this module is in that folder or in its chunks/ folder.
 */
function workerFile(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  return (
    [join(here, 'csv-worker.ts'), join(here, 'csv-worker.js'), join(here, '..', 'csv-worker.js')].find((file) =>
      existsSync(file),
    ) ?? null
  );
}

export interface CsvWorker {
  /**
   * Reads the file through the worker, once: tells it the book as it is now, then turns its messages
   * into handler calls until the end of the file.
   */
  read(begin: CsvWorkerBegin, handlers: WorkerCsvHandlers): WorkerCsvInfo;
  /** Stops the worker; a worker whose file is not read after all must be disposed of. */
  dispose(): void;
}

/**
 * Starts a worker on a file: it reads the header and waits for read(), so starting it one file ahead
 * hides its start-up behind the previous file. Null when the worker is not installed.
 */
export function startCsvWorker(start: CsvWorkerStart): CsvWorker | null {
  const file = workerFile();
  if (!file) return null;
  const counters = new Int32Array(new SharedArrayBuffer(COUNTER_BYTES));
  const { port1, port2 } = new MessageChannel();
  const data: CsvWorkerData = { ...start, counters: counters.buffer as SharedArrayBuffer, port: port2 };
  const worker = new Worker(file, {
    workerData: data,
    transferList: [port2],
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  worker.unref();
  // A worker that fails or dies is seen by pump() (its messages stop: CsvWorkerUnavailable, and the
  // file is read here). The error event, delivered once this thread is back in its event loop, must
  // not end the process that is importing.
  worker.on('error', () => undefined);
  let used = false;
  const command = (message: CsvWorkerCommand) => {
    port1.postMessage(message);
    Atomics.add(counters, COMMANDS, 1);
    Atomics.notify(counters, COMMANDS);
  };
  const dispose = () => {
    if (!used) command({ cancel: true });
    used = true;
    port1.close();
    void worker.terminate();
  };
  return {
    dispose,
    read(begin, handlers) {
      if (used) throw new Error('A CSV worker reads its file once.');
      command(begin);
      used = true;
      try {
        return pump(port1, counters, handlers);
      } finally {
        dispose();
      }
    },
  };
}

function pump(port: MessagePort, counters: Int32Array, handlers: WorkerCsvHandlers): WorkerCsvInfo {
  let started = false;
  let silentMs = 0;
  for (;;) {
    const produced = Atomics.load(counters, PRODUCED);
    const received = receiveMessageOnPort(port);
    if (!received) {
      const waited = performance.now();
      if (Atomics.wait(counters, PRODUCED, produced, 1000) === 'timed-out') {
        silentMs += performance.now() - waited;
        if (!started && silentMs >= FIRST_MESSAGE_MS) throw new CsvWorkerUnavailable('The CSV worker did not start.');
        if (started && silentMs >= STALL_MS)
          throw Object.assign(new Error(`the CSV reader stopped responding for ${STALL_MS / 1000} seconds`), {
            code: 'CSV_WORKER_STALLED',
          });
      }
      continue;
    }
    started = true;
    silentMs = 0;
    Atomics.add(counters, CONSUMED, 1);
    Atomics.notify(counters, CONSUMED);
    const message = received.message as CsvWorkerMessage;
    switch (message.t) {
      case 'header':
        handlers.header(message.fields, message.line, message.delimiter);
        break;
      case 'rows':
        for (let i = 0; i < message.rows.length; i++) handlers.row(message.rows[i]!, message.lines[i]!);
        break;
      case 'records':
        handlers.records(
          message.kind,
          message.json,
          message.count,
          message.accounts,
          message.firstDay,
          message.fileRows,
          message.keyLines,
        );
        break;
      case 'series':
        handlers.series(message.batch, message.accounts, message.firstDay, message.fileRows);
        break;
      case 'malformed':
        handlers.malformed(message.line, message.reason, message.rawText, message.stop);
        break;
      case 'progress':
        handlers.chunk(message.bytesRead);
        break;
      case 'end':
        handlers.chunk(message.bytesRead);
        return {
          delimiter: message.delimiter,
          sawHeader: message.sawHeader,
          bytesRead: message.bytesRead,
          digest: message.digest,
        };
      case 'error':
        if (message.notUtf8) throw new NotUtf8Error();
        // Shaped like the error the same read would throw in this thread, for the same report.
        throw Object.assign(new Error(message.message), message.code ? { code: message.code } : {});
    }
  }
}
