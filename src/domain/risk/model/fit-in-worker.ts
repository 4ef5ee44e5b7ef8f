/**
 * The churn model's fit beside the scoring thread (issue 13: a fresh book's first run waited ~10
 * CPU-s for the fit, on one of two cores, before its pass began). fitBeside starts fit-worker.ts on
 * the book's file and returns once the worker holds its read transaction, so the caller may write
 * from then on (the worker still reads the book as it was). The fit answers in two stages: the
 * component weights (weights(), what the day's pass needs), then the whole model choice (result(),
 * what the run needs after its pass); the caller works meanwhile, polling weightsReady() and done().
 * With `prefetch`, the worker then reads the pass's series beside it (series-prefetch.ts) and is
 * ended once the run has both its model and the end of its pass (prefetch.end()).
 *
 * Synchronous, like the scoring run that calls it: the thread blocks in Atomics.wait, which is
 * fine where scoring runs (a job worker or the CLI, never a thread that draws a window).
 *
 * Failures: a UserFacingError thrown by the fit is thrown here with its sentence. Anything else
 * (no worker file, a worker that does not start, a SQLite or module error in the worker, an
 * in-memory book, a caller inside a transaction) is not the user's problem: the model is fitted on this thread instead, as it was
 * before, and whatever that throws takes the usual way to the user.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Db } from '../../db/open.ts';
import { UserFacingError } from '../../errors.ts';
import { PREFETCH_WORDS, prefetchFeed, type PrefetchFeed } from '../series-prefetch.ts';
import { fitChurnModel, type FitRequest } from './churn-model.ts';
import type { ModelChoice } from './fit.ts';
import type { WeightsFit } from './component-weights.ts';
import {
  DONE,
  END,
  ENDED,
  READY,
  STATE,
  STATE_WORDS,
  WEIGHTS,
  type FitWorkerAnswer,
  type FitWorkerData,
  type FitWorkerWeights,
} from './fit-protocol.ts';

/** A worker that has not begun its read this long after it was started is given up on. */
const START_MS = 30_000;
/**
 * A worker that has begun but not answered this long after is given up on and the fit runs here.
 * The fit works on a bounded sample (seconds at 50,000 accounts), so this only fires when the
 * worker died without a word (the runtime ends a worker that runs out of memory, and this thread,
 * blocked in Atomics.wait, cannot hear its exit event).
 */
const ANSWER_MS = 10 * 60_000;
/**
 * How long the end of a run waits for the worker to leave by itself once told nothing more is
 * needed (it stops its series read at the next row: milliseconds). Past it, it is terminated.
 */
const END_MS = 5_000;
/**
 * The worker's young generation, in MB: it runs beside the pass, so its peak adds to the pass's.
 * Most of what the fit allocates is short-lived (rows, folds); V8's default lets that space grow.
 */
const WORKER_YOUNG_GENERATION_MB = 16;

export interface FitBeside {
  /** Where the model is being fitted: 'worker', or 'thread' (this one, at weights() or result()). */
  readonly where: 'worker' | 'thread';
  /** Whether weights() returns without waiting. */
  weightsReady(): boolean;
  /**
   * The fitted component weights, the fit's first stage (null: none fitted): all a day's pass needs
   * of the model, so it may start while the worker goes on with the rest. Waits for them.
   */
  weights(): WeightsFit | null;
  /** Whether result() returns without waiting. */
  done(): boolean;
  /** The fitted model choice (waits for the worker; fits on this thread if the worker failed). */
  result(): ModelChoice;
  /** Why the worker was not used or failed, in words (null: it answered). For logs and tests. */
  readonly fallbackReason: string | null;
  /** The series read beside the pass, when asked for and the fit runs in a worker (series-prefetch.ts). */
  readonly prefetch: PrefetchFeed | null;
  /**
   * How the worker ended once the run needed nothing more of it: 'left' by itself (its connections
   * closed), or 'terminated' (it did not leave in time). Null while it runs, or without a worker.
   */
  readonly ending: 'left' | 'terminated' | null;
}

export interface FitBesideOptions {
  /** false: fit on this thread. */
  worker?: boolean;
  /** The worker also reads the pass's uncached series once the fit is done (series-prefetch.ts). */
  prefetch?: boolean;
}

/**
 * The worker's entry sits next to this module in source; in a build it is an entry of its own
 * beside the bundle, and this module is in that folder or in its chunks/ folder.
 */
function workerFile(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  return (
    [join(here, 'fit-worker.ts'), join(here, 'fit-worker.js'), join(here, '..', 'fit-worker.js')].find((file) =>
      existsSync(file),
    ) ?? null
  );
}

/** Fits on this thread, once, when the weights or the result are asked (nothing to wait for). */
function onThisThread(db: Db, request: FitRequest, reason: string): FitBeside {
  let choice: ModelChoice | undefined;
  const result = () => (choice ??= fitChurnModel(db, request));
  return {
    where: 'thread',
    weightsReady: () => true,
    weights: () => result().weights,
    done: () => true,
    result,
    fallbackReason: reason,
    prefetch: null,
    ending: null,
  };
}

/** Waits until a shared word (the state word unless said) reaches `at least`, or `timeoutMs` passes. */
function waitFor(state: Int32Array, atLeast: number, timeoutMs: number, word = STATE): boolean {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const now = Atomics.load(state, word);
    if (now >= atLeast) return true;
    const left = until - performance.now();
    if (left <= 0) return false;
    Atomics.wait(state, word, now, Math.min(1000, left));
  }
}

