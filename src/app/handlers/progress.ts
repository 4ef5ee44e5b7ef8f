import type { ProgressEvent } from '../../shared/events.ts';
import type { AppContext } from '../context.ts';
import type { JobProgress } from '../jobs/registry.ts';

/**
 * Turns a job's progress reports into progress events for the UI's bars. The label follows the
 * job (the current file, page or part of a scoring run) and falls back to `label`; the rate is of
 * the current part, so rows read do not lend their pace to accounts scored.
 */
export function progressReporter(ctx: AppContext, label: string) {
  let part = { label: '', unit: undefined as JobProgress['unit'], started: Date.now(), from: 0 };
  return (progress: JobProgress & { id: string }) => {
    const shown = progress.label ?? label;
    if (shown !== part.label || progress.unit !== part.unit)
      part = { label: shown, unit: progress.unit, started: Date.now(), from: progress.processed };
    const seconds = (Date.now() - part.started) / 1000;
    const event: ProgressEvent = {
      type: 'progress',
      jobId: progress.id,
      title: label,
      label: shown,
      processed: progress.processed,
      total: progress.total,
      ...(progress.unit ? { unit: progress.unit } : {}),
      ratePerSecond: seconds > 0 ? Math.round((progress.processed - part.from) / seconds) : null,
      done: progress.done ?? (progress.total !== null && progress.processed >= progress.total),
    };
    ctx.emit(event);
  };
}
