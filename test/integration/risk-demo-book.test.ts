/**
 * The demo book scored by the real risk engine with the default configuration: the planted
 * patterns are exactly the triggers that fire, healthy accounts fire none, and the planted
 * renewals are clearly red and head the Today list. (test/unit/demo.test.ts checks the stories
 * with its own reading of the rules, which cannot compute a health score.)
 */
import { describe, expect, it } from 'vitest';
import { demoPatternsFor, demoProfileFor, loadDemoBook } from '../../src/domain/demo/index.ts';
import { TRIGGER_IDS } from '../../src/domain/risk/catalog.ts';
import { riskList } from '../../src/domain/risk/list.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import { tempDb } from '../support/temp.ts';
import { rankedQuery } from '../support/ranked-query.ts';

describe.each([
  { accounts: 400, seed: 42, asOf: '2026-03-31' },
  { accounts: 600, seed: 7, asOf: '2024-02-29' },
])('the demo book of $accounts accounts (seed $seed) as of $asOf', ({ accounts, seed, asOf }) => {
  it('fires exactly the planted triggers, and puts the red renewals at the top', () => {
    const { db } = tempDb();
    loadDemoBook(db, { accounts, seed, asOf });
    scoreAll(db, { asOf });

    const rows = db
      .prepare<[string], { account_id: string; score: number | null; band: string | null; trigger_ids: string }>(
        'SELECT account_id, score, band, trigger_ids FROM risk_snapshots WHERE as_of = ?',
      )
      .all(asOf);
    expect(rows.length).toBeGreaterThan(accounts * 0.8);
    const fired = new Set<string>();
    const wrong: string[] = [];
    const renewals: { id: string; score: number | null; band: string | null }[] = [];
    for (const row of rows) {
      const ids = row.trigger_ids.split(',').filter(Boolean).sort();
      ids.forEach((id) => fired.add(id));
      const planted = [...demoPatternsFor(row.account_id, seed, accounts)].sort();
      if (ids.join() !== planted.join())
        wrong.push(`${row.account_id}: planted [${planted}] fired [${ids}] (${row.score} ${row.band})`);
      if (demoProfileFor(row.account_id, seed, accounts) === 'renewal_at_risk')
        renewals.push({ id: row.account_id, score: row.score, band: row.band });
    }
    expect(wrong).toEqual([]);
    expect([...TRIGGER_IDS].filter((id) => !fired.has(id))).toEqual([]);

    // Every planted renewal is red with room to spare, not on the 40-point edge.
    expect(renewals.length).toBeGreaterThanOrEqual(3);
    for (const r of renewals) {
      expect(r.band, r.id).toBe('red');
      expect(r.score, r.id).toBeLessThanOrEqual(32);
    }

    const top = riskList(db, rankedQuery(asOf, renewals.length)).rows;
    expect(top.map((r) => r.accountId).sort()).toEqual(renewals.map((r) => r.id).sort());
    for (const row of top) {
      expect(row.band).toBe('red');
      expect(row.segment).toBe('Enterprise');
      expect(row.daysToRenewal).toBeGreaterThanOrEqual(0);
      expect(row.daysToRenewal).toBeLessThanOrEqual(90);
      expect(row.triggers.map((t) => t.id)).toContain('renewal_at_risk');
    }
  });
});
