/**
 * What the churn model's fit worker (fit-worker.ts) and the scoring thread (fit-in-worker.ts) tell
 * each other: the request and the state word in a SharedArrayBuffer, the answer on a MessagePort.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ErrorCode } from '../../../shared/error-codes.ts';
import type { FitRequest } from './churn-model.ts';
import type { ModelChoice } from './fit.ts';

/** Index of the state word in the shared Int32Array. */
export const STATE = 0;
/** The worker holds its read transaction: the scoring thread may write from now on. */
export const READY = 1;
/** The answer is on the port (the worker has ended its read). */
export const DONE = 2;

export interface FitWorkerData {
  dbPath: string;
  request: FitRequest;
  /** One Int32: the state (0, READY, DONE). */
  state: SharedArrayBuffer;
  port: MessagePort;
}

export type FitWorkerAnswer =
  | { ok: true; choice: ModelChoice }
  | {
      ok: false;
      /** A UserFacingError thrown by the fit: its sentence reaches the user as it is. */
      userFacing: { code: ErrorCode; message: string } | null;
      message: string;
      stack: string | null;
    };
