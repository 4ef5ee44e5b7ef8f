/**
 * The Accounts grid on a real scored demo book: ARR sorts in USD across currencies, health and
 * P(churn) come from the scored day, filters and paging agree with the total, data age is the
 * newest data on record, and the sparkline holds the last 30 days.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsGrid, type GridQuery } from '../../src/domain/accounts/grid.ts';
import { openDatabase, type Db } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/load.ts';
import { exportGrid } from '../../src/domain/accounts/grid-export.ts';
import { accountRisk } from '../../src/domain/risk/account-view.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';

const AS_OF = '2026-03-10';
let dir: string;
let db: Db;
const base: GridQuery = { asOf: AS_OF, search: '', sort: 'arr', direction: 'desc', offset: 0, limit: 1000 };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'foresight-grid-'));
  db = openDatabase(join(dir, 'book.db'), { create: true }).db;
  loadDemoBook(db, { accounts: 150, seed: 5, asOf: AS_OF });
  scoreAll(db, { asOf: AS_OF, now: `${AS_OF}T09:00:00Z`, historyDays: 30 });
}, 60_000);

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the accounts grid', () => {
  it('sorts ARR in USD across currencies, not by the raw amount', () => {
    const page = accountsGrid(db, base);
    expect(page.total).toBe(150);
    expect(new Set(page.rows.map((r) => r.currency)).size).toBeGreaterThan(1);
    for (let i = 1; i < page.rows.length; i++)
      expect(page.rows[i - 1]!.arrUsd).toBeGreaterThanOrEqual(page.rows[i]!.arrUsd);
    const eur = page.rows.find((r) => r.currency === 'EUR')!;
    expect(eur.arrUsd).toBeCloseTo(eur.arr * 1.087, 6);
  });

  it('shows health, P(churn), trend and a 30-day history for scored accounts', () => {
    const page = accountsGrid(db, { ...base, sort: 'score', direction: 'asc' });
    const first = page.rows[0]!;
    expect(page.scoredAsOf).toBe(AS_OF);
    expect(first.score).not.toBeNull();
    expect(first.band).toBe('red');
    expect(first.pChurn).toBeGreaterThan(0);
    expect(first.history).toHaveLength(30);
    expect(first.history.at(-1)).toBe(first.score);
    expect(first.dataAgeDays).toBeGreaterThanOrEqual(0);
    expect(first.newestDataOn! <= AS_OF).toBe(true);
  });

  it('filters by band, segment, owner and search, and pages consistently', () => {
    const red = accountsGrid(db, { ...base, band: 'red' });
    expect(red.rows.every((r) => r.band === 'red')).toBe(true);
    const owner = red.rows[0]?.owner ?? accountsGrid(db, base).rows[0]!.owner!;
    const mine = accountsGrid(db, { ...base, owner });
    expect(mine.rows.every((r) => r.owner === owner)).toBe(true);
    const segment = mine.rows[0]!.segment!;
    expect(accountsGrid(db, { ...base, segment }).rows.every((r) => r.segment === segment)).toBe(true);
    const name = mine.rows[0]!.name;
    expect(accountsGrid(db, { ...base, search: name.slice(0, 6) }).rows.map((r) => r.name)).toContain(name);
    expect(accountsGrid(db, { ...base, search: '%' }).total).toBe(0);
    const pages = [0, 50, 100].flatMap((offset) => accountsGrid(db, { ...base, offset, limit: 50 }).rows);
    expect(pages.map((r) => r.accountId)).toEqual(accountsGrid(db, base).rows.map((r) => r.accountId));
  });

  // QA: churned accounts read as live ones with a data problem ("No score", "stale data … renews
  // Mar 22, 2027", Draft outreach), and nothing in the grid told them apart.
  it('tells churned accounts apart: a status filter, their churn day, the export, the account page', () => {
    const all = accountsGrid(db, base);
    const churned = accountsGrid(db, { ...base, status: 'churned' });
    const active = accountsGrid(db, { ...base, status: 'active' });
    expect(churned.total).toBeGreaterThan(0);
    expect(churned.total + active.total).toBe(all.total);
    expect(churned.rows.every((r) => r.status === 'churned' && r.churnedOn !== null && r.dataGap === null)).toBe(true);
    expect(active.rows.every((r) => r.status === 'active' && r.churnedOn === null)).toBe(true);

    const lost = churned.rows[0]!;
    const page = accountRisk(db, lost.accountId, AS_OF, `${AS_OF}T09:00:00Z`);
    expect(page).toMatchObject({ churnedOn: lost.churnedOn, active: false, stale: false, dataGap: null });
    expect(page).toMatchObject({ score: null, band: null, renewalOverdue: false, reasons: [] });
    expect(page.summary).toBe(`Churned on ${lost.churnedOn}: a lost customer has no health score, band or P(churn).`);
    expect(page.money.explanation).toBe(`No P(churn) forecast: the account churned on ${lost.churnedOn}.`);
    expect(accountRisk(db, active.rows[0]!.accountId, AS_OF, `${AS_OF}T09:00:00Z`).churnedOn).toBeNull();
  });

  it("exports each account's status and churn day", async () => {
    const file = await exportGrid(db, { ...base, status: 'churned' }, ['name', 'health'], 'csv');
    const [header, first] = new TextDecoder()
      .decode(file.data)
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/);
    expect(header).toBe('Account ID,Account,Status,Churned on,Health score,Band,No score because');
    expect(first).toMatch(/,churned,\d{4}-\d{2}-\d{2},,,churned$/);
  });
});
