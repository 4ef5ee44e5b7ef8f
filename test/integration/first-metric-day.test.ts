// The book's first metric day (series-cache-hooks.ts) is what the churn model's signature and past
// days start from (firstDataDay). A first load into an empty metrics table keeps it at once, so
// the first scoring does not scan every metric row for it; later loads lower it.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/index.ts';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { dayNumber } from '../../src/domain/risk/days.ts';
import { firstDataDay } from '../../src/domain/risk/model/samples.ts';
import { tempDb, tempDir } from '../support/temp.ts';

const kept = (db: Db) =>
  db.prepare<[], string>("SELECT value FROM app_meta WHERE key = 'series.first_metric_day'").pluck().get();

function importCsv(db: Db, name: string, text: string): void {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  importFiles(db, [file]);
}

describe("the book's first metric day", () => {
  it('is kept by the first load into an empty table, and lowered by a later one with an earlier row', () => {
    const { db } = tempDb();
    importCsv(db, 'accounts.csv', 'account_id,name,arr\nacc_1,Acme,1000\nacc_2,Beta,2000\n');
    expect(kept(db)).toBeUndefined();
    importCsv(
      db,
      'metrics.csv',
      'account_id,metric,date,value\nacc_1,active_users,2026-02-10,3\nacc_2,active_users,2026-02-03,5\nacc_1,active_users,2026-02-11,4\n',
    );
    expect(kept(db)).toBe('2026-02-03');
    importCsv(db, 'more.csv', 'account_id,metric,date,value\nacc_2,usage,2026-01-20,7\nacc_1,usage,2026-03-01,1\n');
    expect(kept(db)).toBe('2026-01-20');
    const scanned = db.prepare<[], string>('SELECT min(date) FROM metrics').pluck().get()!;
    expect(firstDataDay(db)).toBe(dayNumber(scanned));
  });
});

describe("the demo loader and the book's first metric day", () => {
  const metricDays = (db: Db) => db.prepare<[], string>('SELECT min(date) FROM metrics').pluck().get();

  it('keeps the demo book first day in an empty book, so the first scoring does not scan for it', () => {
    const { db } = tempDb();
    loadDemoBook(db, { accounts: 6, seed: 3, asOf: '2026-06-30', days: 20 });
    expect(kept(db)).toBe(metricDays(db));
  });

  it('keeps the earlier first day of real accounts beside the demo book', () => {
    const { db } = tempDb();
    importCsv(db, 'accounts.csv', 'account_id,name,arr\nreal_1,Acme,1000\n');
    importCsv(db, 'metrics.csv', 'account_id,metric,date,value\nreal_1,active_users,2025-01-05,3\n');
    loadDemoBook(db, { accounts: 6, seed: 3, asOf: '2026-06-30', days: 20 });
    expect(kept(db)).toBe('2025-01-05');
    // Loaded again: the earlier demo rows go, the real account's first day stays.
    loadDemoBook(db, { accounts: 4, seed: 5, asOf: '2026-06-30', days: 10 });
    expect(kept(db)).toBe('2025-01-05');
  });

  it('keeps nothing when the rest of the book has rows and no first day kept (the scoring scans for it)', () => {
    const { db } = tempDb();
    importCsv(db, 'accounts.csv', 'account_id,name,arr\nreal_1,Acme,1000\n');
    importCsv(db, 'metrics.csv', 'account_id,metric,date,value\nreal_1,active_users,2025-01-05,3\n');
    db.prepare("DELETE FROM app_meta WHERE key = 'series.first_metric_day'").run();
    loadDemoBook(db, { accounts: 6, seed: 3, asOf: '2026-06-30', days: 20 });
    expect(kept(db)).toBeUndefined();
    expect(firstDataDay(db)).toBe(dayNumber('2025-01-05'));
  });
});
