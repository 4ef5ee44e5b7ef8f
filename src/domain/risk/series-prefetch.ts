/**
 * The series read beside the pass (issue 13, a fresh book's first run). Once the fit worker has
 * posted its component weights and the rest of its fit, it is idle while the scoring thread walks
 * the metric rows of every account the series cache does not hold (the larger part of a fresh
 * book's pass). So the worker runs that walk ahead of the pass: for each chunk of the pass, the
 * same statement with the same parameters (load-sql.ts, everySeries beside the cache), its rows parsed
 * into typed arrays (walked-series.ts) and posted on a MessagePort of their own. The pass, reaching
 * a chunk, takes the posted walk instead of running the statement; it still reads the accounts,
 * contacts, events and cached series itself, folds the aggregates and writes the cache as before.
 *
 * Exactness: the posted rows are what the pass's statement would return when the pass reaches the
 * chunk, because
 * - the statement reads `accounts`, `metrics` and `series_cache` of the chunk's accounts only, and
 *   within a run nothing on the scoring thread writes those for a chunk ahead of the pass: the pass
 *   writes a chunk's cache rows when it reads that chunk, the warm-up (run-model.ts) is over before
 *   the plan is posted, and the day itself is written after the pass (the invariant the prefetch
 *   relies on; test/integration/series-prefetch.test.ts watches every cache write of a run);
 * - any other connection's commit changes the scoring connection's `PRAGMA data_version`: read
 *   before the plan is posted (so before any read of the worker) and again inside the chunk's write
 *   transaction (so no commit can come between it and the pass's own reads); a chunk is taken only
 *   when they are equal, else the pass reads it itself, and every chunk after it.
 *
 * A chunk that is not posted when the pass reaches it is read by the pass, unless the worker is
 * walking that very chunk at that moment (WALKING): the pass then waits for it (at most WAIT_MS),
 * which costs it less than walking the chunk itself (the rest of the worker's walk, against the
 * whole walk), and neither side walks a chunk the other walks. Measured (issue 13, a fresh
 * 50,000-account book's first run, thread CPU): before, the two raced for the same chunks once the
 * worker was back from the fit, and the worker threw away 2–5 walks (~0.2 CPU-s each) of chunks
 * the pass had walked itself meanwhile. The worker does not start on the chunk the pass reads next
 * when it has nothing posted ahead of it (the pass would wait for most of the walk): the pass walks
 * that one while the worker walks the next and gets ahead again (a chunk costs about the same
 * CPU walked on either side, so the two cores share the walks rather than one waiting). Memory is
 * bounded: the worker holds at most WINDOW posted chunks ahead of the pass and waits on the shared
 * pass word when it has that many.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { Db } from '../db/open.ts';
import { everySeries } from './load-sql.ts';
import type { LoadWindow } from './load.ts';
import { packWalk, seriesParams, type WalkedChunk, type WalkedRow } from './walked-series.ts';

/** Posted chunks the worker may hold ahead of the pass (a chunk of 1,000 fresh accounts: ~5–10 MB). */
export const WINDOW = 8;

/** The shared words (an Int32Array over a SharedArrayBuffer). */
const PLAN = 0; // 1: the plan is on the port
const PASS = 1; // the index of the chunk the pass reads next (chunks before it are taken or read)
const POSTED = 2; // one more than the highest chunk index posted
const STOP = 3; // 1: the pass needs nothing more
const WALKING = 4; // one more than the index of the chunk the worker is walking now (0: none)
export const PREFETCH_WORDS = 5;
/** The words' places, for a test that plays the worker's side by hand. */
export const PREFETCH_WORD = { PLAN, PASS, POSTED, STOP, WALKING } as const;

/**
 * The longest the pass waits for the chunk the worker is walking (its walk takes ~0.2 CPU-s at
 * 1,000 accounts): past it the pass walks the chunk itself, so a worker that died mid-walk costs
 * this once, nothing more.
 */
const WAIT_MS = 3000;

/** The plan, posted by the scoring thread as its pass begins. */
export interface PrefetchPlan {
  /** Each chunk's first and last account id, in the pass's order. */
  chunks: [lo: string, hi: string][];
  /** The walk's parameters but its bounds (seriesParams). */
  params: ReturnType<typeof seriesParams>;
}

