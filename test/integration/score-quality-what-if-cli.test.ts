/**
 * `score-quality --step-days N` judges the model with other backtest settings; it never stores
 * that what-if model, which the account page, churn-drivers, Settings and a rescore would then read
 * as the model in use beside the one the day's ranking used (QA-1 #2).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const TODAY = '2026-12-08';
const ACCOUNT = 'acc_00286';

let dir = '';
let db = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'foresight-what-if-'));
  db = join(dir, 'demo.db');
  const init = runCli(['init', '--demo', '--as-of', TODAY, '--db', db, '--json']);
  expect(init.code, init.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]): string {
  const run = runCli([...args, '--db', db]);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

const models = () => {
  const c = new Database(db, { readonly: true });
  try {
    return c.prepare('SELECT model_id, as_of, signature FROM risk_models ORDER BY model_id').all();
  } finally {
    c.close();
  }
};

/** What every surface shows of the model in use on the day. */
const surfaces = () => ({
  risks: cli('risks', '--all', '--as-of', TODAY, '--json'),
  account: cli('account', ACCOUNT, '--as-of', TODAY, '--json'),
  drivers: cli('churn-drivers', ACCOUNT, '--as-of', TODAY, '--json'),
  quality: cli('score-quality', '--as-of', TODAY),
});

describe('score-quality --step-days', () => {
  it('reports on other settings without changing the model every surface reads', () => {
    const before = { models: models(), ...surfaces() };
    const whatIf = cli('score-quality', '--as-of', TODAY, '--step-days', '14', '--json');
    expect(JSON.parse(whatIf)).toMatchObject({ as_of: expect.any(String) });
    expect({ models: models(), ...surfaces() }).toEqual(before);
  }, 180_000);
});
