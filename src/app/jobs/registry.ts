import type { ProgressUnit } from '../../shared/events.ts';
import type { Db } from '../../domain/db/open.ts';
import { demoJobs } from './demo.ts';
import { exportJobs } from './export.ts';
import { outcomeJobs } from './outcomes.ts';
import { riskJobs } from './risk.ts';
// After risk.ts: its step applies colleagues' item actions to the items scoring opens.
import './item-actions.ts';
import { runFeedJob, runImportJob, runRetryJob } from './sync-jobs.ts';

export interface JobProgress {
  processed: number;
  total: number | null;
  /** Replaces the job's label while this part runs, e.g. "Importing accounts.csv (2 of 3)". */
  label?: string;
  /** What processed and total count in this part. */
  unit?: ProgressUnit;
  /**
   * false while parts are still to come though this one's count is full (a job that imports, then
   * scores); true on the job's last report. Absent: done once processed reaches a known total.
   */
  done?: boolean;
  /** A line worth printing even where no progress bar is drawn: a feed retry, a long wait. */
  notice?: string;
}

export type JobFn<P, R> = (db: Db, payload: P, progress: (p: JobProgress) => void) => R | Promise<R>;

/**
 * Long-running work by name. Each job takes plain, structured-cloneable data so that it can run
 * in a worker thread (the app) or in-process (the CLI) without change.
 */
export const jobs = {
  ...demoJobs,
  ...exportJobs,
  ...outcomeJobs,
  // --- risk ---
  ...riskJobs,
  // --- sync ---
  'sync.import': runImportJob,
  'sync.feed': runFeedJob,
  'sync.quarantine.retry': runRetryJob,
} as const;

export type JobName = keyof typeof jobs;
export type JobPayload<N extends JobName> = Parameters<(typeof jobs)[N]>[1];
export type JobResult<N extends JobName> = Awaited<ReturnType<(typeof jobs)[N]>>;
