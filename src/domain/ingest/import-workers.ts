/**
 * The CSV workers of one import (csv-worker.ts): a CSV of records is read and checked in a second thread
 * while the import's thread writes, and the next file's worker is started while the file before
 * it is imported, so its start-up and first chunk are not waited for.
 */
import type { RecordKind } from '../../shared/dto/core.ts';
import { startCsvWorker, type CsvWorker } from './csv-in-worker.ts';
import type { PlannedFile } from './import-plan.ts';
import type { Mapping } from './mapping.ts';
import type { TextEncoding } from './text-source.ts';

/** Below this, starting a worker costs more than reading the file in this thread. */
export const PARSE_IN_WORKER_BYTES = 4 * 1024 * 1024;

export interface CsvWorkers {
  /** Starts the next file's worker while this one is imported, so its start-up is not waited for. */
  startAhead(file: PlannedFile | undefined): void;
  /** The worker for one attempt at a file: the one started ahead for the first, a new one for a retry in another encoding. */
  workerFor(file: PlannedFile, encoding: TextEncoding | undefined): CsvWorker | null;
  release(file: PlannedFile): void;
  disposeAll(): void;
}

/** CSV workers (csv-worker.ts) that read and check a CSV of records in a second thread while this one writes. */
export function csvWorkers(
  parseInWorker: boolean | undefined,
  kind: RecordKind | null,
  mapping: Mapping,
  mayBeRemembered: (file: PlannedFile) => boolean,
): CsvWorkers {
  const workers = new Map<PlannedFile, CsvWorker | null>();
  const start = (file: PlannedFile, encoding: TextEncoding | undefined) =>
    file.problem === null &&
    file.format === 'csv' &&
    file.recordRows &&
    file.kind !== null &&
    (parseInWorker ?? file.size >= PARSE_IN_WORKER_BYTES)
      ? startCsvWorker({ path: file.spec.path, name: file.spec.name, encoding, kind, mapping })
      : null;
  return {
    startAhead(file) {
      // A file that may be answered from its fingerprint is not worth a worker yet.
      if (file && !workers.has(file) && !mayBeRemembered(file)) workers.set(file, start(file, undefined));
    },
    workerFor(file, encoding) {
      const ahead = workers.get(file);
      workers.delete(file);
      if (encoding === undefined && ahead !== undefined) return ahead;
      ahead?.dispose();
      return start(file, encoding);
    },
    release(file) {
      workers.get(file)?.dispose();
      workers.delete(file);
    },
    disposeAll() {
      for (const worker of workers.values()) worker?.dispose();
    },
  };
}