/** What the worker is given: the shared words and its end of the channel. */
export interface PrefetchChannel {
  state: SharedArrayBuffer;
  port: MessagePort;
}

/** The worker waits this long for a plan or for the pass to move before it gives up. */
const IDLE_MS = 5 * 60_000;

function waitWhile(state: Int32Array, word: number, busy: () => boolean): boolean {
  const until = performance.now() + IDLE_MS;
  while (busy()) {
    if (Atomics.load(state, STOP) === 1) return false;
    const left = until - performance.now();
    if (left <= 0) return false;
    Atomics.wait(state, word, Atomics.load(state, word), Math.min(1000, left));
  }
  return Atomics.load(state, STOP) !== 1;
}

/**
 * The rows until the pass says stop: the worker then leaves its walk at the next row rather than
 * finishing the chunk, so the run's end does not wait for it (fit-in-worker.ts).
 */
function* untilStopped<T>(rows: Iterable<T>, state: Int32Array): Generator<T> {
  for (const row of rows) {
    if (Atomics.load(state, STOP) === 1) return;
    yield row;
  }
}

/**
 * The worker's side: run(untilEnd) waits for the plan, then walks the chunks ahead of the pass on
 * its own read-only connection (`open`), until the last chunk or the pass says stop; with untilEnd
 * false it returns as soon as it holds WINDOW chunks (the worker has other work), with true it
 * waits for the pass to take them. close() ends its connection.
 */
export function prefetchBesidePass(open: () => Db, channel: PrefetchChannel, posted?: () => void) {
  const state = new Int32Array(channel.state);
  let plan: PrefetchPlan | null = null;
  let db: Db | null = null;
  let next = 0;
  const held: number[] = [];
  const holding = () => {
    const pass = Atomics.load(state, PASS);
    while (held.length > 0 && (held[0] as number) < pass) held.shift();
    return held.length >= WINDOW;
  };
  const run = (untilEnd: boolean): void => {
    if (!plan) {
      if (!waitWhile(state, PLAN, () => Atomics.load(state, PLAN) === 0)) return;
      plan = (receiveMessageOnPort(channel.port)?.message as PrefetchPlan | undefined) ?? null;
      if (!plan) return;
      db = open();
    }
    const walk = everySeries(db as Db, true);
    for (; next < plan.chunks.length; next++) {
      if (Atomics.load(state, STOP) === 1) return;
      if (holding() && (!untilEnd || !waitWhile(state, PASS, holding))) return;
      // The chunk the pass reads next, at the earliest (those before it are taken or read). Claimed
      // (WALKING) before PASS is looked at again: a pass that has reached it by then reads it
      // itself, and one that reaches it later sees the claim and waits for it.
      const pass = Atomics.load(state, PASS);
      next = Math.max(next, pass);
      // With nothing posted ahead of the pass, the pass would wait for most of this walk (it takes
      // a posted chunk in less time than the worker walks one): it walks that chunk itself instead,
      // while the worker walks the one after it and gets ahead again.
      if (next === pass && pass > 0 && Atomics.load(state, POSTED) <= pass) next++;
      if (next >= plan.chunks.length) break;
      Atomics.store(state, WALKING, next + 1);
      if (next < Atomics.load(state, PASS)) {
        walked(null);
        next--;
        continue;
      }
      const [lo, hi] = plan.chunks[next] as [string, string];
      let chunk: WalkedChunk;
      try {
        chunk = packWalk(next, untilStopped(walk.iterate({ lo, hi, ...plan.params }) as Iterable<WalkedRow>, state));
      } catch (error) {
        // A pass waiting for this chunk walks it itself at once rather than after WAIT_MS.
        walked(null);
        throw error;
      }
      // Told to stop mid-walk: the walk is cut short, and nobody takes it.
      if (Atomics.load(state, STOP) === 1) {
        walked(null);
        return;
      }
      // The pass went past it meanwhile (it waited no longer and walked it itself).
      if (next < Atomics.load(state, PASS) - 1) {
        walked(null);
        continue;
      }
      walked(chunk);
      posted?.();
    }
  };
  /** Posts a walked chunk (null: none), then says the walk is over, waking a pass that waits for it. */
  const walked = (chunk: WalkedChunk | null) => {
    if (chunk) {
      // A chunk without rows (its accounts all cached) holds no memory: not counted in the window.
      if (chunk.meta.length > 0) held.push(chunk.index);
      channel.port.postMessage(chunk, [chunk.meta.buffer as ArrayBuffer, chunk.values.buffer as ArrayBuffer]);
      Atomics.store(state, POSTED, chunk.index + 1);
    }
    Atomics.store(state, WALKING, 0);
    Atomics.notify(state, POSTED);
  };
  const close = () => {
    if (db?.open) db.close();
  };
  return { run, close };
}

