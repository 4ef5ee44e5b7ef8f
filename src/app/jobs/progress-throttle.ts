import type { JobProgress } from './registry.ts';

/**
 * Passes a job's progress reports on a few times a second rather than once per row, but never
 * drops one that starts a part of the job (a new label or unit), fills its count, or says whether
 * the job is done: a bar must not sit on "Importing events.csv 100%" while the book is scored.
 */
export function throttledProgress(
  send: (progress: JobProgress) => void,
  everyMs = 100,
): (progress: JobProgress) => void {
  let last = -Infinity;
  let label: string | undefined;
  let unit: string | undefined;
  return (progress) => {
    const now = Date.now();
    // A notice (a feed retry, a long wait) is a line of its own where no bar is drawn: never dropped.
    const turn = progress.label !== label || progress.unit !== unit || progress.notice !== undefined;
    if (turn || progress.done === true || progress.processed === progress.total || now - last >= everyMs) {
      last = now;
      label = progress.label;
      unit = progress.unit;
      send(progress);
    }
  };
}

/**
 * Follows a job's reports and, once the job has returned, sends its last count again marked done
 * (under the job's own label) when the job did not say so itself: the last part of a scoring run is
 * "Saving the ranked list", and a screen must see the job finish, not wait for it to go quiet.
 */
export function finishedProgress<T extends JobProgress>(send: (progress: T) => void) {
  let last: T | null = null;
  return {
    report(progress: T) {
      last = progress;
      send(progress);
    },
    finish() {
      if (last === null || last.done === true) return;
      const { label: _label, ...count } = last;
      send({ ...count, done: true } as T);
    },
  };
}
