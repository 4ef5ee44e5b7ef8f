// The series cache (src/domain/risk/series-cache.ts, migration 22) must never serve anything the
// metrics table does not hold: after each kind of write, a whole-book read through the cache gives
// the bundles and the churn model's aggregates a walk of the table gives, and a scoring run through
// it stores the rows a run from scratch stores. The first metric day the model's signature reads
// (firstDataDay) is kept with the book the same way, and must equal a scan of the table.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/index.ts';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { createRecordWriter } from '../../src/domain/ingest/writer.ts';
import { accountIdSet } from '../../src/domain/ingest/counts.ts';
import { DEFAULT_COERCE } from '../../src/domain/ingest/coerce.ts';
import type { AccountBundle } from '../../src/domain/risk/bundle.ts';
import { dayNumber } from '../../src/domain/risk/days.ts';
import { bundleReader } from '../../src/domain/risk/load.ts';
import { firstDataDay } from '../../src/domain/risk/model/samples.ts';
import { scoreBook } from '../../src/domain/risk/rescore.ts';
import { MetricAggregator } from '../../src/domain/risk/series-aggregates.ts';
import { dueForRefresh, REFRESH_DAYS } from '../../src/domain/risk/series-cache.ts';
import { tempDir } from '../support/temp.ts';

const D = '2026-03-31';
const NEXT = '2026-04-01';
let base = '';
let first = '';
let second = '';

/** A scored demo book (its cache built by the day's run), with a hole, a custom and a per-person metric. */
const baseDir = mkdtempSync(join(tmpdir(), 'foresight-series-cache-'));
afterAll(() => rmSync(baseDir, { recursive: true, force: true }));
beforeAll(() => {
  base = join(baseDir, 'book.db');
  const { db } = openDatabase(base, { create: true });
  loadDemoBook(db, { accounts: 30, seed: 9, asOf: D });
  const ids = db.prepare<[], string>('SELECT account_id FROM accounts ORDER BY account_id').pluck().all();
  [first, second] = ids as [string, string];
  db.prepare("DELETE FROM metrics WHERE account_id = ? AND metric = 'active_users' AND date = '2026-03-20'").run(first);
  const insert = db.prepare('INSERT INTO metrics (account_id, metric, contact_id, date, value) VALUES (?, ?, ?, ?, ?)');
  for (let d = 1; d <= 28; d += 3) insert.run(second, 'exports', '', `2026-03-${String(d).padStart(2, '0')}`, d + 0.5);
  scoreBook(db, { asOf: D });
  closeDatabase(db);
});

function copy(): { db: Db; dir: string } {
  const dir = tempDir('foresight-series-cache-');
  copyFileSync(base, join(dir, 'book.db'));
  return { db: openDatabase(join(dir, 'book.db')).db, dir };
}

const cachedAccounts = (db: Db) =>
  db.prepare<[], string>('SELECT account_id FROM series_cache ORDER BY account_id').pluck().all();

/** Bundles with plain arrays (the cache hands on typed arrays, the walk JSON arrays: the same numbers). */
const plain = (bundles: AccountBundle[]) =>
  bundles.map((b) => ({
    ...b,
    metrics: [...b.metrics].map(([k, s]) => [k, s.start, Array.from(s.values)]),
    contactLogins: [...b.contactLogins].map(([k, s]) => [k, s.start, Array.from(s.values)]),
  }));

/** The next day's whole-book read through the cache and by a walk of the table: equal. */
function expectCacheTrue(db: Db): void {
  const fromDay = db.prepare<[], string>('SELECT min(from_day) FROM series_cache').pluck().get() ?? D;
  const to = dayNumber(NEXT);
  const window = { metricsFrom: dayNumber(fromDay), eventsFrom: to - 200, to, liveOnly: false };
  const reader = bundleReader(db);
  const viaCache = new MetricAggregator(to);
  const cached = db.transaction(() => reader.range('', '\uffff', window, viaCache, { keepFrom: window.metricsFrom }))();
  const walking = new MetricAggregator(to);
  const walked = reader.range('', '\uffff', window, walking);
  expect(plain(cached)).toEqual(plain(walked));
  const byKey = (rows: ReturnType<MetricAggregator['rows']>) =>
    rows.sort((x, y) => `${x.account_id}|${x.metric}`.localeCompare(`${y.account_id}|${y.metric}`));
  expect(byKey(viaCache.rows())).toEqual(byKey(walking.rows()));
  expect(firstDataDay(db)).toBe(dayNumber(db.prepare<[], string>('SELECT min(date) FROM metrics').pluck().get()!));
}

function importCsv(db: Db, dir: string, name: string, text: string, parseInWorker?: boolean): void {
  const file = join(dir, name);
  writeFileSync(file, text);
  importFiles(db, [file], parseInWorker === undefined ? {} : { parseInWorker });
}

