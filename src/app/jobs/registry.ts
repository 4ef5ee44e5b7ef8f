import type { Db } from '../../domain/db/open.ts';
import { clearDemoBook } from '../../domain/demo/clear.ts';
import { loadDemoBook } from '../../domain/demo/load.ts';

export interface JobProgress {
  processed: number;
  total: number | null;
}

export type JobFn<P, R> = (db: Db, payload: P, progress: (p: JobProgress) => void) => R | Promise<R>;

/**
 * Long-running work by name. Each job takes plain, structured-cloneable data so that it can run
 * in a worker thread (the app) or in-process (the CLI) without change.
 */
export const jobs = {
  'demo.load': ((db, payload: { accounts: number; seed: number; asOf: string }, progress) =>
    loadDemoBook(db, { ...payload, onProgress: (processed, total) => progress({ processed, total }) })) satisfies JobFn<
    { accounts: number; seed: number; asOf: string },
    unknown
  >,
  'demo.clear': ((db, _payload: Record<string, never>) => clearDemoBook(db)) satisfies JobFn<Record<string, never>, unknown>,
} as const;

export type JobName = keyof typeof jobs;
export type JobPayload<N extends JobName> = Parameters<(typeof jobs)[N]>[1];
export type JobResult<N extends JobName> = Awaited<ReturnType<(typeof jobs)[N]>>;
