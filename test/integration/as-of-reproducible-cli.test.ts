/**
 * `--as-of D` is a function of the data and the configuration up to D: the same answer whichever
 * other days were scored or looked at first (QA-1 #1). The churn model and curve in use on D are
 * the ones fitted as of D's fit day (model/stored-model.ts, ANCHOR_DAYS), stored or not. The demo
 * book of the report: 2026-11-13 and 2026-11-16 share a fit day (2026-11-12, the newest churn).
 */
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const TODAY = '2026-12-08';
const D = '2026-11-16';

let demo = '';
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'foresight-as-of-'));
  demo = join(dir, 'demo.db');
  const init = runCli(['init', '--demo', '--as-of', TODAY, '--db', demo, '--json']);
  expect(init.code, init.stderr).toBe(0);
  const db = new Database(demo);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the demo book; `clear`: as before its first ranking (no stored model, curve or list). */
function copy(name: string, clear = false): string {
  const path = join(dir, `${name}.db`);
  copyFileSync(demo, path);
  if (clear) {
    const db = new Database(path);
    db.exec(
      'DELETE FROM risk_models; DELETE FROM risk_snapshots; DELETE FROM risk_runs; DELETE FROM risk_calibration;',
    );
    db.close();
  }
  return path;
}

function risks(db: string, asOf: string): string {
  const run = runCli(['risks', '--all', '--as-of', asOf, '--json', '--db', db]);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

/** The stored model and curve rows of a fit day, without their row ids and write times. */
function fitOf(db: string, day: string) {
  const c = new Database(db, { readonly: true });
  try {
    return {
      models: c
        .prepare('SELECT as_of, signature, method, model_json, report_json FROM risk_models WHERE as_of = ?')
        .all(day),
      curves: c
        .prepare(
          'SELECT as_of, signature, method, intercept, slope, samples, outcomes, auc FROM risk_calibration WHERE as_of = ?',
        )
        .all(day),
    };
  } finally {
    c.close();
  }
}

describe('--as-of D does not depend on which days were looked at first', () => {
  it('gives the same list and model for a past day after looking at days before and after it', () => {
    const direct = copy('direct');
    const before = copy('before');
    const around = copy('around');
    const expected = risks(direct, D);
    risks(before, '2026-11-13');
    risks(around, '2026-11-20');
    risks(around, '2026-11-09');
    expect(risks(before, D)).toBe(expected);
    expect(risks(around, D)).toBe(expected);
    const fit = fitOf(direct, '2026-11-12');
    expect(fit.models).toHaveLength(1);
    expect(fit.curves).toHaveLength(1);
    expect(fitOf(before, '2026-11-12')).toEqual(fit);
    expect(fitOf(around, '2026-11-12')).toEqual(fit);
  }, 180_000);

  it("gives today the same list after a look at an earlier day in a book's first ranking", () => {
    const looked = copy('looked', true);
    const fresh = copy('fresh', true);
    const untouched = copy('untouched');
    risks(looked, '2026-12-05');
    const today = risks(looked, TODAY);
    expect(risks(fresh, TODAY)).toBe(today);
    expect(risks(untouched, TODAY)).toBe(today);
  }, 180_000);
});
