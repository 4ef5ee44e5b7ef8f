import { copyFileSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/index.ts';
import { churnModelFor, fitChurnModel, planChurnModel } from '../../src/domain/risk/model/churn-model.ts';
import { fitBeside } from '../../src/domain/risk/model/fit-in-worker.ts';
import type { ModelChoice } from '../../src/domain/risk/model/fit.ts';
import { modelForRun, warmPlan, warmSeriesCache } from '../../src/domain/risk/run-model.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import { tempDir } from '../support/temp.ts';
import { written } from '../support/written-tables.ts';

const AS_OF = '2026-03-31';
const NOW = `${AS_OF}T08:00:00.000Z`;

/** A demo book in a file of its own, closed: copies of it are the same book. Kept for the whole file. */
function demoFile(dir: string, accounts: number, seed?: number): string {
  const path = join(dir, 'demo.db');
  const { db } = openDatabase(path, { create: true });
  loadDemoBook(db, { accounts, asOf: AS_OF, ...(seed === undefined ? {} : { seed }) });
  closeDatabase(db);
  return path;
}

function copyOf(path: string, name: string): Db {
  const copy = join(tempDir(), name);
  copyFileSync(path, copy);
  return openDatabase(copy).db;
}

/** A fit over fewer past days than the default, to keep the test quick. */
const fitPlan = (db: Db) => {
  const plan = planChurnModel(db, { asOf: AS_OF, fit: true, now: NOW, settings: { maxOrigins: 8 } });
  if (plan.kind !== 'fit') throw new Error('expected a fit');
  return plan;
};

describe('the churn model fitted in a worker', () => {
  let dir = '';
  let book = '';
  /** The fit on this thread, on the book as it is. */
  let expected: ModelChoice;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'foresight-fit-worker-'));
    // 400 accounts of seed 3: enough churned customers for the model to learn on evidence known
    // on each past day (its minimum counts accounts; renewal dates as known then).
    book = demoFile(dir, 400, 3);
    const { db } = openDatabase(book);
    expected = fitChurnModel(db, fitPlan(db).request);
    closeDatabase(db);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fits in the worker exactly what this thread fits', () => {
    const db = copyOf(book, 'a.db');
    try {
      const plan = fitPlan(db);
      const beside = fitBeside(db, plan.request);
      expect(beside.where).toBe('worker');
      // The weights come first, while the worker goes on with the rest of the fit.
      expect(beside.weights()).toEqual(expected.weights);
      const inWorker = beside.result();
      expect(beside.fallbackReason).toBeNull();
      expect(inWorker.method).toBe('learned');
      expect(inWorker).toEqual(expected);
      // Without a series read, the worker leaves once its answer is taken: never terminated.
      expect(beside.ending).toBe('left');
    } finally {
      closeDatabase(db);
    }
  });

  it('leaves by itself, mid-walk included, once the pass needs nothing more (never terminated)', () => {
    const db = copyOf(book, 'leave.db');
    try {
      const beside = fitBeside(db, fitPlan(db).request, { prefetch: true });
      expect(beside.prefetch).not.toBeNull();
      beside.result();
      // The plan of a pass of one-account chunks: the worker walks ahead of a pass that never comes.
      const ids = db.prepare('SELECT account_id FROM accounts ORDER BY account_id').pluck().all() as string[];
      beside.prefetch?.start(ids, 1, { metricsFrom: 0, eventsFrom: 0, to: 1e6, liveOnly: false }, { from: 0 });
      expect(beside.ending).toBeNull();
      beside.prefetch?.end();
      expect(beside.ending).toBe('left');
    } finally {
      closeDatabase(db);
    }
  });

  it('reads the book as it was when it said it was ready, whatever this thread writes then', () => {
    const db = copyOf(book, 'b.db');
    try {
      const plan = fitPlan(db);
      const beside = fitBeside(db, plan.request);
      // Written while the worker fits: half of every account's usage gone.
      db.prepare("DELETE FROM metrics WHERE metric = 'active_users' AND date > '2026-01-15'").run();
      expect(fitChurnModel(db, plan.request)).not.toEqual(expected);
      expect(beside.result()).toEqual(expected);
      expect(beside.fallbackReason).toBeNull();
    } finally {
      closeDatabase(db);
    }
  });

  it('fits on this thread when the worker cannot open the book', () => {
    const db = copyOf(book, 'c.db');
    try {
      const plan = fitPlan(db);
      // The open connection keeps working; the worker, opening the file by its name, finds none.
      renameSync(db.name, `${db.name}.moved`);
      const beside = fitBeside(db, plan.request);
      // The worker fails before its weights: the whole fit runs here, once, and answers both.
      expect(beside.weights()).toEqual(expected.weights);
      expect(beside.fallbackReason).toMatch(/^the fit worker failed: /);
      expect(beside.result()).toEqual(expected);
    } finally {
      db.close();
    }
  });

  it('scores a fresh book as a fit before the pass does, row for row (the cache filled beside the fit)', () => {
    const inWorker = copyOf(book, 'd.db');
    const warmed = copyOf(book, 'e.db');
    const onThread = copyOf(book, 'f.db');
    try {
      // Several chunks, so the pass reads some of them from the cache filled while the worker fits.
      const options = { asOf: AS_OF, now: NOW, historyDays: 30, calibrate: 'auto' as const, chunkSize: 40 };
      scoreAll(inWorker, options);
      // Every chunk warmed first, whatever the fit's speed: the whole pass reads through the cache.
      const plan = warmPlan(warmed, { ...options, fit: 'auto' });
      expect(plan).not.toBeNull();
      expect(warmSeriesCache(warmed, plan!, 40, () => false)).toBe(400);
      scoreAll(warmed, options);
      // The order before the worker: the model fitted on this thread, then the pass (it reuses the stored model).
      churnModelFor(onThread, { asOf: AS_OF, fit: 'auto', now: NOW });
      scoreAll(onThread, options);
      const expected = written(onThread);
      expect(expected.models).toHaveLength(1);
      expect(expected.snapshots.length).toBeGreaterThan(200);
      expect(expected.cache.length).toBe(400);
      expect(written(inWorker)).toEqual(expected);
      expect(written(warmed)).toEqual(expected);
    } finally {
      closeDatabase(inWorker);
      closeDatabase(warmed);
      closeDatabase(onThread);
    }
    // Three whole-book runs and a fit of a 400-account book: ~25 s alone, over 30 s on a loaded machine.
  }, 90_000);

  // Four whole-book runs of a 600-account book with fits: ~25 s alone, more beside other test files.
  it('scores a fresh book, and then a day that refits, as fitting on this thread first does, row for row', () => {
    // 600 accounts: the fitted component weights are in use (at 300 they are not), so the pass
    // beside the fit's second stage scores with weights the worker sent.
    const fresh = demoFile(mkdtempSync(join(dir, 'b600-')), 600);
    const inWorker = copyOf(fresh, 'g.db');
    const onThread = copyOf(fresh, 'h.db');
    try {
      const options = { asOf: AS_OF, now: NOW, historyDays: 30, calibrate: 'auto' as const, chunkSize: 40 };
      scoreAll(inWorker, options);
      scoreAll(onThread, { ...options, fitWorker: false });
      const first = written(onThread);
      expect(first.models).toHaveLength(1);
      expect(JSON.parse((first.models[0] as { report_json: string }).report_json).weights.inUse).toBe(true);
      expect(written(inWorker)).toEqual(first);

      // A day that refits with the series cache in place: the worker is used all the same.
      const refit = { ...options, now: `${AS_OF}T09:00:00.000Z`, calibrate: true };
      const probe = modelForRun(inWorker, { ...refit, fit: true });
      expect(probe.from).toBe('worker');
      // The weights the pass scores with are those the stored model holds (with their data kinds).
      const model = probe.model();
      expect(probe.weights.report?.weights?.inUse).toBe(true);
      expect(probe.weights.report?.weights).toEqual(model.report?.weights);
      // The probe's model row gone: the run below refits it.
      inWorker.prepare('DELETE FROM risk_models WHERE created_at = ?').run(refit.now);
      scoreAll(inWorker, refit);
      scoreAll(onThread, { ...refit, fitWorker: false });
      const expected = written(onThread);
      expect(expected.models).toHaveLength(2);
      expect(written(inWorker)).toEqual(expected);
    } finally {
      closeDatabase(inWorker);
      closeDatabase(onThread);
    }
  }, 120_000);
});
