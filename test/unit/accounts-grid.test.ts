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
});
