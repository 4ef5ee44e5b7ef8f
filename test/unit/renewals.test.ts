/**
 * Renewals on a real scored demo book and on a hand-made unscored one: overdue first, nothing past
 * the window, ARR expected to renew = ARR(USD) × (1 − P(churn)), months that add up, churned
 * accounts left out, and no forecast where there is no health score.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/contract/dates.ts';
import { openDatabase, type Db } from '../../src/domain/db/open.ts';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';
import { loadDemoBook } from '../../src/domain/demo/load.ts';
import { renewalsReport } from '../../src/domain/renewals/renewals.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import { sampleAccount, tempDb } from '../support/temp.ts';

const AS_OF = '2026-03-10';
let dir: string;
let db: Db;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'foresight-renewals-'));
  db = openDatabase(join(dir, 'book.db'), { create: true }).db;
  loadDemoBook(db, { accounts: 150, seed: 3, asOf: AS_OF });
  // An active account whose renewal passed without being recorded: overdue.
  db.prepare(
    "UPDATE accounts SET renewal_date = ? WHERE account_id = (SELECT min(account_id) FROM accounts WHERE status = 'active')",
  ).run(addDays(AS_OF, -12));
  scoreAll(db, { asOf: AS_OF, now: `${AS_OF}T09:00:00Z` });
}, 60_000);

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('renewals on a scored book', () => {
  it('lists overdue renewals first, then the window in date order, with the forecast per account', () => {
    const report = renewalsReport(db, { asOf: AS_OF, withinDays: 180 });
    expect(report.scoredAsOf).toBe(AS_OF);
    expect(report.rows.length).toBeGreaterThan(5);
    expect(report.rows[0]!.overdue).toBe(true);
    const planted = db.prepare("SELECT min(account_id) FROM accounts WHERE status = 'active'").pluck().get();
    expect(report.rows.find((r) => r.accountId === planted)).toMatchObject({ overdue: true, daysToRenewal: -12 });
    const firstUpcoming = report.rows.findIndex((r) => !r.overdue);
    expect(report.rows.slice(firstUpcoming).every((r) => !r.overdue)).toBe(true);
    for (const row of report.rows) {
      expect(row.renewalDate <= addDays(AS_OF, 180)).toBe(true);
      if (row.pChurn !== null) expect(row.expectedRenewUsd).toBeCloseTo(row.arrUsd * (1 - row.pChurn), 6);
    }
    const churned = db.prepare<[], string>("SELECT account_id FROM accounts WHERE status = 'churned'").pluck().all();
    expect(report.rows.some((r) => churned.includes(r.accountId))).toBe(false);
  });

  it('adds up by month, overdue as its own group, and narrows with the window', () => {
    const wide = renewalsReport(db, { asOf: AS_OF, withinDays: 180 });
    const narrow = renewalsReport(db, { asOf: AS_OF, withinDays: 30 });
    expect(narrow.rows.length).toBeLessThan(wide.rows.length);
    expect(wide.months[0]!.month).toBe('overdue');
    expect(wide.months.reduce((n, m) => n + m.accounts, 0)).toBe(wide.totals.accounts);
    expect(wide.months.reduce((n, m) => n + m.expectedRenewUsd, 0)).toBeCloseTo(wide.totals.expectedRenewUsd, 4);
    expect(wide.totals.expectedRenewUsd).toBeLessThan(wide.totals.arrUsd);
    const owner = wide.rows[0]!.owner!;
    expect(renewalsReport(db, { asOf: AS_OF, withinDays: 180, owner }).rows.every((r) => r.owner === owner)).toBe(true);
  });
});

describe('renewals on an unscored book', () => {
  it('converts ARR to USD with the configured rates but claims no forecast without a score', () => {
    const { db: fresh } = tempDb();
    accountsRepo(fresh).upsert(
      sampleAccount({ account_id: 'eur', currency: 'EUR', arr: 1000, renewal_date: '2026-04-01' }),
    );
    accountsRepo(fresh).upsert(sampleAccount({ account_id: 'later', renewal_date: '2027-04-01' }));
    const report = renewalsReport(fresh, { asOf: AS_OF, withinDays: 90 });
    expect(report.scoredAsOf).toBeNull();
    expect(report.rows.map((r) => r.accountId)).toEqual(['eur']);
    expect(report.rows[0]).toMatchObject({ arrUsd: 1087, pChurn: null, expectedRenewUsd: null, band: null });
    expect(report.totals).toMatchObject({ accounts: 1, unforecast: 1, expectedRenewUsd: 0 });
  });
});
