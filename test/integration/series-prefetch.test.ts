import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/index.ts';
import { scoreAll, type ScoreAllOptions } from '../../src/domain/risk/score-all.ts';
import {
  PREFETCH_WORD,
  PREFETCH_WORDS,
  prefetchBesidePass,
  prefetchFeed,
  WINDOW,
  type PrefetchFeed,
} from '../../src/domain/risk/series-prefetch.ts';
import { tempDb, tempDir } from '../support/temp.ts';
import { written } from '../support/written-tables.ts';

const AS_OF = '2026-03-31';
const NOW = `${AS_OF}T08:00:00.000Z`;
const CHUNK = 20;
const CHUNKS = 300 / CHUNK;
/** A fresh book's first run, as the app's (the model fitted), over few past days to stay quick. */
const RUN = { asOf: AS_OF, now: NOW, calibrate: 'auto', chunkSize: CHUNK } satisfies ScoreAllOptions;

/**
 * The reader beside the pass, on this thread: a feed for scoreAll and the worker's side, on its own
 * read-only connection, which the test runs between chunks (deterministic, where the worker races).
 * Runs given a feed fit on this thread: no warm-up fills the cache first, so every chunk is walked.
 */
function besideOnThisThread(path: string) {
  const state = new Int32Array(new SharedArrayBuffer(4 * PREFETCH_WORDS));
  const { port1, port2 } = new MessageChannel();
  let book: Db | null = null;
  const reader = prefetchBesidePass(() => (book = new Database(path, { readonly: true, fileMustExist: true }) as Db), {
    state: state.buffer as SharedArrayBuffer,
    port: port2,
  });
  return {
    feed: (db: Db): PrefetchFeed => prefetchFeed(db, state, port1),
    /** Reads up to the window's worth of chunks ahead of the pass. */
    ahead: () => reader.run(false),
    close() {
      reader.close();
      port1.close();
      port2.close();
      return book;
    },
  };
}

/** A first run with the reader on this thread; `between` runs after each chunk (`done`: accounts read). */
function scoreBeside(
  db: Db,
  between: (done: number, ahead: () => void) => void,
  feed = (f: PrefetchFeed): PrefetchFeed => f,
) {
  const beside = besideOnThisThread(db.name);
  try {
    return scoreAll(db, {
      ...RUN,
      fitWorker: false,
      prefetch: feed(beside.feed(db)),
      onProgress: (done) => between(done, beside.ahead),
    });
  } finally {
    beside.close();
  }
}

