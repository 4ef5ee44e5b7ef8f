/**
 * What counts as evidence for the churn model's fit and backtest: never an account-day the app
 * shows nothing for (stale or no data), and never a pass where nothing could be judged.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORE_CONFIG } from '../../src/domain/risk/config.ts';
import { dayNumber, dayString } from '../../src/domain/risk/days.ts';
import { churnModelFor } from '../../src/domain/risk/model/churn-model.ts';
import { chooseModel, figures } from '../../src/domain/risk/model/fit.ts';
import {
  buildSamples,
  DEFAULT_BACKTEST,
  type OriginSamples,
  type SampleSet,
} from '../../src/domain/risk/model/samples.ts';
import { qualityOf } from '../../src/domain/risk/quality.ts';
import { tempDb } from '../support/temp.ts';
import { syntheticBook } from './churn-book.ts';

const FIT_TIMEOUT = 120_000;
const BOOK = { accounts: 60, start: '2025-01-01', days: 200, churn: 'random', seed: 5 } as const;
const later = (day: string, days: number) => dayString(dayNumber(day) + days);

describe('stale and missing data as churn evidence', () => {
  it('leaves out every account-day whose data is stale on the past day', () => {
    const { db } = tempDb();
    const { end } = syntheticBook(db, BOOK);
    // 60 days after the data stopped: the newest past days have only stale data.
    const set = buildSamples(db, DEFAULT_SCORE_CONFIG, later(end, 60), DEFAULT_BACKTEST);
    const stale = DEFAULT_SCORE_CONFIG.dataQuality.staleAfterDays;
    expect(set.origins.length).toBeGreaterThan(0);
    for (const o of set.origins) expect(dayNumber(o.day)).toBeLessThanOrEqual(dayNumber(end) + stale);
    expect(set.daysWithoutData).toBeGreaterThan(0);
  });

  it(
    'judges nothing for a book whose data stopped long ago: no Brier score, no calibration pass',
    () => {
      const { db } = tempDb();
      const { end } = syntheticBook(db, BOOK);
      const asOf = later(end, 400);
      const q = qualityOf(db, churnModelFor(db, { asOf, fit: true }));
      expect(q.samples).toBe(0);
      expect(q.brier).toBeNull();
      expect(q.calibrated).toBeNull();
      expect(q.calibration).toEqual([]);
      expect(q.origins).toEqual([]);
      expect(q.note).toContain('no account had fresh data');
    },
    FIT_TIMEOUT,
  );

  it('gives no Brier score or calibration table from samples without a single churn', () => {
    const none = Array.from({ length: 50 }, (_, i) => ({ p: 0.11, label: 0 as const, group: 0, cluster: i }));
    const f = figures(none);
    expect(f.brier).toBeNull();
    expect(f.calibration).toEqual([]);
    expect(f.outcomes).toBe(0);
  });
});

describe('the evidence counted in accounts', () => {
  const origin = (day: string, n: number, churners: number): OriginSamples => {
    const ids = Array.from({ length: n }, (_, i) => `acc_${String(i).padStart(3, '0')}`);
    const scores = ids.map((_, i) => (i < churners ? 10 : 80));
    return {
      day,
      windowDays: 60,
      ids,
      rows: scores.map((x) => Float64Array.of(x)),
      labels: Uint8Array.from(ids, (_, i) => (i < churners ? 1 : 0)),
      scores,
      churnDays: ids.map(() => NaN),
    };
  };

  it('needs enough churned accounts to learn, not account-days, and says both', () => {
    // 4 churned accounts seen on 8 past days: 32 churn account-days, above the 20 of the guard.
    const days = Array.from(
      { length: 8 },
      (_, k) => `2025-0${1 + Math.floor(k / 4)}-${String(1 + 7 * (k % 4)).padStart(2, '0')}`,
    );
    const set: SampleSet = { names: ['x'], origins: days.map((d) => origin(d, 20, 4)) };
    const choice = chooseModel(set, { intercept: 0.5, slope: -0.06 });
    expect(choice.method).toBe('default');
    expect(choice.note).toContain('4 churned accounts (32 churn account-days)');
    expect(choice.overall.churnedAccounts).toBe(4);
    // Each past day's 4 churners: marked too few to chart, with no interval claimed.
    const { db } = tempDb();
    const model = {
      ...{ id: 1, asOf: '2025-03-01', method: choice.method, note: choice.note, learned: null },
      ...{
        curve: { intercept: 0.5, slope: -0.06 },
        report: { ...choice, settings: DEFAULT_BACKTEST },
        createdAt: null,
      },
    };
    const q = qualityOf(db, model);
    expect(q.churned_accounts).toBe(4);
    expect(q.origins.length).toBe(8);
    for (const o of q.origins) expect({ few: o.too_few_churners, ci: o.auc_ci }).toEqual({ few: true, ci: null });
  });

  it("gives no interval for a past day's AUC from one churner, and marks it too few", () => {
    const one = origin('2025-03-01', 17, 1);
    const f = figures(
      Array.from(one.labels, (y, i) => ({
        p: 1 - (one.scores[i] as number) / 100,
        label: y as 0 | 1,
        group: 0,
        cluster: i,
      })),
    );
    expect(f.auc).toBe(1);
    expect(f.aucCi).toBeNull();
  });
});
