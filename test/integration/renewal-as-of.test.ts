/**
 * The churn model's renewal features on a past day use the renewal date as known that day, not
 * today's (QA-1 #3): a renewer's date has since been pushed a year, a churner's has not, so
 * today's dates told the backtest who would churn. Undoing every renewal after a past day (each
 * renewer's date put back to the one it had then: its renewal) must not change that day.
 */
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/index.ts';
import { churnModelFor } from '../../src/domain/risk/model/churn-model.ts';
import { buildFeatures } from '../../src/domain/risk/model/features.ts';
import { tempDb } from '../support/temp.ts';

const TODAY = '2026-12-08';
const ORIGIN = '2026-11-10';

function book(): Db {
  const { db } = tempDb();
  loadDemoBook(db, { accounts: 200, seed: 11, asOf: TODAY });
  return db;
}

/** Each account that renewed after `day` gets back the renewal date it had on `day`. */
function undoRenewalsAfter(db: Db, day: string): number {
  return db
    .prepare(
      `UPDATE accounts SET renewal_date = (
         SELECT substr(min(e.occurred_at), 1, 10) FROM events e
         WHERE e.account_id = accounts.account_id AND e.type = 'renewed' AND substr(e.occurred_at, 1, 10) > @day)
       WHERE EXISTS (SELECT 1 FROM events e WHERE e.account_id = accounts.account_id AND e.type = 'renewed'
                     AND substr(e.occurred_at, 1, 10) > @day)`,
    )
    .run({ day }).changes;
}

const renewalColumns = (db: Db, day: string) => {
  const frame = buildFeatures(db, day);
  const cols = ['a:renewal_in', 'a:renewal_soon'].map((n) => frame.names.indexOf(n));
  return frame.ids.map((id, i) => [id, ...cols.map((c) => (c < 0 ? null : frame.rows[i]![c]))]);
};

describe('renewal features on a past day', () => {
  it('use the renewal date known that day, so renewals after it change nothing', () => {
    const now = book();
    const then = book();
    expect(undoRenewalsAfter(then, ORIGIN)).toBeGreaterThan(0);
    for (const day of [ORIGIN, '2026-10-01', '2026-08-15'])
      expect(renewalColumns(now, day), day).toEqual(renewalColumns(then, day));
    // Today is today: the renewal dates of the book as it stands.
    const today = buildFeatures(now, TODAY);
    const renewed = now
      .prepare<[], { account_id: string; renewal_date: string }>(
        "SELECT account_id, renewal_date FROM accounts WHERE status = 'active' AND renewal_date IS NOT NULL ORDER BY account_id LIMIT 1",
      )
      .get()!;
    const row = today.rows[today.ids.indexOf(renewed.account_id)]!;
    const left = (Date.parse(renewed.renewal_date) - Date.parse(TODAY)) / 86_400_000;
    expect(row[today.names.indexOf('a:renewal_in')]).toBe(Math.max(-60, Math.min(400, left)));
  });

  it('fits the same model and backtest for the past day as the book as it stood then', () => {
    const [now, then] = [book(), book()];
    undoRenewalsAfter(then, ORIGIN);
    const strip = (db: Db) => {
      const m = churnModelFor(db, { asOf: ORIGIN, fit: true });
      return { asOf: m.asOf, method: m.method, learned: m.learned, report: m.report };
    };
    expect(strip(now)).toEqual(strip(then));
  }, 120_000);
});
