/** The CSM's-day commands (renewals, and those that follow) through the real CLI on one demo book. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenewalsReport } from '../../src/shared/dto/renewals.ts';
import { runCli } from '../support/cli.ts';

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
