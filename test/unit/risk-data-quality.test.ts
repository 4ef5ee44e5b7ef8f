/**
 * No false green, rule by rule, on in-memory bundles: the usage-trend baseline floor, minimum
 * coverage, stale data, components left out when the book lacks that data, renewal overdue.
 */
import { describe, expect, it } from 'vitest';
import { completeConfig, DEFAULT_SCORE_CONFIG, effectiveTriggers } from '../../src/domain/risk/config.ts';
import { newestByKind, newestDataDay } from '../../src/domain/risk/data-age.ts';
import { evaluateAccount, scoreDay } from '../../src/domain/risk/evaluate.ts';
import { AS_OF, DAY, daysAgo, makeBundle, step, type Fixture } from './risk-fixtures.ts';

const triggers = effectiveTriggers(DEFAULT_SCORE_CONFIG);
const evaluate = (fixture: Fixture, config = DEFAULT_SCORE_CONFIG) =>
  evaluateAccount(makeBundle(fixture), AS_OF, config, triggers);
/** Data through `lastDay` days ago and nothing after it. */
const until = (lastDay: number, value: number) => (ago: number) => (ago >= lastDay ? value : null);

describe('usage trend baseline floor', () => {
  it('has no trend from a baseline below the floor instead of "0 vs 0 (−100%)"', () => {
    const e = evaluate({ metrics: { active_users: step(14, 0, 0), logins: 1 } });
    const usage = e.components.find((c) => c.id === 'usage_trend')!;
    expect(usage.score).toBeNull();
    expect(usage.explanation).toBe(
      'No data: the 28-day baseline of active users is 0, below the floor of 1, too small to compare; left out of the score.',
    );
  });

  it('compares as before from a baseline at the floor', () => {
    const e = evaluate({ metrics: { active_users: step(14, 0.5, 1) } });
    expect(e.components.find((c) => c.id === 'usage_trend')!.score).toBe(33);
  });

  it('takes the floor from the configuration', () => {
    const config = completeConfig({ components: { usage_trend: { minBaselineMean: 5 } } });
    const e = evaluate({ metrics: { active_users: step(14, 2, 4), logins: 1 } }, config);
    expect(e.components.find((c) => c.id === 'usage_trend')!.score).toBeNull();
  });
});

describe('minimum coverage', () => {
  it('gives no score from billing, NPS and relationship alone: insufficient data', () => {
    const e = evaluate({
      contacts: [{ is_champion: true }],
      events: [
        { type: 'payment_succeeded', daysAgo: 3 },
        { type: 'nps_response', daysAgo: 2, value: 10 },
        { type: 'csm_touch', daysAgo: 1 },
      ],
    });
    expect(e).toMatchObject({ score: null, band: null, insufficientData: true, stale: false });
    expect(e.reasons[0]).toMatch(/^Insufficient data: no score without data for usage trend/);
  });

  it('scores with engagement alone', () => {
    expect(evaluate({ metrics: { logins: 3 } })).toMatchObject({ score: 100, band: 'green', insufficientData: false });
  });
});

describe('stale data', () => {
  it('gives no band when the newest data is more than 7 days old, and says how old it is', () => {
    const e = evaluate({ metrics: { active_users: until(8, 10), seats_used: until(8, 9), logins: until(8, 2) } });
    expect(e).toMatchObject({ stale: true, band: null, dataThrough: daysAgo(8), dataAgeDays: 8 });
    expect(e.reasons[0]).toBe(
      `Stale data: the newest data is from ${daysAgo(8)} (8 days ago), more than 7 days behind; no band until fresh data arrives.`,
    );
    expect(e.summary).toMatch(/^Stale data: /);
  });

  it('keeps the band at exactly the limit', () => {
    const e = evaluate({ metrics: { active_users: until(7, 10), logins: until(7, 2) } });
    expect(e).toMatchObject({ stale: false, dataAgeDays: 7 });
    expect(e.band).not.toBeNull();
  });

  it('takes the limit from the configuration', () => {
    const config = completeConfig({ dataQuality: { staleAfterDays: 30 } });
    expect(evaluate({ metrics: { logins: until(20, 2) } }, config).stale).toBe(false);
    expect(() => completeConfig({ dataQuality: { coverage: [] } })).toThrow();
  });

  it('finds the newest day per kind and overall, ignoring anything after the day', () => {
    const bundle = makeBundle({
      metrics: { active_users: until(3, 5) },
      events: [
        { type: 'ticket_opened', daysAgo: 9 },
        { type: 'csm_touch', daysAgo: 1 },
        { type: 'nps_response', daysAgo: -4, value: 9 },
      ],
    });
    expect(newestDataDay(bundle, DAY)).toBe(DAY - 1);
    expect(newestDataDay(bundle, DAY - 2)).toBe(DAY - 3);
    expect(newestByKind(bundle, DAY)).toMatchObject({
      active_users: DAY - 3,
      tickets: DAY - 9,
      touches: DAY - 1,
      nps: null,
      payments: null,
    });
  });

  it('scoreDay takes the data day the run looked up when the bundle holds none', () => {
    const bundle = makeBundle({ contacts: [{ is_champion: true }] });
    const day = scoreDay(bundle, DAY, DEFAULT_SCORE_CONFIG, undefined, DAY - 300);
    expect(day.freshness).toEqual({ dataThrough: DAY - 300, ageDays: 300, stale: true });
  });
});

describe('components without data in the book', () => {
  it('leaves support out when the book holds no ticket data on the day', () => {
    const bundle = makeBundle({ metrics: { logins: 2 } });
    bundle.book = { ticketsSince: null, touchesSince: DAY - 400 };
    const e = evaluateAccount(bundle, AS_OF, DEFAULT_SCORE_CONFIG, triggers);
    expect(e.components.find((c) => c.id === 'support')).toMatchObject({ score: null, share: null });
    expect(e.leftOut.map((c) => c.id)).toContain('support');
    bundle.book = { ticketsSince: DAY - 1, touchesSince: DAY - 400 };
    expect(
      evaluateAccount(bundle, AS_OF, DEFAULT_SCORE_CONFIG, triggers).components.find((c) => c.id === 'support')!.score,
    ).toBe(100);
  });

  it('scores relationship on the champion alone when the book has no CSM touches', () => {
    const bundle = makeBundle({ metrics: { logins: 2 }, contacts: [{ name: 'Ada King', is_champion: true }] });
    bundle.book = { ticketsSince: DAY - 400, touchesSince: null };
    const c = evaluateAccount(bundle, AS_OF, DEFAULT_SCORE_CONFIG, triggers).components.find(
      (x) => x.id === 'relationship',
    )!;
    expect(c.score).toBe(100);
    expect(c.explanation).toBe(
      'champion Ada King in place; touch recency left out (the book holds no CSM touches) → 100/100',
    );
  });
});

describe('renewal overdue', () => {
  it('flags a renewal date in the past in words', () => {
    const e = evaluate({ account: { renewal_date: daysAgo(12) }, metrics: { logins: 2 } });
    expect(e.renewalOverdue).toBe(true);
    expect(e.reasons).toContain(
      `Renewal overdue: the renewal date ${daysAgo(12)} passed 12 days ago; record the renewal or the new date.`,
    );
    expect(evaluate({ account: { renewal_date: daysAgo(-5) }, metrics: { logins: 2 } }).renewalOverdue).toBe(false);
  });
});