export function fitBeside(db: Db, request: FitRequest, options: FitBesideOptions = {}): FitBeside {
  if (options.worker === false) return onThisThread(db, request, 'asked to fit on this thread');
  if (db.memory) return onThisThread(db, request, 'the book is in memory');
  // With one core the worker could only take turns with this thread, and would add its start-up.
  if (availableParallelism() < 2) return onThisThread(db, request, 'the machine has a single core');
  // Another connection would not see what this one's open transaction has written.
  if (db.inTransaction) return onThisThread(db, request, 'the caller holds a transaction open');
  const file = workerFile();
  if (!file) return onThisThread(db, request, 'the fit worker is not installed');
  const state = new Int32Array(new SharedArrayBuffer(4 * STATE_WORDS));
  const { port1, port2 } = new MessageChannel();
  const data: FitWorkerData = { dbPath: db.name, request, state: state.buffer as SharedArrayBuffer, port: port2 };
  // The series read beside the pass: a channel and shared words of its own.
  const series = options.prefetch
    ? { state: new Int32Array(new SharedArrayBuffer(4 * PREFETCH_WORDS)), ...new MessageChannel() }
    : null;
  if (series) data.prefetch = { state: series.state.buffer as SharedArrayBuffer, port: series.port2 };
  let worker: Worker;
  try {
    worker = new Worker(file, {
      workerData: data,
      transferList: series ? [port2, series.port2] : [port2],
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    });
  } catch (error) {
    port1.close();
    series?.port1.close();
    return onThisThread(db, request, `the fit worker did not start (${(error as Error).message})`);
  }
  worker.unref();
  // A failure in the worker reaches this thread through the shared words and the answer (a worker
  // that dies is waited for, then fitted for here). The error event, delivered once this thread is
  // back in its event loop, must not end the process that is scoring.
  worker.on('error', () => undefined);
  // The worker is released once the run is done with both the fit and the pass's series.
  let fitEnded = false;
  let seriesEnded = series === null;
  // The worker leaves by itself (fit-worker.ts): terminated only when it does not, as one that is
  // stuck or gone. Terminating a worker inside a better-sqlite3 call can abort the whole process.
  let ending: FitBeside['ending'] = null;
  const release = () => {
    if (!fitEnded || !seriesEnded || ending) return;
    port1.close();
    series?.port1.close();
    ending = waitFor(state, ENDED, END_MS, END) ? 'left' : 'terminated';
    if (ending === 'terminated') void worker.terminate();
  };
  if (!waitFor(state, READY, START_MS)) {
    port1.close();
    series?.port1.close();
    void worker.terminate();
    return onThisThread(db, request, 'the fit worker did not begin its read in time');
  }
  const feed = series ? prefetchFeed(db, series.state, series.port1) : null;
  const prefetch: PrefetchFeed | null = feed && {
    start: feed.start,
    take: feed.take,
    counts: feed.counts,
    end() {
      feed.end();
      seriesEnded = true;
      release();
    },
  };
  const stopFit = () => {
    fitEnded = true;
    release();
  };
  return fromWorker(db, request, state, port1, stopFit, prefetch, () => ending);
}

/** The worker's two answers: the weights (or a failure before them), then the whole fit (or a failure). */
function fromWorker(
  db: Db,
  request: FitRequest,
  state: Int32Array,
  port: MessagePort,
  stop: () => void,
  prefetch: PrefetchFeed | null,
  ending: () => FitBeside['ending'],
): FitBeside {
  let fallbackReason: string | null = null;
  /** undefined: not received yet. */
  let early: WeightsFit | null | undefined;
  let answer: FitWorkerAnswer | null | undefined;
  let choice: ModelChoice | undefined;
  const fitHere = (reason: string): ModelChoice => {
    stop();
    fallbackReason = reason;
    return fitChurnModel(db, request);
  };
  const finish = (): ModelChoice => {
    if (answer === undefined && !waitFor(state, DONE, ANSWER_MS))
      return fitHere('the fit worker did not answer in time');
    answer ??= receive(port) as FitWorkerAnswer | null;
    stop();
    if (answer?.ok) return answer.choice;
    if (answer?.userFacing) throw new UserFacingError(answer.userFacing.code, answer.userFacing.message);
    return fitHere(answer ? `the fit worker failed: ${answer.message}` : 'the fit worker sent no answer');
  };
  const weights = (): WeightsFit | null => {
    if (early !== undefined) return early;
    if (!waitFor(state, WEIGHTS, ANSWER_MS)) {
      choice = fitHere('the fit worker did not answer in time');
      return (early = choice.weights);
    }
    const message = receive(port);
    if (message && !('ok' in message)) return (early = message.weights);
    // The fit failed (or ended) before its weights: the message is its answer.
    answer = message;
    choice = finish();
    return (early = choice.weights);
  };
  return {
    where: 'worker',
    weightsReady: () => early !== undefined || Atomics.load(state, STATE) >= WEIGHTS,
    weights,
    done: () => choice !== undefined || Atomics.load(state, STATE) >= DONE,
    result() {
      // The weights' message comes first on the port.
      weights();
      return (choice ??= finish());
    },
    get fallbackReason() {
      return fallbackReason;
    },
    prefetch,
    get ending() {
      return ending();
    },
  };
}

function receive(port: MessagePort): FitWorkerWeights | FitWorkerAnswer | null {
  const received = receiveMessageOnPort(port);
  return received ? (received.message as FitWorkerWeights | FitWorkerAnswer) : null;
}
