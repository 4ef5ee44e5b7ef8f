/**
 * History after the ranked list (issue 16, history-fill.ts): a whole-book run writes the day, and
 * the history window is filled afterwards, for the accounts a screen shows and in the background
 * for the rest. Every test compares with the eager backfill the whole-book run used to do in its
 * pass (scoreAll with historyDays, main's scoreBook before this change) on a copy of the same book.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/create-app.ts';
import { inlineJobRunner, workerJobRunner } from '../../src/app/jobs/runner.ts';
import { accountsGrid } from '../../src/domain/accounts/grid.ts';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';
import { metaRepo } from '../../src/domain/db/repos/meta.ts';
import { metricsRepo } from '../../src/domain/db/repos/metrics.ts';
import { closeDatabase, openDatabase, type Db } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/index.ts';
import { accountRisk } from '../../src/domain/risk/account-view.ts';
import { configRepo } from '../../src/domain/risk/config-repo.ts';
import { dayNumber, dayString } from '../../src/domain/risk/days.ts';
import { historyCoverageRepo } from '../../src/domain/risk/history-coverage.ts';
import { dailyScores, fillBookHistory, fillHistory } from '../../src/domain/risk/history-fill.ts';
import { riskList, SPARKLINE_DAYS } from '../../src/domain/risk/list.ts';
import { rescoreAfterChange, scoreBook } from '../../src/domain/risk/rescore.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import { forgetSeriesCache } from '../../src/domain/risk/series-cache-hooks.ts';
import type { ApiEvent } from '../../src/shared/events.ts';
import { sampleAccount, tempDb } from '../support/temp.ts';
import { rankedQuery } from '../support/ranked-query.ts';

const D = '2026-06-30';
const ACCOUNTS = 60;
const day = (offset: number) => dayString(dayNumber(D) + offset);

const open: Db[] = [];
afterEach(() => open.splice(0).forEach((db) => db.open && closeDatabase(db)));

const dir = mkdtempSync(join(tmpdir(), 'foresight-history-fill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let base: { book: string; scored: string; eagerRun: ReturnType<typeof scoreEagerly> } | null = null;

/**
 * Two copies of one small demo book (generated once for the file): `lazy` unscored, `eager` scored
 * by the eager backfill (`eagerRun`, once for the file as well).
 */
function twoBooks(): { eager: Db; lazy: Db; lazyPath: string; eagerRun: ReturnType<typeof scoreEagerly> } {
  if (!base) {
    const book = join(dir, 'book.db');
    const scored = join(dir, 'scored.db');
    const { db } = openDatabase(book, { create: true });
    loadDemoBook(db, { accounts: ACCOUNTS, seed: 11, asOf: D, days: 120 });
    closeDatabase(db);
    copyFileSync(book, scored);
    const eager = openDatabase(scored).db;
    const eagerRun = scoreEagerly(eager);
    closeDatabase(eager);
    base = { book, scored, eagerRun };
  }
  const copy = (from: string) => {
    const { db, path } = tempDb();
    closeDatabase(db);
    copyFileSync(from, path);
    const opened = openDatabase(path).db;
    open.push(opened);
    return { db: opened, path };
  };
  const lazy = copy(base.book);
  return { eager: copy(base.scored).db, lazy: lazy.db, lazyPath: lazy.path, eagerRun: base.eagerRun };
}

/** Main's whole-book run: the day and, in the same pass, every account's history window. */
function scoreEagerly(db: Db, asOf = D) {
  return scoreAll(db, {
    asOf,
    historyDays: configRepo(db).active().config.historyDays,
    calibrate: 'auto',
  });
}

const rows = (db: Db) =>
  db
    .prepare<[], { account_id: string; as_of: string; score: number | null; band: string | null; components: string }>(
      'SELECT account_id, as_of, score, band, components FROM risk_scores ORDER BY account_id, as_of',
    )
    .all();

/** The ranked day as stored: what the list, the drivers and the CLI read. */
const snapshot = (db: Db, asOf: string) =>
  db
    .prepare(
      `SELECT account_id, score, band, p_churn, expected_arr_at_risk, at_risk, trigger_ids, reasons_json
       FROM risk_snapshots WHERE as_of = ? ORDER BY account_id`,
    )
    .all(asOf);

const ids = (db: Db) => db.prepare<[], string>('SELECT account_id FROM accounts ORDER BY account_id').pluck().all();

