import type { JobProgress } from './registry.ts';

export interface WorkerRequest {
  name: string;
  payload: unknown;
  dbPath: string;
}

export type WorkerReply =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; message: string; code: string; userFacing: boolean };
