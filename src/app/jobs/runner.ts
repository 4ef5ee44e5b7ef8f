import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { openDatabase } from '../../domain/db/open.ts';
import { UserFacingError } from '../../domain/errors.ts';
import { assertSoundBeforeWrite } from '../../domain/safety/integrity.ts';
import { jobs, type JobName, type JobPayload, type JobProgress, type JobResult } from './registry.ts';
import { finishedProgress } from './progress-throttle.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

export interface JobHandle {
  id: string;
  label: string;
}

export interface JobRunner {
  run<N extends JobName>(
    name: N,
    payload: JobPayload<N>,
    options: { label: string; onProgress?: (p: JobProgress & { id: string }) => void },
  ): Promise<JobResult<N>>;
}

/** The worker entry sits next to this module in source, or next to the bundle in the built app. */
function workerFile(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'worker.ts'), join(here, 'domain-worker.js')];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`No job worker found next to ${here}.`);
  return found;
}

/**
 * Runs each job in its own worker thread with its own connection, so imports and scoring never
 * block the thread that answers the UI. WAL lets the UI keep reading while a job writes.
 */
export function workerJobRunner(dbPath: string): JobRunner {
  return {
    run(name, payload, { onProgress }) {
      const id = randomUUID();
      return new Promise((resolve, reject) => {
        const worker = new Worker(workerFile(), { workerData: { name, payload, dbPath } satisfies WorkerRequest });
        let settled = false;
        worker.on('message', (reply: WorkerReply) => {
          if (reply.type === 'progress') onProgress?.({ ...reply.progress, id });
          else if (reply.type === 'done') {
            settled = true;
            resolve(reply.result as never);
          } else {
            settled = true;
            reject(reply.userFacing ? new UserFacingError(reply.code, reply.message) : jobFailure(name, reply));
          }
        });
        worker.on('error', (error) => {
          if (!settled) reject(error);
          settled = true;
        });
        worker.on('exit', (code) => {
          if (!settled) reject(new Error(`The ${name} job stopped unexpectedly (exit code ${code}).`));
        });
      });
    },
  };
}

/**
 * A job's unexpected failure, carrying the worker's own stack (where in the job it failed, not
 * where this thread heard of it), so whoever logs it (the dispatcher, a background timer) logs that.
 */
function jobFailure(name: string, reply: Extract<WorkerReply, { type: 'failed' }>): Error {
  const error = new Error(reply.message);
  if (reply.stack) error.stack = `${reply.stack}\n    (in the ${name} job's worker thread)`;
  return error;
}

/** The CLI's runner: the same jobs on the calling thread, against the already open database. */
/** Jobs that bring data in: a damaged book is refused before them, not written into. */
const CHECKED_BEFORE_WRITING: ReadonlySet<JobName> = new Set<JobName>([
  'sync.import',
  'sync.feed',
  'sync.quarantine.retry',
]);

export function inlineJobRunner(dbPath: string): JobRunner {
  return {
    async run(name, payload, { onProgress }) {
      const id = randomUUID();
      const { db, path } = openDatabase(dbPath);
      try {
        // The CLI's data writers check the book first (the app checks it at start-up).
        if (CHECKED_BEFORE_WRITING.has(name)) assertSoundBeforeWrite(db, path);
        const job = jobs[name] as (db: unknown, payload: unknown, progress: (p: JobProgress) => void) => unknown;
        const progress = finishedProgress<JobProgress>((p) => onProgress?.({ ...p, id }));
        const result = (await job(db, payload, progress.report)) as never;
        progress.finish();
        return result;
      } finally {
        db.close();
      }
    },
  };
}