const firstPage = (db: Db, asOf = D) => riskList(db, rankedQuery(asOf, 25)).rows;

const accountHistory = (db: Db, id: string, asOf = D) => accountRisk(db, id, asOf, `${asOf}T12:00:00.000Z`).history;

describe('a fresh book', () => {
  it('writes only the day in the whole-book run, and a page read shows the sparklines the eager backfill stored', () => {
    const { eager, lazy, eagerRun: before } = twoBooks();
    const run = scoreBook(lazy, { asOf: D });
    expect(before.historyRows).toBeGreaterThan(ACCOUNTS * 20);
    expect(run.historyRows).toBe(0);
    expect(snapshot(lazy, D)).toEqual(snapshot(eager, D));
    // The ranked list is the same, from the same run.
    const page = firstPage(lazy);
    expect(page.length).toBeGreaterThan(3);
    expect(page.map((r) => [r.accountId, r.rank, r.score])).toEqual(
      firstPage(eager).map((r) => [r.accountId, r.rank, r.score]),
    );
    // Only the page's accounts were filled, by the read itself, with the eager values.
    const shown = new Set(page.map((r) => r.accountId));
    const coverage = historyCoverageRepo(lazy);
    const version = configRepo(lazy).active().version;
    expect(coverage.needing([...shown], dayNumber(day(-29)), dayNumber(D), version)).toEqual([]);
    const covered = coverage.of(ids(lazy));
    for (const id of ids(lazy)) if (!shown.has(id)) expect([undefined, D]).toContain(covered.get(id)?.from_day);
    const eagerLines = new Map(firstPage(eager).map((r) => [r.accountId, r.sparkline]));
    for (const r of page) {
      expect(r.sparkline).toHaveLength(SPARKLINE_DAYS);
      expect(r.sparkline).toEqual(eagerLines.get(r.accountId));
    }
    // Most days hold a score (an account created or stale inside the window holds fewer).
    const points = page.flatMap((r) => r.sparkline).filter((v) => v !== null).length;
    expect(points).toBeGreaterThan(page.length * 20);
  });

  it('fills the rest in the background to exactly the rows the eager backfill wrote', async () => {
    const { eager, lazy } = twoBooks();
    scoreBook(lazy, { asOf: D });
    const progress: number[] = [];
    const result = await fillBookHistory(lazy, { asOf: D, chunkSize: 16, onProgress: (done) => progress.push(done) });
    expect(result.interrupted).toBe(false);
    expect(result.accounts).toBeGreaterThan(ACCOUNTS * 0.7);
    expect(progress.at(-1)).toBe(result.accounts);
    expect(progress.length).toBe(Math.ceil(result.accounts / 16));
    expect(rows(lazy)).toEqual(rows(eager));
    // Nothing is left: a second fill and a page read write nothing.
    expect((await fillBookHistory(lazy, { asOf: D })).accounts).toBe(0);
    expect(fillHistory(lazy, ids(lazy), D).filled).toBe(0);
  });

  it('shows the grid and the account chart as the eager backfill did, with nothing filled yet', () => {
    const { eager, lazy } = twoBooks();
    scoreBook(lazy, { asOf: D });
    const id = ids(lazy)[7] as string;
    // The account view scores the days it lacks from the bundle it reads, without writing them.
    expect(accountHistory(lazy, id)).toEqual(accountHistory(eager, id));
    expect(historyCoverageRepo(lazy).of([id]).get(id)?.from_day).toBe(D);
    const grid = (db: Db) =>
      accountsGrid(db, { asOf: D, search: '', sort: 'name', direction: 'asc', offset: 10, limit: 20 }).rows.map((r) => [
        r.accountId,
        r.history,
      ]);
    expect(grid(lazy)).toEqual(grid(eager));
  });
});

