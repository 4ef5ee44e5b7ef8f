import { describe, expect, it } from 'vitest';
import { loadDemoBook } from '../../src/domain/demo/index.ts';
import { riskyFromOf } from '../../src/domain/risk/model/agreement.ts';
import { churnModelFor } from '../../src/domain/risk/model/churn-model.ts';
import { accountRisk } from '../../src/domain/risk/account-view.ts';
import { qualityOf } from '../../src/domain/risk/quality.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import { COMPONENT_IDS, DEFAULT_SCORE_CONFIG } from '../../src/domain/risk/config.ts';
import { unpackComponents } from '../../src/domain/risk/evaluate.ts';
import { weighComponents } from '../../src/domain/risk/weighting.ts';
import { tempDb } from '../support/temp.ts';

const AS_OF = '2026-03-31';

describe('the churn model on the demo book', () => {
  it('is calibrated, and no green account carries a higher expected loss than most red ones of the same ARR', () => {
    const { db } = tempDb();
    // 150 days: the calibration judges whole 90-day windows before the model's fit day (quality.ts),
    // which the default 120 days of history do not hold once the fit day is a few days before AS_OF.
    loadDemoBook(db, { accounts: 400, asOf: AS_OF, days: 150 });
    scoreAll(db, { asOf: AS_OF, calibrate: 'auto' });
    const model = churnModelFor(db, { asOf: AS_OF, fit: false });
    const q = qualityOf(db, model);
    // Fitted as of the day's fit day (model/stored-model.ts): on or after its anchor, 2026-03-26.
    expect(q.as_of >= '2026-03-26' && q.as_of <= AS_OF).toBe(true);
    expect(q.outcomes).toBeGreaterThan(0);
    expect(q.calibration.length).toBe(10);
    expect(q.calibrated).toBe(true);
    expect(q.auc_ci![0]).toBeGreaterThan(0.5);

    // The book has the outcomes to fit component weights, they rank churn better out of fold, and
    // the day's health scores are computed with them (weighting.ts, the engine's own rule).
    expect(q.weights.source).toBe('fitted');
    expect(q.weights.gain_ci![0]).toBeGreaterThan(0);
    expect(Object.values(q.weights.values).reduce((s, w) => s + w, 0)).toBe(100);
    const scored = db
      .prepare<[string], { score: number | null; components: string }>(
        'SELECT score, components FROM risk_scores WHERE as_of = ?',
      )
      .all(AS_OF);
    expect(scored.length).toBeGreaterThan(100);
    const weights = COMPONENT_IDS.map((id) => q.weights.values[id]!);
    for (const r of scored) {
      const parts = unpackComponents(r.components);
      const weighed = weighComponents(
        COMPONENT_IDS.map((id) => parts[id] ?? null),
        weights,
        DEFAULT_SCORE_CONFIG.dataQuality.coverage,
      );
      // Stored components are rounded, so the recomputed score may differ by a point.
      if (r.score === null) expect(weighed.score).toBeNull();
      else expect(Math.abs(r.score - weighed.score!)).toBeLessThanOrEqual(1);
    }

    const rows = db
      .prepare<
        [string],
        { band: string | null; p_churn: number; expected_arr_at_risk: number; arr_usd: number; reasons_json: string }
      >('SELECT band, p_churn, expected_arr_at_risk, arr_usd, reasons_json FROM risk_snapshots WHERE as_of = ?')
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

    // Band and model agree: no green account is among the learned model's riskiest tenth; the
    // accounts it moved to amber say why in words.
    expect(model.method).toBe('learned');
    const riskyFrom = riskyFromOf(model)!;
    expect(riskyFrom).toBeGreaterThan(0);
    for (const r of rows) if (r.band === 'green') expect(r.p_churn).toBeLessThan(riskyFrom);
    const moved = rows.filter((r) => r.reasons_json.includes('The churn model sees risk'));
    for (const r of moved) {
      expect(r.band).toBe('yellow');
      expect(JSON.parse(r.reasons_json)[0]).toMatch(
        /^The churn model sees risk: .+ pts of churn risk \(P\(churn\) \d+%/,
      );
    }

    // An account whose metrics are gone has no health score and no forecast: its page says why
    // instead of showing a probability from data it does not have (docs/risk-engine.md).
    const id = db.prepare<[], { account_id: string }>('SELECT account_id FROM accounts LIMIT 1').get()!.account_id;
    db.prepare('DELETE FROM metrics WHERE account_id = ?').run(id);
    scoreAll(db, { asOf: AS_OF, calibrate: 'auto' });
    const page = accountRisk(db, id, AS_OF, `${AS_OF}T12:00:00.000Z`);
    expect(page.insufficientData).toBe(true);
    expect(page.score).toBeNull();
    expect(page.dataGap).not.toBeNull();
    expect(page.money.pChurn).toBeNull();
    expect(page.money.explanation).toContain('No P(churn) forecast');
  }, 240_000);
});