/** The scoring thread's side: the plan, and each chunk's walk if it was read beside the pass. */
export interface PrefetchFeed {
  /** Posts the plan: the pass's chunks (of its ids) and its window. Call once, before the pass's first read. */
  start(ids: readonly string[], chunkSize: number, window: LoadWindow, aggregates: { from: number }): void;
  /**
   * The walk of chunk `index` when the worker has posted it and no other connection has committed
   * since the plan (else null: the pass walks it itself). Call inside the chunk's write transaction,
   * once per chunk, in order.
   */
  take(index: number): WalkedChunk | null;
  /** Chunks taken and chunks the pass read itself, for the timeline. */
  readonly counts: { taken: number; missed: number; refused: boolean };
  /** The pass is over (or failed): the worker stops. */
  end(): void;
}

export function prefetchFeed(db: Db, state: Int32Array, port: MessagePort): PrefetchFeed {
  const dataVersion = () => db.pragma('data_version', { simple: true }) as number;
  let before: number | null = null;
  /** A chunk received ahead of the one the pass wanted (the worker skipped one the pass was at). */
  let ahead: WalkedChunk | null = null;
  const counts = { taken: 0, missed: 0, refused: false };
  const passAt = (index: number) => {
    Atomics.store(state, PASS, index);
    Atomics.notify(state, PASS);
  };
  /** While the worker walks chunk `index` (and at most WAIT_MS), waits for it to be posted. */
  const waitForWalk = (index: number) => {
    const until = performance.now() + WAIT_MS;
    for (;;) {
      const posted = Atomics.load(state, POSTED);
      if (posted > index || Atomics.load(state, WALKING) !== index + 1) return;
      const left = until - performance.now();
      if (left <= 0) return;
      Atomics.wait(state, POSTED, posted, Math.min(100, left));
    }
  };
  const end = () => {
    Atomics.store(state, STOP, 1);
    Atomics.notify(state, PASS);
    Atomics.notify(state, PLAN);
  };
  return {
    start(ids, chunkSize, window, aggregates) {
      before = dataVersion();
      const chunks: PrefetchPlan['chunks'] = [];
      for (let at = 0; at < ids.length; at += chunkSize)
        chunks.push([ids[at] as string, ids[Math.min(ids.length, at + chunkSize) - 1] as string]);
      const plan: PrefetchPlan = { chunks, params: seriesParams(window, aggregates) };
      port.postMessage(plan);
      Atomics.store(state, PLAN, 1);
      Atomics.notify(state, PLAN);
    },
    take(index) {
      passAt(index + 1);
      if (before === null || counts.refused) return null;
      waitForWalk(index);
      // Chunks come in order; one the pass read itself is dropped here, one ahead of it kept.
      let chunk: WalkedChunk | null = null;
      while (Atomics.load(state, POSTED) > index) {
        ahead ??= (receiveMessageOnPort(port)?.message as WalkedChunk | undefined) ?? null;
        if (ahead === null || ahead.index > index) break;
        if (ahead.index === index) chunk = ahead;
        ahead = null;
        if (chunk) break;
      }
      if (chunk === null) {
        counts.missed++;
        return null;
      }
      if (dataVersion() !== before) {
        // Another connection committed: what the worker read may differ from what the pass would.
        counts.refused = true;
        end();
        return null;
      }
      counts.taken++;
      return chunk;
    },
    counts,
    end,
  };
}
