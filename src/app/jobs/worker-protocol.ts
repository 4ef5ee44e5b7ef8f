import type { ErrorCode } from '../../shared/error-codes.ts';
import type { JobProgress } from './registry.ts';

export interface WorkerRequest {
  name: string;
  payload: unknown;
  dbPath: string;
}

export type WorkerReply =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; message: string; code: ErrorCode; userFacing: boolean; stack?: string };
