/**
 * What the churn model's fit worker (fit-worker.ts) and the scoring thread (fit-in-worker.ts) tell
 * each other: the request and the state word in a SharedArrayBuffer; the weights, then the answer,
 * on a MessagePort.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ErrorCode } from '../../../shared/error-codes.ts';
import type { PrefetchChannel } from '../series-prefetch.ts';
import type { FitRequest } from './churn-model.ts';
import type { WeightsFit } from './component-weights.ts';
import type { ModelChoice } from './fit.ts';

/** Index of the state word in the shared Int32Array. */
export const STATE = 0;
/** The worker holds its read transaction: the scoring thread may write from now on. */
export const READY = 1;
/**
 * The fitted component weights are on the port (the fit's first stage): the pass may start with
 * them while the worker goes on with the rest of the fit. A fit that fails before them skips this.
 */
export const WEIGHTS = 2;
/** The answer is on the port (the worker has ended its read). */
export const DONE = 3;
/**
 * Index of the end word: ENDED once the worker has closed its connections and is leaving. The
 * scoring thread waits for it rather than terminating a worker that may be inside a better-sqlite3
 * call (terminating one there can abort the whole process: better-sqlite3 issue 1507).
 */
export const END = 1;
export const ENDED = 1;
/** The shared words' count. */
export const STATE_WORDS = 2;

export interface FitWorkerData {
  dbPath: string;
  request: FitRequest;
  /** STATE_WORDS Int32: the state (0, READY, WEIGHTS, DONE), then the end word. */
  state: SharedArrayBuffer;
  port: MessagePort;
  /** The series read beside the pass once the fit is done (series-prefetch.ts), on a channel of its own. */
  prefetch?: PrefetchChannel;
}

/** The first message of a fit that gets as far as its component weights. */
export interface FitWorkerWeights {
  weights: WeightsFit | null;
}

/** The last message: the whole fit, or why it failed. */
export type FitWorkerAnswer =
  | { ok: true; choice: ModelChoice }
  | {
      ok: false;
      /** A UserFacingError thrown by the fit: its sentence reaches the user as it is. */
      userFacing: { code: ErrorCode; message: string } | null;
      message: string;
      stack: string | null;
    };