describe('after the data changes', () => {
  /** Halves the account's usage from `since` on, as a corrected file would. */
  function changeUsage(db: Db, id: string, since: string) {
    const metrics = metricsRepo(db);
    const usage = db
      .prepare<[string, string], { date: string; value: number }>(
        "SELECT date, value FROM metrics WHERE account_id = ? AND metric = 'active_users' AND contact_id = '' AND date >= ?",
      )
      .all(id, since);
    expect(usage.length).toBeGreaterThan(5);
    for (const m of usage)
      metrics.upsert({
        account_id: id,
        metric: 'active_users',
        contact_id: '',
        date: m.date,
        value: Math.floor(m.value / 4),
      });
    forgetSeriesCache(db);
  }

  it('re-scores the changed days on the next read, and the chart never shows the old values meanwhile', async () => {
    const { eager, lazy } = twoBooks();
    scoreBook(lazy, { asOf: D });
    await fillBookHistory(lazy, { asOf: D });
    const id = firstPage(lazy)[0]!.accountId;
    const since = day(-20);
    const old = accountHistory(lazy, id);
    for (const db of [eager, lazy]) changeUsage(db, id, since);
    // Main: forget from the first changed day and backfill in the same whole-book pass.
    historyCoverageRepo(eager).forgetAll(since);
    scoreEagerly(eager);
    // Now: the same change through the after-data-change step (a whole-book rescore, no backfill).
    const run = rescoreAfterChange(lazy, { accountIds: null, asOf: D, since });
    expect(run?.scope).toBe('full');
    // Before any read fills it, the account chart computes the forgotten days itself.
    const chart = accountHistory(lazy, id);
    expect(chart).toEqual(accountHistory(eager, id));
    expect(chart).not.toEqual(old);
    const line = firstPage(lazy).find((r) => r.accountId === id)?.sparkline;
    expect(line).toEqual(firstPage(eager).find((r) => r.accountId === id)?.sparkline);
    await fillBookHistory(lazy, { asOf: D });
    expect(rows(lazy)).toEqual(rows(eager));
  });

  it('gives an account imported later its full history', async () => {
    const { eager, lazy } = twoBooks();
    scoreBook(lazy, { asOf: D });
    await fillBookHistory(lazy, { asOf: D });
    const id = 'acc_later';
    for (const db of [eager, lazy]) {
      accountsRepo(db).upsert(sampleAccount({ account_id: id, name: 'Later Co', created_at: day(-200) }));
      const metrics = metricsRepo(db);
      for (let o = -150; o <= 0; o++) {
        metrics.upsert({
          account_id: id,
          metric: 'active_users',
          contact_id: '',
          date: day(o),
          value: o < -12 ? 40 : 9,
        });
        metrics.upsert({ account_id: id, metric: 'seats_used', contact_id: '', date: day(o), value: 50 });
      }
      forgetSeriesCache(db);
    }
    scoreEagerly(eager);
    rescoreAfterChange(lazy, { accountIds: null, asOf: D });
    const line = dailyScores(lazy, [id], D, 30).get(id);
    expect(line?.every((v) => v !== null)).toBe(true);
    expect(line).toEqual(dailyScores(eager, [id], D, 30).get(id));
    expect(historyCoverageRepo(lazy).of([id]).get(id)).toMatchObject({ from_day: day(-29), through_day: D });
  });
});

describe('new weights', () => {
  it('count no stored day until the history is filled again under them', async () => {
    const { eager, lazy } = twoBooks();
    scoreBook(lazy, { asOf: D });
    await fillBookHistory(lazy, { asOf: D });
    // As if the stored history had been scored with other weights (a refit chose new ones).
    metaRepo(lazy).set('risk.history_weights', '1,1,1,1,1,1,1');
    lazy.prepare('UPDATE risk_scores SET score = 0 WHERE as_of < ?').run(D);
    const id = firstPage(lazy)[0]!.accountId;
    // The chart computes every past day rather than show the old weighting's rows.
    expect(accountHistory(lazy, id)).toEqual(accountHistory(eager, id));
    const page = ids(lazy).slice(0, 10);
    expect(dailyScores(lazy, page, D, 30)).toEqual(dailyScores(eager, page, D, 30));
    // The page's fill forgot every account's coverage: the rest is filled again, not trusted.
    expect((await fillBookHistory(lazy, { asOf: D })).accounts).toBeGreaterThan(ACCOUNTS * 0.6);
    expect(rows(lazy)).toEqual(rows(eager));
  });
});

describe('a new day after the fill', () => {
  it('extends each history by the days inside its own window, so nothing is left to fill', async () => {
    const { eager, lazy } = twoBooks();
    scoreBook(lazy, { asOf: D });
    await fillBookHistory(lazy, { asOf: D });
    const next = day(2);
    scoreEagerly(eager, next);
    const run = scoreBook(lazy, { asOf: next });
    // The day between the two runs, for each account with data.
    expect(run.historyRows).toBeGreaterThan(0);
    expect(run.historyRows).toBeLessThanOrEqual(ACCOUNTS);
    expect((await fillBookHistory(lazy, { asOf: next })).accounts).toBe(0);
    expect(rows(lazy)).toEqual(rows(eager));
    expect(snapshot(lazy, next)).toEqual(snapshot(eager, next));
  });
});

