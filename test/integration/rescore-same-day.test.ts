/**
 * The same data, configuration and day give the same answer, and a look at another day never
 * changes the live day (README, docs/risk-engine.md). QA saw the demo book's today lose its
 * snapshot to the pruning after three looks at other days, and its rescore rank 74 accounts where
 * the first run had ranked 76: the demo's first run had scored the book before the intervention
 * history rewrote its payment events.
 */
import { describe, expect, it } from 'vitest';
import { jobs } from '../../src/app/jobs/registry.ts';
import type { Db } from '../../src/domain/db/open.ts';
import { snapshotStaleness } from '../../src/domain/risk/staleness.ts';
import { tempDb } from '../support/temp.ts';

const TODAY = '2026-12-07';
const NOW = `${TODAY}T09:00:00.000Z`;
const noProgress = () => undefined;

interface Row {
  account_id: string;
  score: number | null;
  band: string | null;
  p_churn: number;
  at_risk: number;
  ear_usd: number;
}

function dayRows(db: Db, asOf: string): Row[] {
  return db
    .prepare<[string], Row>(
      'SELECT account_id, score, band, p_churn, at_risk, ear_usd FROM risk_snapshots WHERE as_of = ? ORDER BY account_id',
    )
    .all(asOf);
}

const atRisk = (rows: readonly Row[]) => ({
  count: rows.filter((r) => r.at_risk === 1).length,
  ear: rows.filter((r) => r.at_risk === 1).reduce((sum, r) => sum + r.ear_usd, 0),
});

const score = (db: Db, asOf: string) => jobs['risk.score'](db, { asOf, accountIds: null, now: NOW }, noProgress);

describe('a day scored again after looks at other days', () => {
  it('keeps the live day, and a rescore from scratch gives every account the same answer', async () => {
    const { db } = tempDb();
    await jobs['demo.load'](db, { accounts: 400, seed: 42, asOf: TODAY }, noProgress);
    const first = dayRows(db, TODAY);
    expect(first.length).toBeGreaterThan(300);
    expect(atRisk(first).count).toBeGreaterThan(0);

    // A look at the future, a later day, and the past: more than the pruning keeps.
    for (const day of ['2026-12-20', '2026-12-10', '2026-11-01']) await score(db, day);
    expect(snapshotStaleness(db, TODAY)).toBe('current');
    expect(dayRows(db, TODAY)).toEqual(first);

    // From scratch: the live day's snapshot gone, the day scored again.
    db.prepare('DELETE FROM risk_snapshots WHERE as_of = ?').run(TODAY);
    await score(db, TODAY);
    const again = dayRows(db, TODAY);
    expect(again).toEqual(first);
    expect(atRisk(again)).toEqual(atRisk(first));
  }, 120_000);
});
