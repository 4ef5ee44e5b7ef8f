/**
 * A full, memory-reducing garbage collection between the phases of a whole-book scoring run
 * (issue 16: peak RSS ≤ 1 GB at 100,000 accounts; docs/performance.md, "Peak memory").
 *
 * V8 collects when its heap fills, not when a phase ends: after the pass, most of the heap it has
 * committed is garbage of the pass (each chunk's bundles, evaluations and JSON), and V8 keeps those
 * pages, with room to spare, while the next phase (the model's whole-book features, the day's write)
 * commits more beside them. A collection at the boundary gives the pages back first; it costs a few
 * hundred milliseconds at 100,000 accounts, against minutes of work around it.
 *
 * `gc` is only a global when Node starts with --expose-gc; the flag turned on for a moment and a
 * new context give the same function without it (the way Jest's leak detector reaches it), and
 * the flag is turned off again so that no later context sees a `gc` global.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = (options?: {
  type?: 'major' | 'minor';
  execution?: 'sync' | 'async';
  flavor?: 'regular' | 'last-resort';
}) => void;

let collect: Collect | null | undefined;

function collector(): Collect | null {
  if (collect !== undefined) return collect;
  const exposed = (globalThis as { gc?: Collect }).gc;
  if (typeof exposed === 'function') return (collect = exposed);
  try {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as Collect;
    setFlagsFromString('--no-expose-gc');
  } catch {
    collect = null;
  }
  return collect;
}

/** Below this many accounts a run's heap is small enough that a collection would only cost time. */
export const RECLAIM_MIN_ACCOUNTS = 10_000;

/** Accounts read between two collections in the pass. */
export const RECLAIM_EVERY = 25_000;

/** Collects all garbage now, for a run over `accounts` accounts (nothing for a small one). */
export function reclaimMemory(accounts: number): void {
  if (accounts < RECLAIM_MIN_ACCOUNTS) return;
  // 'last-resort': the collection V8 makes before it gives up on memory, which also returns the
  // free pages to the system; a regular one frees the objects but keeps the pages.
  collector()?.({ type: 'major', execution: 'sync', flavor: 'last-resort' });
}

type Progress = ((processed: number, total: number) => void) | undefined;

/**
 * How much V8 lets the heap grow past what a collection left alive during the pass, in percent.
 * By default it grows the limit by up to 4× when collections are cheap against the work between
 * them, and the pass's garbage (each chunk's bundles and history, promoted before they die) filled
 * 450 MB between two collections at 100,000 accounts; at 30% it collects sooner, on its own.
 * The flag is the process's: a second whole-book run at the same time (two books open in the app)
 * shares it, and whichever pass ends first turns it back; either way only when V8 collects changes.
 */
export const PASS_HEAP_GROWING_PERCENT = 30;

/**
 * A whole-book run's collections over `accounts` accounts: one now (after the run's plan and the
 * model's fit), one every RECLAIM_EVERY accounts of the pass, through its progress callback (the
 * pending results stay, each chunk's garbage goes), and one at each `now()` (the end of the pass,
 * the end of the features). The heap grows by PASS_HEAP_GROWING_PERCENT until the first `now()`.
 */
export function passReclaimer(
  accounts: number,
  collect: (accounts: number) => void = reclaimMemory,
): { progress: (inner: Progress) => Progress; now: () => void } {
  collect(accounts);
  const growing = accounts >= RECLAIM_MIN_ACCOUNTS;
  if (growing) setFlagsFromString(`--heap-growing-percent=${PASS_HEAP_GROWING_PERCENT}`);
  let last = 0;
  return {
    progress: (inner) => (processed, total) => {
      if (processed - last >= RECLAIM_EVERY && processed < total) {
        last = processed;
        collect(accounts);
      }
      inner?.(processed, total);
    },
    now: () => {
      // V8's own heuristics again (0: not set).
      if (growing) setFlagsFromString('--heap-growing-percent=0');
      collect(accounts);
    },
  };
}
