import { describe, expect, it } from 'vitest';
import { forecastCaveat } from '../../src/domain/risk/forecast-caveat.ts';
import type { ModelReport } from '../../src/domain/risk/model/churn-model.ts';

const reportWith = (aucCi: [number, number] | null) => ({ overall: { aucCi } }) as unknown as ModelReport;

describe('the caveat on P(churn) a book does not support', () => {
  it('says the default curve is unvalidated on this book, in the place the reader finds why', () => {
    expect(forecastCaveat({ method: 'default', report: null }, 'app')).toBe(
      "P(churn) and expected ARR at risk come from the default curve, not validated on this book's history (Settings → Health score says why).",
    );
    expect(forecastCaveat({ method: 'default', report: reportWith([0.8, 0.9]) }, 'cli')).toContain(
      'foresight score-quality says why',
    );
  });

  it('holds a fitted model to its own backtest: an interval reaching 0.5 (or none) is no support', () => {
    expect(forecastCaveat({ method: 'learned', report: reportWith([0.46, 0.7]) }, 'app')).toContain('not validated');
    expect(forecastCaveat({ method: 'curve', report: reportWith(null) }, 'app')).toContain('not validated');
    expect(forecastCaveat({ method: 'learned', report: reportWith([0.9, 0.98]) }, 'app')).toBeNull();
  });
});