describe('the series cache', () => {
  it('is built by the day’s whole-book run, for every account read, and serves the next day as the table does', () => {
    const { db } = copy();
    expect(cachedAccounts(db).length).toBe(30);
    expectCacheTrue(db);
  });

  it.each([false, true])(
    'keeps every account after a file with the next day for every series (the seek reads it; CSV worker: %s)',
    (parseInWorker) => {
      const { db, dir } = copy();
      const rows = db
        .prepare<[], { account_id: string; metric: string; contact_id: string; value: number }>(
          `SELECT account_id, metric, contact_id, value FROM metrics WHERE date = '${D}'`,
        )
        .all();
      importCsv(
        db,
        dir,
        'next.csv',
        `account_id,metric,contact_id,date,value\n${rows.map((r) => `${r.account_id},${r.metric},${r.contact_id},${NEXT},${r.value + 1}`).join('\n')}\n`,
        parseInWorker,
      );
      expect(cachedAccounts(db).length).toBe(30);
      expectCacheTrue(db);
    },
  );

  it('forgets only the account whose series a file read by the CSV worker gives an older day', () => {
    // The worker hands rows over as series (ingest/metric-series.ts), which the hook judges by each
    // series' earliest day: the older row (the hole in `first`'s active users) sits before a
    // next-day row of the same series.
    const { db, dir } = copy();
    const rows = db
      .prepare<[], { account_id: string; metric: string; contact_id: string; value: number }>(
        `SELECT account_id, metric, contact_id, value FROM metrics WHERE date = '${D}'`,
      )
      .all();
    const lines = rows.map((r) => `${r.account_id},${r.metric},${r.contact_id},${NEXT},${r.value + 1}`);
    // Among the account's own rows, so that the worker sends it in one series with the next day's.
    lines.unshift(`${first},active_users,,2026-03-20,7`);
    importCsv(db, dir, 'next.csv', `account_id,metric,contact_id,date,value\n${lines.join('\n')}\n`, true);
    expect(cachedAccounts(db)).not.toContain(first);
    expect(cachedAccounts(db).length).toBe(29);
    expectCacheTrue(db);
  });

  it.each([
    ['an older day changed', (a: string) => `${a},active_users,,2026-03-25,12345`],
    ['a hole filled', (a: string) => `${a},active_users,,2026-03-20,7`],
    ['a new metric', (a: string) => `${a},brand_new,,${NEXT},3`],
    ['a new person’s logins', (a: string) => `${a},logins,someone_new,${NEXT},2`],
    ['a day before the book began', (a: string) => `${a},usage,,2025-01-01,9`],
  ])('forgets only the account a file touches with %s', (_name, row) => {
    const { db, dir } = copy();
    importCsv(db, dir, 'rows.csv', `account_id,metric,contact_id,date,value\n${row(first)}\n`);
    expect(cachedAccounts(db)).not.toContain(first);
    expect(cachedAccounts(db).length).toBe(29);
    expectCacheTrue(db);
  });

  it('forgets the account a row-by-row writer (feed sync, quarantine fix) gives a missing older day', () => {
    const { db } = copy();
    const writer = createRecordWriter(db, { createdAt: `${NEXT}T00:00:00Z`, changed: accountIdSet() });
    const where = { origin: 'feed', line: 1, unit: 'item' } as const;
    db.transaction(() =>
      writer.write(
        'metrics',
        { account_id: first, metric: 'active_users', date: '2026-03-20', value: 1 },
        where,
        DEFAULT_COERCE,
        null,
      ),
    )();
    expect(cachedAccounts(db)).not.toContain(first);
    expectCacheTrue(db);
  });

  it.each([
    ['an update by hand', `UPDATE metrics SET value = value + 1 WHERE account_id = ? AND date = '2026-03-15'`],
    ['a delete by hand', `DELETE FROM metrics WHERE account_id = ? AND date = '2026-03-16'`],
    ['the first day deleted', `DELETE FROM metrics WHERE account_id = ? AND date = (SELECT min(date) FROM metrics)`],
    ['the account deleted', 'DELETE FROM accounts WHERE account_id = ?'],
  ])('forgets the account after %s', (_name, sql) => {
    const { db } = copy();
    db.prepare(sql).run(first);
    expect(cachedAccounts(db)).not.toContain(first);
    expectCacheTrue(db);
  });

  it('is emptied by a demo reload, and rebuilt by the next whole-book run', () => {
    const { db } = copy();
    loadDemoBook(db, { accounts: 30, seed: 10, asOf: NEXT });
    expect(cachedAccounts(db)).toEqual([]);
    expectCacheTrue(db);
    scoreBook(db, { asOf: NEXT });
    expect(cachedAccounts(db).length).toBe(30);
    expectCacheTrue(db);
  });

  it('scores the next day exactly as a run from scratch does, after new data and after older data', () => {
    const rowsOf = (db: Db) =>
      ['risk_snapshots', 'risk_scores', 'risk_items'].map((t) =>
        db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`).raw(true).all(),
      );
    const runs: ReturnType<typeof rowsOf>[] = [];
    for (const fromScratch of [false, true]) {
      const { db, dir } = copy();
      importCsv(
        db,
        dir,
        'rows.csv',
        `account_id,metric,contact_id,date,value\n${second},active_users,,${NEXT},4\n${first},active_users,,2026-03-20,77\n`,
      );
      if (fromScratch) db.exec('DELETE FROM series_cache');
      scoreBook(db, { asOf: NEXT });
      runs.push(rowsOf(db));
    }
    expect(runs[0]![0]!.length).toBeGreaterThan(0);
    expect(runs[0]).toEqual(runs[1]);
  });

  it('rewrites each account within REFRESH_DAYS, about a REFRESH_DAYS-th of the book a day, never one cached today', () => {
    const ids = Array.from({ length: 1400 }, (_, i) => `acc_${i}`);
    const built = dayNumber(D);
    expect(ids.filter((id) => dueForRefresh(id, D, built))).toEqual([]);
    const perDay = [1, 2, 3].map((k) => ids.filter((id) => dueForRefresh(id, D, built + k)).length);
    for (const n of perDay) expect(Math.abs(n - ids.length / REFRESH_DAYS)).toBeLessThan(ids.length / REFRESH_DAYS / 2);
    expect(ids.every((id) => dueForRefresh(id, D, built + REFRESH_DAYS))).toBe(true);
  });

  it('reads each cached account by its key and the rows after each series by one primary-key seek', () => {
    const { db } = copy();
    const detail = db
      .prepare(`EXPLAIN QUERY PLAN ${bundleReader(db).sql.cachedSeries}`)
      .all({ lo: 'a', hi: 'b', liveOnly: 1, churnedSince: NEXT, metricsFrom: '2026-01-01', metricsTo: NEXT })
      .map((r) => (r as { detail: string }).detail)
      .join('\n');
    expect(detail).toMatch(/SEARCH c USING INDEX sqlite_autoindex_series_cache_1 \(account_id=\?\)/);
    expect(detail).toMatch(
      /SEARCH x USING PRIMARY KEY \(account_id=\? AND metric=\? AND contact_id=\? AND date>\? AND date<\?\)/,
    );
  });

  it('does not keep an account with rows after the day it scores (a series with only later rows would be missing)', () => {
    const { db } = copy();
    db.exec('DELETE FROM series_cache');
    db.prepare(
      "INSERT INTO metrics (account_id, metric, contact_id, date, value) VALUES (?, 'later_only', '', ?, 5)",
    ).run(first, NEXT);
    scoreBook(db, { asOf: D });
    expect(cachedAccounts(db)).not.toContain(first);
    expect(cachedAccounts(db).length).toBeGreaterThan(20);
    expectCacheTrue(db);
  });

  it('is filled by the warm-up, which reads only the series, as a whole-book read keeps it (holes, rows after the day)', () => {
    const cacheRows = (db: Db) =>
      db.prepare('SELECT account_id, from_day, series, hex(vals) AS vals FROM series_cache ORDER BY account_id').all();
    const [byRange, byWarm] = [copy().db, copy().db];
    for (const db of [byRange, byWarm]) {
      db.exec('DELETE FROM series_cache');
      db.prepare(
        "INSERT INTO metrics (account_id, metric, contact_id, date, value) VALUES (?, 'later_only', '', ?, 5)",
      ).run(first, NEXT);
    }
    const to = dayNumber(D);
    const cache = { keepFrom: to - 120 };
    const window = { metricsFrom: cache.keepFrom, eventsFrom: to + 1, to, liveOnly: false };
    const fold = new MetricAggregator(to);
    byRange.transaction(() => bundleReader(byRange).range('', '\uffff', window, fold, cache))();
    const walked = byWarm.transaction(() => bundleReader(byWarm).warm('', '\uffff', window, cache))();
    expect(walked).toBeGreaterThan(100);
    const kept = cacheRows(byWarm);
    expect(kept.length).toBe(29);
    expect(kept).toEqual(cacheRows(byRange));
    // A second warm-up walks only the account it could not keep.
    const firstSeries = byWarm
      .prepare('SELECT count(*) FROM (SELECT DISTINCT metric, contact_id FROM metrics WHERE account_id = ?)')
      .pluck()
      .get(first);
    expect(byWarm.transaction(() => bundleReader(byWarm).warm('', '\uffff', window, cache))()).toBe(firstSeries);
  });
});
