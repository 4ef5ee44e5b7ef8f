import { describe, expect, it } from 'vitest';
import { loadDemoBook } from '../../src/domain/demo/index.ts';
import { churnModelFor } from '../../src/domain/risk/model/churn-model.ts';
import { qualityOf } from '../../src/domain/risk/quality.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import { tempDb } from '../support/temp.ts';

const AS_OF = '2026-03-31';

describe('the churn model on the demo book', () => {
  it('is calibrated, and no green account carries a higher expected loss than most red ones of the same ARR', () => {
    const { db } = tempDb();
    loadDemoBook(db, { accounts: 400, asOf: AS_OF });
    scoreAll(db, { asOf: AS_OF, calibrate: 'auto' });
    const q = qualityOf(db, churnModelFor(db, { asOf: AS_OF, fit: false }));
    expect(q.as_of).toBe(AS_OF);
    expect(q.outcomes).toBeGreaterThan(0);
    expect(q.calibration.length).toBe(10);
    expect(q.calibrated).toBe(true);
    expect(q.auc_ci![0]).toBeGreaterThan(0.5);

    const rows = db
      .prepare<[string], { band: string | null; p_churn: number; expected_arr_at_risk: number; arr_usd: number }>(
        'SELECT band, p_churn, expected_arr_at_risk, arr_usd FROM risk_snapshots WHERE as_of = ?',
      )
      .all(AS_OF);
    // Expected loss per unit of ARR, so accounts of different ARR compare as if they had the same.
    const loss = (r: (typeof rows)[number]) => r.expected_arr_at_risk / Math.max(1, r.arr_usd);
    const reds = rows.filter((r) => r.band === 'red').map(loss);
    const greens = rows.filter((r) => r.band === 'green').map(loss);
    expect(reds.length).toBeGreaterThan(2);
    expect(greens.length).toBeGreaterThan(5);
    for (const green of greens) {
      const redsBelow = reds.filter((red) => red < green).length;
      expect(redsBelow).toBeLessThan(reds.length / 2);
    }
  }, 240_000);
});
