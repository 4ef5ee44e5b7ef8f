/** The CSM's-day commands (renewals, and those that follow) through the real CLI on one demo book. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import type { GridPage } from '../../src/shared/dto/accounts-grid.ts';
import type { MorningDigest } from '../../src/shared/dto/digest.ts';
import type { RenewalsReport } from '../../src/shared/dto/renewals.ts';
import { runCli } from '../support/cli.ts';
import { money } from '../../src/cli/io.ts';

const AS_OF = '2026-03-10';
let dir: string;
let db: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'foresight-csm-cli-'));
  db = join(dir, 'book.db');
  const init = runCli(['init', '--demo', '--accounts', '80', '--as-of', AS_OF, '--db', db]);
  if (init.code !== 0) throw new Error(init.stderr);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('foresight renewals', () => {
  it('prints one JSON report, overdue first, within the window', () => {
    const run = runCli(['renewals', '--within', '60', '--as-of', AS_OF, '--db', db, '--json']);
    expect(run.code).toBe(0);
    const report = run.json<RenewalsReport>();
    expect(report).toMatchObject({ asOf: AS_OF, scoredAsOf: AS_OF, withinDays: 60 });
    expect(report.rows.length).toBeGreaterThan(0);
    const overdue = report.rows.filter((r) => r.overdue).length;
    expect(report.rows.slice(0, overdue).every((r) => r.overdue)).toBe(true);
    expect(report.rows.every((r) => r.daysToRenewal <= 60)).toBe(true);
  });

  it('summarises in words and refuses a bad window with one sentence', () => {
    const text = runCli(['renewals', '--as-of', AS_OF, '--db', db]);
    expect(text.stdout).toMatch(/^Renewals as of 2026-03-10: \d+ overdue, \d+ in the next 90 days\./);
    expect(text.stdout).toContain('expected to renew');
    const bad = runCli(['renewals', '--within', 'soon', '--db', db]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--within must be a whole number from 1 to 730, not "soon".');
  });
});

describe('foresight accounts', () => {
  it('lists accounts with health, ARR sorted in USD, and filters by band and owner', () => {
    const all = runCli([
      'accounts',
      '--as-of',
      AS_OF,
      '--top',
      '1000',
      '--status',
      'all',
      '--db',
      db,
      '--json',
    ]).json<GridPage>();
    expect(all.total).toBe(80);
    // Active by default, as the app lists them; churned ones on asking, with their churn day.
    const active = runCli(['accounts', '--as-of', AS_OF, '--top', '1000', '--db', db, '--json']).json<GridPage>();
    const churned = all.rows.filter((r) => r.status === 'churned');
    expect(churned.length).toBeGreaterThan(0);
    expect(active.total).toBe(80 - churned.length);
    expect(active.rows.every((r) => r.status === 'active')).toBe(true);
    const lost = churned[0]!;
    expect(
      runCli(['accounts', '--as-of', AS_OF, '--status', 'churned', '--search', lost.accountId, '--db', db]).stdout,
    ).toContain(`${money(lost.arr, lost.currency)} ARR  churned ${lost.churnedOn}`);
    for (let i = 1; i < all.rows.length; i++)
      expect(all.rows[i - 1]!.arrUsd).toBeGreaterThanOrEqual(all.rows[i]!.arrUsd);
    const red = runCli(['accounts', '--as-of', AS_OF, '--band', 'red', '--db', db, '--json']).json<GridPage>();
    expect(red.rows.length).toBeGreaterThan(0);
    expect(red.rows.every((r) => r.band === 'red' && r.score !== null)).toBe(true);
    const owner = all.rows[0]!.owner!;
    const mine = runCli(['accounts', '--as-of', AS_OF, '--owner', owner, '--db', db, '--json']).json<GridPage>();
    expect(mine.rows.every((r) => r.owner === owner)).toBe(true);
    const bad = runCli(['accounts', '--sort', 'colour', '--db', db]);
    expect(bad.stderr).toContain('--sort must be one of name, arr, score');
  });
});

describe('foresight digest', () => {
  it('names new at-risk accounts, tasks due and renewals this month', () => {
    const sqlite = new Database(db);
    const item = sqlite
      .prepare<[], { item_id: number; name: string }>(
        "SELECT r.item_id, a.name FROM risk_items r JOIN accounts a USING (account_id) WHERE r.status = 'open' ORDER BY r.item_id LIMIT 1",
      )
      .get()!;
    sqlite.prepare('UPDATE risk_items SET snoozed_until = ? WHERE item_id = ?').run(AS_OF, item.item_id);
    sqlite.close();
    const digest = runCli(['digest', '--as-of', AS_OF, '--db', db, '--json']).json<MorningDigest>();
    expect(digest.asOf).toBe(AS_OF);
    expect(digest.newAtRisk.length).toBeGreaterThan(0);
    expect(digest.tasksDue).toContainEqual(
      expect.objectContaining({ name: item.name, kind: 'snooze_ends', due: AS_OF }),
    );
    expect(digest.renewalsThisMonth.every((r) => r.renewalDate.startsWith('2026-03') && r.renewalDate >= AS_OF)).toBe(
      true,
    );
    const text = runCli(['digest', '--as-of', AS_OF, '--db', db]).stdout;
    expect(text).toMatch(/^Foresight digest for 2026-03-10\n\nNew at-risk accounts: \d+/);
    expect(text).toContain(`${item.name}`);
  });
});
