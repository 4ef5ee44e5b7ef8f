import { describe, expect, it } from 'vitest';
import { agreeWithModel, type BandView } from '../../src/domain/risk/model/agreement.ts';
import type { ChurnModel } from '../../src/domain/risk/model/churn-model.ts';
import type { ModelMethod } from '../../src/domain/risk/model/fit.ts';
import { DEFAULT_BACKTEST } from '../../src/domain/risk/model/samples.ts';

/** A stored model as churnModelFor returns it: only the method and the riskiest-decile cut matter here. */
function modelOf(method: ModelMethod, riskyFrom: number | null): ChurnModel {
  return {
    id: 1,
    asOf: '2026-03-31',
    method,
    note: '',
    learned:
      method === 'learned'
        ? { names: ['x'], mean: [0], sd: [1], coef: [1], intercept: -2, lambda: 0.01, converged: true }
        : null,
    curve: { intercept: 4, slope: -0.08 },
    report: { riskyFrom, settings: DEFAULT_BACKTEST } as ChurnModel['report'],
    createdAt: null,
  };
}

const green: BandView = {
  band: 'green',
  stale: false,
  atRisk: false,
  reasons: ['Healthy: score 82 (green), no trigger fired.'],
  triggerIds: ',',
  actionable: ',',
};
const why = () => 'active users on 2 of the last 28 days, usually 20 → +31 pts of churn risk';

describe('the health score and the churn model agree', () => {
  it('a green account among the riskiest tenth by the learned model is amber, listed, with the reason in words', () => {
    const agreed = agreeWithModel(green, 0.64, modelOf('learned', 0.4), why);
    expect(agreed.overruled).toBe(true);
    expect(agreed.band).toBe('yellow');
    expect(agreed.atRisk).toBe(true);
    expect(agreed.reasons[0]).toBe(
      "The churn model sees risk: active users on 2 of the last 28 days, usually 20 → +31 pts of churn risk (P(churn) 64% within 90 days, among the book's riskiest 10%).",
    );
    // "Healthy" no longer holds.
    expect(agreed.reasons.some((r) => r.startsWith('Healthy'))).toBe(false);
  });

  it('leaves the band alone below the cut, for red and amber, for stale data, and without a learned model', () => {
    expect(agreeWithModel(green, 0.39, modelOf('learned', 0.4), why).band).toBe('green');
    expect(agreeWithModel({ ...green, band: 'red' }, 0.9, modelOf('learned', 0.4), why).band).toBe('red');
    expect(agreeWithModel({ ...green, band: 'yellow' }, 0.9, modelOf('learned', 0.4), why).overruled).toBe(false);
    expect(agreeWithModel({ ...green, band: null, stale: true }, 0.9, modelOf('learned', 0.4), why).band).toBe(null);
    // A curve is a function of the score itself: it never disagrees with the score's band.
    expect(agreeWithModel(green, 0.9, modelOf('curve', 0.4), why).band).toBe('green');
    expect(agreeWithModel(green, 0.9, modelOf('default', null), why).band).toBe('green');
    expect(agreeWithModel(green, 0.9, modelOf('learned', null), why).band).toBe('green');
  });

  it('keeps a snoozed risk trigger off the list, as the run does', () => {
    const snoozed = { ...green, triggerIds: ',usage_drop,', actionable: ',' };
    const agreed = agreeWithModel(snoozed, 0.64, modelOf('learned', 0.4), why);
    expect(agreed.band).toBe('yellow');
    expect(agreed.atRisk).toBe(false);
  });
});
