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
 * failure (the scoring thread then fits itself).
 */
import { workerData } from 'node:worker_threads';
import type { Db } from '../../db/open.ts';
import {
  DONE,
  READY,
  STATE,
  WEIGHTS,
  type FitWorkerAnswer,
  type FitWorkerData,
  type FitWorkerWeights,
} from './fit-protocol.ts';

const data = workerData as FitWorkerData;
const state = new Int32Array(data.state);

function signal(value: number): void {
  Atomics.store(state, STATE, value);
  Atomics.notify(state, STATE);
}

async function fit(): Promise<FitWorkerAnswer> {
  let db: Db | null = null;
  try {
    const { default: Database } = await import('better-sqlite3');
    const { fitChurnModel } = await import('./churn-model.ts');
    db = new Database(data.dbPath, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    db.pragma('temp_store = MEMORY');
    // The snapshot is taken by the first read of the transaction, before the scoring thread writes.
    db.exec('BEGIN');
    db.prepare('SELECT count(*) FROM accounts').get();
    signal(READY);
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
