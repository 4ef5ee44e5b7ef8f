/**
 * The data-truth half of the risk CLI, run as a user would: `risks --all`, stale files that must
 * not look green, `status` and `account` reporting the data's age, and a look at the future that
 * leaves the live risk items alone.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayNumber, dayString } from '../../src/domain/risk/days.ts';
import { runCli } from '../support/cli.ts';

const AS_OF = '2026-03-31';
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'sync');

interface BookRow {
  account_id: string;
  score: number | null;
  band: string | null;
  p_churn: number | null;
  expected_arr_at_risk: number | null;
  data_through: string | null;
  stale: boolean;
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'foresight-risk-truth-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Reads the database directly, read-only, as a check independent of the CLI. */
function query<T>(db: string, sql: string, ...params: unknown[]): T[] {
  const connection = new Database(db, { readonly: true });
  try {
    return connection.prepare(sql).all(...params) as T[];
  } finally {
    connection.close();
  }
}

describe('foresight risks --all on the demo book', () => {
  let db = '';
  beforeAll(() => {
    db = join(dir, 'demo.db');
    const init = runCli(['init', '--demo', '--accounts', '80', '--as-of', AS_OF, '--db', db, '--json']);
    expect(init.code, init.stderr).toBe(0);
  }, 120_000);

  it('lists every account active on the day once, with P(churn), expected loss and data age', () => {
    const result = runCli(['risks', '--all', '--as-of', AS_OF, '--json', '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    const rows = result.json<BookRow[]>();
    const active = query<{ account_id: string }>(
      db,
      `SELECT account_id FROM accounts WHERE (created_at IS NULL OR created_at <= ?)
         AND NOT (status = 'churned' AND (churned_at IS NULL OR churned_at <= ?)) ORDER BY account_id`,
      AS_OF,
      AS_OF,
    ).map((r) => r.account_id);
    expect(active.length).toBeGreaterThan(50);
    expect(rows.map((r) => r.account_id)).toEqual(active);
    expect(Object.keys(rows[0]!).sort()).toEqual(
      ['account_id', 'band', 'data_through', 'expected_arr_at_risk', 'p_churn', 'score', 'stale', 'status'].sort(),
    );
    for (const r of rows) {
      expect(r.p_churn).toBeGreaterThanOrEqual(0);
      expect(r.p_churn).toBeLessThanOrEqual(1);
      expect(r.stale).toBe(false);
      expect(r.data_through).toBe(AS_OF);
    }
  });

  it('reports the newest data day in status', () => {
    const status = runCli(['status', '--json', '--db', db]).json<{ newest_data_on: string }>();
    expect(status.newest_data_on).toBe(AS_OF);
    expect(runCli(['status', '--db', db]).stdout).toContain(`Data through:    ${AS_OF}`);
  });

  it('looks at a day six months on: all stale, no band, and the live items as they were', () => {
    const before = query(db, 'SELECT * FROM risk_items ORDER BY item_id');
    expect(before.length).toBeGreaterThan(0);
    const future = dayString(dayNumber(AS_OF) + 183);
    const result = runCli(['risks', '--all', '--as-of', future, '--json', '--db', db]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Note: ${future} is past the newest data (${AS_OF})`);
    const rows = result.json<BookRow[]>();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.stale && r.band === null)).toBe(true);
    expect(query(db, 'SELECT * FROM risk_items ORDER BY item_id')).toEqual(before);

    const human = runCli(['risks', '--as-of', future, '--db', db]);
    expect(human.stdout).toContain(`Not ranked, no band: ${rows.length.toLocaleString('en')} with stale data`);
    // A script reading the ranked list must not read "all clear": the stale accounts are in it.
    const listed = runCli(['risks', '--as-of', future, '--json', '--db', db]).json<
      { status: string; rank: number | null; band: string | null; score: number | null }[]
    >();
    expect(listed.length).toBe(rows.length);
    for (const r of listed) expect(r).toMatchObject({ status: 'stale', rank: null, band: null, score: null });

    const account = runCli(['account', rows[0]!.account_id, '--as-of', future, '--json', '--db', db]).json<{
      stale: boolean;
      band: string | null;
      data_age_days: number;
      dataThrough: string;
    }>();
    expect(account).toMatchObject({ stale: true, band: null, data_age_days: 183, dataThrough: AS_OF });
  });
});

describe('stale files', () => {
  it('imported usage that ends in February shows "stale data" today, not green', () => {
    const db = join(dir, 'files.db');
    const files = ['crm-export.csv', 'crm-contacts.csv', 'crm-usage.csv'].map((f) => join(FIXTURES, f));
    const imported = runCli(['import', ...files, '--db', db]);
    expect([0, 3]).toContain(imported.code);
    const newest = runCli(['status', '--json', '--db', db]).json<{ newest_data_on: string }>().newest_data_on;
    expect(newest < '2026-03-01').toBe(true);
    const today = new Date().toISOString().slice(0, 10);
    const rows = runCli(['risks', '--all', '--json', '--db', db]).json<BookRow[]>();
    expect(rows.length).toBeGreaterThan(0);
    // Accounts with old data are stale; those without any have no score: none is green.
    for (const r of rows) {
      expect(r.band).toBeNull();
      if (r.data_through === null) expect(r).toMatchObject({ stale: false, score: null });
      else expect(r.stale && r.data_through <= newest).toBe(true);
    }
    expect(rows.filter((r) => r.stale).length).toBeGreaterThan(0);
    rows.sort((a, b) => Number(b.stale) - Number(a.stale));
    const view = runCli(['account', rows[0]!.account_id, '--json', '--db', db]).json<{
      stale: boolean;
      band: string | null;
      data_age_days: number;
    }>();
    expect(view).toMatchObject({ stale: true, band: null });
    expect(view.data_age_days).toBe(dayNumber(today) - dayNumber(rows[0]!.data_through!));
    const human = runCli(['account', rows[0]!.account_id, '--db', db]).stdout;
    expect(human).toContain('(stale data)');
    expect(human).toContain('STALE DATA: no band');
  });
});

describe('stale and missing data', () => {
  it('show no score and no P(churn) anywhere, with the reason, and one data age', () => {
    // QA: on this book `accounts` printed "50 null", renewals gave four "No score" accounts P(churn)
    // 11% and an expected-to-renew figure, and Kite's data age was "no data" in one list and
    // "data through 2026-02-27" in the other.
    const db = join(dir, 'gaps.db');
    const files = ['crm-export.csv', 'crm-contacts.csv', 'crm-usage.csv'].map((f) => join(FIXTURES, f));
    expect([0, 3]).toContain(runCli(['import', ...files, '--db', db]).code);

    const book = runCli(['risks', '--all', '--json', '--db', db]).json<(BookRow & { status: string })[]>();
    expect(book.filter((r) => r.status === 'stale').length).toBeGreaterThan(0);
    expect(book.filter((r) => r.status === 'no_data').length).toBeGreaterThan(0);
    for (const r of book) {
      expect(r.status).toBe(r.stale ? 'stale' : 'no_data');
      expect(r).toMatchObject({ score: null, band: null, p_churn: null, expected_arr_at_risk: null });
    }

    const grid = runCli(['accounts', '--json', '--db', db]).json<{
      rows: {
        accountId: string;
        score: number | null;
        pChurn: number | null;
        dataGap: string | null;
        newestDataOn: string | null;
      }[];
    }>().rows;
    const byId = new Map(book.map((r) => [r.account_id, r]));
    for (const row of grid) {
      const ranked = byId.get(row.accountId);
      if (!ranked) continue; // churned: not on the day's book
      expect(row).toMatchObject({ score: null, pChurn: null, dataGap: ranked.status });
      expect(row.newestDataOn, row.accountId).toBe(ranked.data_through);
    }
    const listed = runCli(['accounts', '--db', db]).stdout;
    expect(listed).not.toMatch(/\d+ null/);
    expect(listed).toContain('no score (stale data)');
    expect(listed).toContain('no score (no data)');

    const renewals = runCli(['renewals', '--within', '90', '--json', '--db', db]).json<{
      rows: { pChurn: number | null; expectedRenewUsd: number | null; dataGap: string | null }[];
      totals: { accounts: number; unforecast: number; unforecastStale: number };
    }>();
    expect(renewals.rows.length).toBeGreaterThan(0);
    for (const r of renewals.rows) expect(r).toMatchObject({ pChurn: null, expectedRenewUsd: null });
    expect(renewals.totals.unforecast).toBe(renewals.totals.accounts);
    expect(renewals.totals.unforecastStale).toBe(renewals.rows.filter((r) => r.dataGap === 'stale').length);
    const text = runCli(['renewals', '--within', '90', '--db', db]).stdout;
    expect(text).toContain(`No forecast for ${renewals.totals.unforecastStale} with stale data and`);
    expect(text).not.toMatch(/P\(churn\) \d/);

    // The accounts with no data at all are listed beside the stale ones, in text and JSON.
    const risks = runCli(['risks', '--json', '--db', db]).json<{ status: string; account_id: string }[]>();
    expect(risks.map((r) => [r.account_id, r.status]).sort()).toEqual(book.map((r) => [r.account_id, r.status]).sort());
    const noData = book.filter((r) => r.status === 'no_data').length;
    expect(runCli(['risks', '--db', db]).stdout).toContain(
      `and ${noData} with no data (foresight risks --all lists them)`,
    );
    const stranger = runCli(['risks', '--owner', 'nobody@example.com', '--db', db]).stdout;
    expect(stranger).toContain('No account has the owner nobody@example.com');
    expect(stranger).not.toContain('No accounts at risk');

    const stale = book.find((r) => r.status === 'stale')!;
    const view = runCli(['account', stale.account_id, '--json', '--db', db]).json<{
      score: number | null;
      dataGap: string;
      money: { pChurn: number | null; expectedArrAtRisk: number | null };
    }>();
    expect(view).toMatchObject({ score: null, dataGap: 'stale', money: { pChurn: null, expectedArrAtRisk: null } });
  });
});

describe('a book fed day by day', () => {
  it('scores each day from the data and churn dated on or before it, before and after later imports', () => {
    const db = join(dir, 'daily.db');
    const day = (offset: number) => dayString(dayNumber(AS_OF) + offset);
    const write = (name: string, lines: string[]) => {
      const path = join(dir, name);
      writeFileSync(path, `${lines.join('\n')}\n`);
      return path;
    };
    const usage = (from: number, to: number, users: number) => {
      const rows = ['account_id,metric,date,value'];
      for (const id of ['acc_stays', 'acc_leaves'])
        for (let o = from; o <= to; o++)
          rows.push(`${id},active_users,${day(o)},${users}`, `${id},logins,${day(o)},30`);
      return rows;
    };
    const accounts = (leaves: string) =>
      write('accounts.csv', [
        'account_id,name,arr,created_at,status,churned_at',
        'acc_stays,Stays Co,50000,2025-01-01,active,',
        `acc_leaves,Leaves Co,80000,2025-01-01,${leaves}`,
      ]);
    const book = (asOf: string) => {
      const result = runCli(['risks', '--all', '--as-of', asOf, '--json', '--db', db]);
      expect(result.code, result.stderr).toBe(0);
      return result.json<BookRow[]>();
    };

    // Day 1: both active, data through AS_OF.
    expect([0, 3]).toContain(
      runCli(['import', accounts('active,'), write('m1.csv', usage(-60, 0, 12)), '--db', db]).code,
    );
    const dayOne = book(AS_OF);
    expect(dayOne.map((r) => r.account_id)).toEqual(['acc_leaves', 'acc_stays']);
    expect(dayOne.every((r) => !r.stale && r.data_through === AS_OF)).toBe(true);

    // Day 2: a new day of data, and acc_leaves churned on it.
    const churned = accounts(`churned,${day(1)}`);
    expect([0, 3]).toContain(runCli(['import', churned, write('m2.csv', usage(1, 1, 0)), '--db', db]).code);
    expect(book(day(1)).map((r) => r.account_id)).toEqual(['acc_stays']);
    // Day 1 asked again after the later import (whose usage collapsed): the same answer.
    expect(book(day(1))[0]!.score).toBeLessThan(dayOne[1]!.score!);
    expect(book(AS_OF)).toEqual(dayOne);
  });
});
