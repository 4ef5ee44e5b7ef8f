/**
 * The rest of the book's score history, filled in the background after the ranked list is stored
 * (issue 16). A whole-book run writes the day only; screens fill the days of the accounts they
 * show (history-fill.ts), and this fills everyone else's soon after, so an account opened later
 * finds its history stored. The app's runner is wrapped (create-app.ts); the CLI's is not: a
 * one-shot command fills on demand only.
 *
 * One fill at a time per runner: a job that stores a ranked list while a fill runs asks for one
 * more afterwards, so the fill always ends on the newest data. The fill itself (the risk.history
 * job, in a worker thread) writes a chunk of accounts per transaction and stops quietly when an
 * import holds the database; that import's job asks for the next fill.
 */
import { todayIso } from '../../domain/contract/dates.ts';
import type { AppContext } from '../context.ts';
import { progressReporter } from '../handlers/progress.ts';
import type { JobResult } from './registry.ts';
import type { JobRunner } from './runner.ts';

/** Jobs after which the ranked list may have new days to fill: whole-book scoring, imports, syncs, the demo. */
export const JOBS_BEFORE_HISTORY: ReadonlySet<string> = new Set([
  'risk.score',
  'sync.import',
  'sync.feed',
  'sync.quarantine.retry',
  'demo.load',
]);

const LABEL = 'Filling score history';

/** The app's runner, and `stop`: no fill starts after it, and a fill still running fails unreported (the app closed). */
export function withHistoryFill(inner: JobRunner, ctx: AppContext): JobRunner & { stop(): void } {
  let running = false;
  let stopped = false;
  let next: string | null = null;
  const start = (asOf: string): void => {
    if (stopped) return;
    if (running) {
      next = asOf;
      return;
    }
    running = true;
    inner
      .run('risk.history', { asOf }, { label: LABEL, onProgress: progressReporter(ctx, LABEL) })
      .catch((error: unknown) => {
        if (!stopped)
          ctx.log(`[risk] filling score history failed: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(() => {
        running = false;
        const again = next;
        next = null;
        if (again !== null) start(again);
      });
  };
  return {
    async run(name, payload, options) {
      const result: JobResult<typeof name> = await inner.run(name, payload, options);
      const { asOf, accountIds } = payload as { asOf?: unknown; accountIds?: unknown };
      // A rescore of a few accounts (after a touch) keeps their history contiguous itself.
      if (JOBS_BEFORE_HISTORY.has(name) && !(name === 'risk.score' && accountIds !== null)) {
        start(typeof asOf === 'string' ? asOf : todayIso(ctx.now()));
      }
      return result;
    },
    stop: () => {
      stopped = true;
    },
  };
}
