/** Entry point of a job worker thread: open a connection, run one job, report, exit. */
import { parentPort, workerData } from 'node:worker_threads';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { toUserFacing } from '../../domain/failure-sentence.ts';
import { jobs, type JobProgress } from './registry.ts';
import { finishedProgress, throttledProgress } from './progress-throttle.ts';
import type { WorkerReply, WorkerRequest } from './worker-protocol.ts';

const request = workerData as WorkerRequest;
const post = (reply: WorkerReply) => parentPort?.postMessage(reply);

async function main(): Promise<void> {
  const { db } = openDatabase(request.dbPath);
  try {
    const job = jobs[request.name as keyof typeof jobs] as
      ((db: unknown, payload: unknown, progress: (p: JobProgress) => void) => unknown) | undefined;
    if (!job) throw new Error(`Unknown job ${request.name}.`);
    const progress = finishedProgress(throttledProgress((report) => post({ type: 'progress', progress: report })));
    const result = await job(db, request.payload, progress.report);
    progress.finish();
    post({ type: 'done', result });
  } finally {
    closeDatabase(db);
  }
}

main().catch((error: unknown) => {
  // A SQLite or file-system failure crosses the thread boundary as its sentence, not a bare message.
  const explained = toUserFacing(error, { dbPath: request.dbPath });
  if (!explained) console.error(`[job] ${request.name} failed:`, error);
  post({
    type: 'failed',
    message: explained?.message ?? (error instanceof Error ? error.message : String(error)),
    code: explained?.code ?? 'JOB_FAILED',
    userFacing: explained !== null,
    // A bug's stack crosses the thread boundary, so the main log shows where in the job it failed.
    ...(explained === null && error instanceof Error && error.stack ? { stack: error.stack } : {}),
  });
});
