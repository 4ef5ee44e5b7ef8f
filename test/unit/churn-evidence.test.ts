/**
 * What counts as evidence for the churn model's fit and backtest: never an account-day the app
 * shows nothing for (stale or no data), and never a pass where nothing could be judged.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORE_CONFIG } from '../../src/domain/risk/config.ts';
import { dayNumber, dayString } from '../../src/domain/risk/days.ts';
import { churnModelFor } from '../../src/domain/risk/model/churn-model.ts';
import { figures } from '../../src/domain/risk/model/fit.ts';
import { buildSamples, DEFAULT_BACKTEST } from '../../src/domain/risk/model/samples.ts';
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
