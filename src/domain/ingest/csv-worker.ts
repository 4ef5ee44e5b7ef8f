/**
 * Worker thread entry: reads one long-form metrics CSV (decode, hash, PapaParse) and proves its
 * common rows valid with the very shortcut the importer uses in its own thread (metric-rows.ts),
 * so the importer's thread is left with little more than SQLite. Why: on a 2-million-row file the
 * reading and proving were about a third of the import, and the two can run on two cores
 * (docs/performance.md, "import").
 *
 * Every row the shortcut cannot prove (a short row, an unknown account, "1,200"…) is passed on as
 * its cells, in file order, for the importer's general path to decide and word.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { readCsv } from './csv-reader.ts';
import { CONSUMED, MAX_AHEAD, METRIC_ROWS_PER_MESSAGE, PRODUCED, type CsvWorkerMessage, type CsvWorkerRequest } from './csv-worker-protocol.ts';
import { isFixFileHeader } from './fix-file-header.ts';
import { planLayout } from './layout.ts';
import { metricRowShortcut, type MetricRowShortcut } from './metric-rows.ts';
import { NotUtf8Error, openTextFile } from './text-source.ts';
import { streamedDigest } from './unchanged-files.ts';

const request = workerData as CsvWorkerRequest & { port: MessagePort };
const counters = new Int32Array(request.counters);

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

function run(): void {
  const known = new Set(request.knownAccounts);
  const digest = request.digest ? streamedDigest() : null;
  const reader = openTextFile(request.path, request.encoding, digest ? digest.update : undefined);

  // Output is either proven metric rows or rows for the general path; switching flushes the other,
  // so the importer sees every row in file order.
  let proven: unknown[][] = [];
  let provenAccounts: string[] = [];
  let pending: string[][] = [];
  let pendingLines: number[] = [];
  let lastAccount: string | null = null;
  const flushProven = () => {
    if (proven.length === 0) return;
    post({ t: 'metrics', json: JSON.stringify(proven), count: proven.length, accounts: provenAccounts });
    proven = [];
    provenAccounts = [];
    // Each message lists its own accounts.
    lastAccount = null;
  };
  const flushPending = () => {
    if (pending.length === 0) return;
    post({ t: 'rows', rows: pending, lines: pendingLines });
    pending = [];
    pendingLines = [];
  };
  const sink = {
    writeMetric(accountId: string, metric: string, contactId: string, date: string, value: number): boolean {
      if (accountId !== lastAccount) {
        if (!known.has(accountId)) return false;
        lastAccount = accountId;
        provenAccounts.push(accountId);
      }
      flushPending();
      proven.push([accountId, metric, contactId, date, value]);
      if (proven.length === METRIC_ROWS_PER_MESSAGE) flushProven();
      return true;
    },
  };

  let shortcut: MetricRowShortcut | null = null;
  let headerCount = 0;
  try {
    const info = readCsv(reader, {
      header(fields, line, delimiter) {
        headerCount = fields.length;
        if (!isFixFileHeader(fields)) {
          try {
            shortcut = metricRowShortcut(planLayout(fields, request.name, { kind: request.kind, mapping: request.mapping }), { decimalComma: request.decimalComma }, sink);
          } catch {
            shortcut = null; // The importer plans the same header and reports the problem.
          }
        }
        post({ t: 'header', fields, line, delimiter });
      },
      row(cells, line) {
        // The importer's own checks come first (import-files.ts): a row with the wrong number of
        // fields is rejected there, whatever its cells say.
        if (shortcut !== null && cells.length === headerCount && shortcut(cells)) return;
        flushProven();
        pending.push(cells);
        pendingLines.push(line);
        if (pending.length === METRIC_ROWS_PER_MESSAGE) flushPending();
      },
      malformed(line, reason, rawText, stop) {
        flushProven();
        flushPending();
        post({ t: 'malformed', line, reason, rawText, stop });
      },
      chunk() {
        post({ t: 'progress', bytesRead: reader.bytesRead });
      },
    });
    flushProven();
    flushPending();
    post({ t: 'end', delimiter: info.delimiter, sawHeader: info.sawHeader, bytesRead: reader.bytesRead, digest: digest?.value() ?? null });
  } finally {
    reader.close();
  }
}

try {
  run();
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  post({ t: 'error', notUtf8: error instanceof NotUtf8Error, message: error instanceof Error ? error.message : String(error), code: typeof code === 'string' ? code : null });
}
parentPort?.close();
