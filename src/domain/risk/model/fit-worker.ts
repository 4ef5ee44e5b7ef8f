/**
 * Worker thread entry: fits the churn model (fitChurnModel in churn-model.ts) on its own read-only
 * connection to the book, while the scoring thread works beside it (fit-in-worker.ts). The fitted
 * component weights are posted as soon as they are known, so the day's pass starts with them while
 * the rest of the fit (the learned model, its backtest and replay) goes on here. The fit
 * reads inside one read transaction, begun before it says READY: WAL keeps that snapshot whatever
 * the scoring thread writes afterwards (the series cache, history), so the fit's inputs are the
 * book as it was when the run began, as when the fit ran first on the scoring thread.
 *
 * Everything is loaded inside the try, so a module that fails to load is answered like any other
 * failure (the scoring thread then fits itself). Once the whole answer is posted, the worker reads
 * the pass's uncached series beside it until the pass ends (series-prefetch.ts), when asked to.
 */
import { workerData } from 'node:worker_threads';
import type { Db } from '../../db/open.ts';
import {
  DONE,
  END,
  ENDED,
  READY,
  STATE,
  WEIGHTS,
  type FitWorkerAnswer,
  type FitWorkerData,
  type FitWorkerWeights,
} from './fit-protocol.ts';

const data = workerData as FitWorkerData;
const state = new Int32Array(data.state);

/** The end word, also when the thread leaves another way (a test's process.exit, an uncaught error). */
function ended(): void {
  Atomics.store(state, END, ENDED);
  Atomics.notify(state, END);
}
process.once('exit', ended);

function signal(value: number): void {
  Atomics.store(state, STATE, value);
  Atomics.notify(state, STATE);
}

/** A read-only connection to the book. */
async function openBook(): Promise<() => Db> {
  const { default: Database } = await import('better-sqlite3');
  return () => {
    const db = new Database(data.dbPath, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    db.pragma('temp_store = MEMORY');
    return db;
  };
}

/**
 * The series read beside the pass (series-prefetch.ts), when the scoring thread asked for it. Its
 * failures are its own: the pass then reads what it lacks itself, whatever the fit does.
 */
async function prefetcher(): Promise<Prefetcher | null> {
  if (!data.prefetch) return null;
  const { prefetchBesidePass } = await import('../series-prefetch.ts');
  const reader = prefetchBesidePass(await openBook(), data.prefetch, stopAfter());
  const quietly = (untilEnd: boolean) => {
    try {
      reader.run(untilEnd);
    } catch {
      reader.close();
    }
  };
  return { run: quietly, close: () => reader.close() };
}

/** Tests only: the worker thread ends after posting this many chunks, as a worker that dies would. */
function stopAfter(): (() => void) | undefined {
  const after = Number(process.env.FORESIGHT_TEST_PREFETCH_STOP_AFTER);
  if (!Number.isInteger(after) || after < 0) return undefined;
  let posted = 0;
  return () => {
    if (++posted >= after) process.exit(0);
  };
}

interface Prefetcher {
  run(untilEnd: boolean): void;
  close(): void;
}

let prefetch = null as Prefetcher | null;

async function fit(): Promise<FitWorkerAnswer> {
  let db: Db | null = null;
  try {
    db = (await openBook())();
    // The snapshot is taken by the first read of the transaction, before the scoring thread writes.
    db.exec('BEGIN');
    db.prepare('SELECT count(*) FROM accounts').get();
    signal(READY);
    // Performance (issue 13): the fit's modules load after READY, while the scoring thread, which
    // waits for READY, already fills the series cache. Loaded first, they kept it waiting 0.84–0.96 s
    // of a fresh 50,000-account book's first run (from the sources; 0.06–0.31 s now).
    const { fitChurnModel } = await import('./churn-model.ts');
    prefetch = await prefetcher().catch(() => null);
    // Posted before WEIGHTS is signalled, as the answer before DONE (below).
    const choice = fitChurnModel(db, data.request, (weights) => {
      // The rest of the fit works on the samples in memory: the read ends here, so the snapshot
      // does not hold back the checkpoints of what the pass writes meanwhile.
      db?.exec('COMMIT');
      data.port.postMessage({ weights } satisfies FitWorkerWeights);
      signal(WEIGHTS);
    });
    if (db.inTransaction) db.exec('COMMIT');
    return { ok: true, choice };
  } catch (error) {
    const { isUserFacing } = await import('../../errors.ts');
    const e = error instanceof Error ? error : new Error(String(error));
    return {
      ok: false,
      userFacing: isUserFacing(e) ? { code: e.code, message: e.message } : null,
      message: e.message,
      stack: e.stack ?? null,
    };
  } finally {
    db?.close();
  }
}

const answer = await fit();
// Posted before DONE is signalled, so the scoring thread finds it on its port when it sees DONE.
data.port.postMessage(answer);
signal(DONE);
// Then the pass's series, until it ends; a failure here only means the pass reads them itself.
prefetch?.run(true);
prefetch?.close();
// Nothing left open: the thread ends by itself, and the scoring thread, which waits for this word
// instead of terminating the thread, may go on (fit-in-worker.ts).
data.port.close();
data.prefetch?.port.close();
ended();
