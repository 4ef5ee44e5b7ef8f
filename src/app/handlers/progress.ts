import type { AppContext } from '../context.ts';
import type { JobProgress } from '../jobs/registry.ts';

/** Turns a job's progress callbacks into progress events with a rate, for the UI's progress bars. */
export function progressReporter(ctx: AppContext, label: string) {
  const started = Date.now();
  return (progress: JobProgress & { id: string }) => {
    const seconds = (Date.now() - started) / 1000;
    ctx.emit({
      type: 'progress',
      jobId: progress.id,
      label,
      processed: progress.processed,
      total: progress.total,
      ratePerSecond: seconds > 0 ? Math.round(progress.processed / seconds) : null,
      done: progress.total !== null && progress.processed >= progress.total,
    });
  };
}