describe('the series read beside the pass', () => {
  let dir = '';
  let book = '';
  let expected: ReturnType<typeof written>;
  const copy = (name: string): Db => {
    const path = join(tempDir(), name);
    copyFileSync(book, path);
    return openDatabase(path).db;
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'foresight-prefetch-'));
    book = join(dir, 'demo.db');
    const { db } = openDatabase(book, { create: true });
    loadDemoBook(db, { accounts: 300, asOf: AS_OF });
    closeDatabase(db);
    copyFileSync(book, join(dir, 'plain.db'));
    const onThread = openDatabase(join(dir, 'plain.db')).db;
    scoreAll(onThread, { ...RUN, fitWorker: false, prefetch: false });
    expected = written(onThread);
    closeDatabase(onThread);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scores with the walks read beside it exactly as walking them itself, row for row', () => {
    const db = copy('a.db');
    // The invariant the reader relies on: once the plan is posted, a chunk's cache rows are written
    // only while the pass reads that chunk. Every cache write is logged with the chunk being read.
    let chunk = -1;
    db.function('chunk_read', () => chunk);
    db.exec(`CREATE TEMP TABLE cache_log (account_id TEXT, chunk INTEGER);
      CREATE TEMP TRIGGER cache_in AFTER INSERT ON main.series_cache BEGIN INSERT INTO cache_log VALUES (new.account_id, chunk_read()); END;
      CREATE TEMP TRIGGER cache_out AFTER DELETE ON main.series_cache BEGIN INSERT INTO cache_log VALUES (old.account_id, chunk_read()); END;`);
    try {
      const result = scoreBeside(
        db,
        (done, ahead) => {
          chunk = done / CHUNK;
          ahead();
        },
        (feed) => ({
          ...feed,
          start(...plan) {
            chunk = 0;
            feed.start(...plan);
          },
        }),
      );
      // The first chunk is read before the reader had a plan, the second by the pass too: with
      // nothing posted ahead of the pass, the reader went on from the one after it. Every later one
      // was read beside.
      expect(result.prefetched).toEqual({ taken: CHUNKS - 2, missed: 2, refused: false });
      expect(expected.snapshots.length).toBeGreaterThan(200);
      expect(expected.cache.length).toBe(300);
      expect(written(db)).toEqual(expected);
      const ids = db.prepare('SELECT account_id FROM accounts ORDER BY account_id').pluck().all() as string[];
      const log = db.prepare('SELECT account_id, chunk FROM cache_log WHERE chunk >= 0').all() as {
        account_id: string;
        chunk: number;
      }[];
      expect(log.length).toBeGreaterThan(0);
      for (const write of log) expect(Math.floor(ids.indexOf(write.account_id) / CHUNK)).toBe(write.chunk);
    } finally {
      closeDatabase(db);
    }
  });

  it('holds at most its window of chunks ahead of the pass', () => {
    const db = copy('b.db');
    try {
      // Asked once, after the first chunk: it reads the window's worth and no more.
      const result = scoreBeside(db, (done, ahead) => {
        if (done === CHUNK) ahead();
      });
      expect(result.prefetched).toEqual({ taken: WINDOW, missed: CHUNKS - WINDOW, refused: false });
      expect(written(db)).toEqual(expected);
    } finally {
      closeDatabase(db);
    }
  });

  it('walks the chunks itself after another connection commits, and scores the changed book as a run without it', () => {
    const db = copy('c.db');
    const without = copy('d.db');
    const foreign = new Database(db.name);
    // A usage row of an account in chunk 5, changed after the pass's third chunk, while the reader
    // holds chunks 3 to 10 (an UPDATE: the migration's triggers keep the series cache true, as every
    // writer does).
    const [changed] = db
      .prepare(
        `SELECT m.account_id FROM (SELECT account_id FROM accounts ORDER BY account_id LIMIT ${CHUNK} OFFSET ${5 * CHUNK}) a
         JOIN metrics m ON m.account_id = a.account_id AND m.metric = 'active_users' AND m.contact_id = '' AND m.date = '${AS_OF}' AND m.value > 0`,
      )
      .pluck()
      .all() as string[];
    expect(changed).toBeDefined();
    const change = `UPDATE metrics SET value = 0 WHERE account_id = '${changed}' AND metric = 'active_users' AND contact_id = '' AND date = '${AS_OF}'`;
    try {
      const result = scoreBeside(db, (done, ahead) => {
        ahead();
        if (done === 3 * CHUNK) foreign.exec(change);
      });
      // The same change, made before a run that walks every chunk itself.
      without.exec(change);
      scoreAll(without, { ...RUN, fitWorker: false, prefetch: false });
      const after = written(without);
      expect(after.snapshots).not.toEqual(expected.snapshots);
      expect(written(db)).toEqual(after);
      expect(result.prefetched?.refused).toBe(true);
      expect(result.prefetched?.taken).toBeGreaterThan(0);
    } finally {
      foreign.close();
      closeDatabase(db);
      closeDatabase(without);
    }
  });

  it('waits for the chunk the worker is walking when the pass reaches it, rather than walking it too', async () => {
    const { db } = tempDb();
    const state = new Int32Array(new SharedArrayBuffer(4 * PREFETCH_WORDS));
    const { port1, port2 } = new MessageChannel();
    // The worker's side by hand, in a thread of its own: it claims chunk 0, and posts its (empty)
    // walk a moment after the pass has reached it.
    const worker = new Worker(
      `const { workerData: { state, port, w } } = require('node:worker_threads');
       const words = new Int32Array(state);
       Atomics.store(words, w.WALKING, 1);
       Atomics.notify(words, w.WALKING);
       while (Atomics.load(words, w.PASS) === 0) Atomics.wait(words, w.PASS, 0, 50);
       Atomics.wait(words, w.STOP, 0, 200);
       port.postMessage({ index: 0, keys: [], meta: new Int32Array(0), values: new Float64Array(0) });
       Atomics.store(words, w.POSTED, 1);
       Atomics.store(words, w.WALKING, 0);
       Atomics.notify(words, w.POSTED);`,
      { eval: true, workerData: { state: state.buffer, port: port2, w: PREFETCH_WORD }, transferList: [port2] },
    );
    try {
      const feed = prefetchFeed(db, state, port1);
      feed.start(['a', 'b'], 1, { metricsFrom: 0, eventsFrom: 0, to: 10, liveOnly: true }, { from: 0 });
      Atomics.wait(state, PREFETCH_WORD.WALKING, 0, 10_000);
      expect(feed.take(0)?.index).toBe(0);
      expect(feed.counts).toEqual({ taken: 1, missed: 0, refused: false });
      // Nothing claims the next one: the pass walks it itself at once.
      expect(feed.take(1)).toBeNull();
      expect(feed.counts).toEqual({ taken: 1, missed: 1, refused: false });
    } finally {
      await worker.terminate();
      port1.close();
      closeDatabase(db);
    }
  });

  it('scores the same when the reader stops mid-pass', () => {
    const db = copy('e.db');
    try {
      // The reader stops after the fourth chunk: what it posted (chunks 2 to 11) is taken, the rest walked.
      const result = scoreBeside(db, (done, ahead) => {
        if (done <= 4 * CHUNK) ahead();
      });
      expect(result.prefetched).toEqual({ taken: 2 + WINDOW, missed: CHUNKS - 2 - WINDOW, refused: false });
      expect(written(db)).toEqual(expected);
    } finally {
      closeDatabase(db);
    }
  });

  it('scores the same with the fit worker reading beside the pass, also when the worker dies mid-read', () => {
    const db = copy('f.db');
    const dies = copy('g.db');
    try {
      const result = scoreAll(db, RUN);
      // Whether the worker got ahead of the pass depends on the machine; the rows may not.
      expect(result.prefetched?.refused).toBe(false);
      expect(written(db)).toEqual(expected);
      process.env.FORESIGHT_TEST_PREFETCH_STOP_AFTER = '1';
      try {
        scoreAll(dies, RUN);
      } finally {
        delete process.env.FORESIGHT_TEST_PREFETCH_STOP_AFTER;
      }
      expect(written(dies)).toEqual(expected);
    } finally {
      closeDatabase(db);
      closeDatabase(dies);
    }
  });
});