describe('the app', () => {
  it('fills the rest of the book after a job that stores a ranked list, and reports progress', async () => {
    const { eager, lazy, lazyPath } = twoBooks();
    const events: ApiEvent[] = [];
    const app = createApp({ dbPath: lazyPath, jobs: inlineJobRunner(lazyPath), historyInBackground: true });
    app.subscribe((event) => events.push(event));
    try {
      const filled = new Promise<void>((resolve) =>
        app.subscribe((event) => {
          if (event.type === 'progress' && event.label === 'Filling score history' && event.done) resolve();
        }),
      );
      await app.ctx.jobs.run(
        'risk.score',
        { asOf: D, accountIds: null, now: `${D}T12:00:00.000Z` },
        { label: 'Scoring' },
      );
      await filled;
    } finally {
      app.close();
    }
    expect(events.some((e) => e.type === 'progress' && e.label === 'Filling score history')).toBe(true);
    expect(rows(lazy)).toEqual(rows(eager));
  });
});

describe('concurrent fills', () => {
  it('never fill an account twice when a page read lands between the background chunks', async () => {
    const { eager, lazy, lazyPath } = twoBooks();
    scoreBook(lazy, { asOf: D });
    const screen = openDatabase(lazyPath).db;
    open.push(screen);
    const all = ids(lazy);
    let byScreen = 0;
    let chunk = 0;
    const background = await fillBookHistory(lazy, {
      asOf: D,
      chunkSize: 10,
      // Between chunks, the screen's connection reads a page that overlaps the next chunk and one done already.
      pause: async () => {
        chunk++;
        byScreen += fillHistory(screen, all.slice(chunk * 10 - 5, chunk * 10 + 5), D).filled;
      },
    });
    expect(background.interrupted).toBe(false);
    expect(byScreen).toBeGreaterThan(0);
    // Each account was scored once: by the screen or by the background chunk, never both.
    expect(background.filled + byScreen).toBe(background.accounts);
    expect(rows(lazy)).toEqual(rows(eager));
  });

  it('fill the same book from a worker thread and from page reads at once, without a lock error', async () => {
    const { eager, lazy, lazyPath } = twoBooks();
    scoreBook(lazy, { asOf: D });
    const all = ids(lazy);
    let finished = false;
    const job = workerJobRunner(lazyPath)
      .run('risk.history', { asOf: D }, { label: 'Filling score history' })
      .finally(() => (finished = true));
    let reads = 0;
    // Page reads on this thread's connection while the worker writes its chunks on its own.
    while (!finished || reads < 3) {
      const page = all.slice((reads * 7) % all.length, ((reads * 7) % all.length) + 10);
      expect(dailyScores(lazy, page, D, 30)).toEqual(dailyScores(eager, page, D, 30));
      reads++;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await job).interrupted).toBe(false);
    expect(rows(lazy)).toEqual(rows(eager));
  });

  it('shows a page while another writer holds the lock, from the data, without storing it', async () => {
    const { eager, lazy, lazyPath } = twoBooks();
    scoreBook(lazy, { asOf: D });
    const writer = openDatabase(lazyPath).db;
    open.push(writer);
    const page = ids(lazy).slice(0, 12);
    writer.exec('BEGIN IMMEDIATE');
    try {
      const attempt = fillHistory(lazy, page, D, { waitMs: 20 });
      expect(attempt.filled).toBe(0);
      expect(attempt.unsaved.length).toBeGreaterThan(12 * 20);
      expect(dailyScores(lazy, page, D, 30)).toEqual(dailyScores(eager, page, D, 30));
      // The background fill stops rather than waits: the writer's own job asks for the next one.
      lazy.pragma('busy_timeout = 20');
      expect((await fillBookHistory(lazy, { asOf: D })).interrupted).toBe(true);
      lazy.pragma('busy_timeout = 5000');
    } finally {
      writer.exec('ROLLBACK');
    }
    expect(fillHistory(lazy, page, D).filled).toBeGreaterThan(0);
    expect(dailyScores(lazy, page, D, 30)).toEqual(dailyScores(eager, page, D, 30));
  });
});
