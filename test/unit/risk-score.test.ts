import { describe, expect, it } from 'vitest';
import { auc, calibrate, fitLogistic, topDecile, type Sample } from '../../src/domain/risk/calibration.ts';
import { completeConfig, DEFAULT_SCORE_CONFIG, effectiveTriggers } from '../../src/domain/risk/config.ts';
import {
  bandOf,
  churnProbability,
  evaluateAccount,
  expectedArrAtRisk,
  scoreDay,
  urgencyFactor,
} from '../../src/domain/risk/evaluate.ts';
import { AS_OF, DAY, daysAgo, makeBundle, step, type Fixture } from './risk-fixtures.ts';

const triggers = effectiveTriggers(DEFAULT_SCORE_CONFIG);
const evaluate = (fixture: Fixture, config = DEFAULT_SCORE_CONFIG) =>
  evaluateAccount(makeBundle(fixture), AS_OF, config, triggers);
const component = (fixture: Fixture, id: string) => evaluate(fixture).components.find((c) => c.id === id)!;

/** An account with every component at full marks. */
const healthy: Fixture = {
  account: { seats_purchased: 10, created_at: daysAgo(400) },
  contacts: [{ contact_id: 'con_c', name: 'Ada King', is_champion: true }],
  metrics: { active_users: 8, seats_used: 9, logins: 20 },
  events: [
    { type: 'payment_succeeded', daysAgo: 10 },
    { type: 'nps_response', daysAgo: 20, value: 10 },
    { type: 'csm_touch', daysAgo: 5 },
    { type: 'csm_touch', daysAgo: 12 },
  ],
};

describe('components and their explanations', () => {
  it('explains usage trend with both means, the change and the score', () => {
    const c = component({ metrics: { active_users: step(14, 12, 31) } }, 'usage_trend');
    expect(c.explanation).toBe('active users 14-day mean 12 vs 28-day baseline 31 (−61%) → 18/100');
    expect(c.inputs).toMatchObject({ metric: 'active_users', recent: 12, baseline: 31 });
    expect(c.thresholds).toMatchObject({ zeroAtRatio: 0.25, fullAtRatio: 1 });
    expect(c.rule).toContain('0 at ≤25% of the baseline, 100 at ≥100%');
  });

  it('explains seat utilisation', () => {
    expect(component({ account: { seats_purchased: 40 }, metrics: { seats_used: 9 } }, 'adoption').explanation).toBe(
      'seats used 7-day mean 9 of 40 purchased (23%) → 4/100',
    );
  });

  it('explains billing, support, NPS, engagement and relationship', () => {
    const fixture: Fixture = {
      contacts: [{ contact_id: 'con_c', name: 'Ada King', is_champion: true, active: false }],
      metrics: { logins: (d) => (d >= 12 ? 3 : 0) },
      events: [
        { type: 'payment_succeeded', daysAgo: 40 },
        { type: 'payment_failed', daysAgo: 20 },
        { type: 'payment_failed', daysAgo: 3 },
        { type: 'ticket_opened', daysAgo: 2 },
        { type: 'ticket_opened', daysAgo: 9 },
        { type: 'ticket_opened', daysAgo: 50 },
        { type: 'ticket_escalated', daysAgo: 4 },
        { type: 'nps_response', daysAgo: 21, value: 4 },
        { type: 'champion_left', daysAgo: 15, contact: 'con_c' },
        { type: 'csm_touch', daysAgo: 33 },
      ],
    };
    const e = evaluate(fixture);
    const text = Object.fromEntries(e.components.map((c) => [c.id, c.explanation]));
    expect(text.billing).toBe(
      `2 failed payments in 30 days with none succeeding since (latest failed ${daysAgo(3)}) → 30/100`,
    );
    expect(text.support).toBe(
      '2 tickets opened in 30 days vs 0.3/month over the prior 90 days (2×); 1 escalation in 14 days → 37/100',
    );
    expect(text.sentiment).toBe(`latest NPS 4 (detractor) on ${daysAgo(21)} (21 days ago) → 20/100`);
    expect(text.engagement).toBe(`last login or active user ${daysAgo(12)} (12 days ago) → 64/100`);
    expect(text.relationship).toBe(
      `no champion since Ada King left ${daysAgo(15)} (15 days ago); last CSM touch ${daysAgo(33)} (33 days ago) → 38/100`,
    );
  });

  it('leaves out components without data, renormalises the rest and says so', () => {
    const e = evaluate({
      metrics: { active_users: 10, logins: 5 },
      contacts: [{ is_champion: true }],
      events: [{ type: 'csm_touch', daysAgo: 3 }],
    });
    const left = e.leftOut.map((c) => c.id);
    expect(left).toEqual(['adoption', 'billing', 'sentiment']);
    const shares = e.components.filter((c) => c.share !== null).reduce((sum, c) => sum + (c.share as number), 0);
    expect(shares).toBeCloseTo(1, 10);
    expect(e.components.find((c) => c.id === 'usage_trend')?.share).toBeCloseTo(25 / 55, 10);
    expect(e.summary).toBe(
      'Score 100 (green) from 4 of 7 components. Left out for lack of data: adoption: seat utilisation (no seats purchased on record); billing health (no payment events in the last 120 days); sentiment: nps (no NPS response in the last 180 days); the other weights were scaled up to 100%.',
    );
    expect(e.components.find((c) => c.id === 'billing')?.explanation).toBe(
      'No data: no payment events in the last 120 days; left out of the score.',
    );
  });

  it('has no score when nothing has data (no tickets alone does not make an account healthy)', () => {
    const e = evaluate({});
    expect(e.score).toBeNull();
    expect(e.band).toBeNull();
    expect(e.insufficientData).toBe(true);
    expect(e.summary).toBe(
      'Insufficient data: no score without data for usage trend, adoption: seat utilisation, engagement recency.',
    );
  });
});

describe('score, bands and trend', () => {
  it('is 100 and green when every component is at full marks', () => {
    const e = evaluate(healthy);
    expect(e.score).toBe(100);
    expect(e.band).toBe('green');
    expect(e.fired).toEqual([]);
    expect(e.reasons).toEqual(['Healthy: score 100 (green), no trigger fired.']);
  });

  it('uses bands red < 40 ≤ yellow < 70 ≤ green', () => {
    expect(bandOf(39, DEFAULT_SCORE_CONFIG.bands)).toBe('red');
    expect(bandOf(40, DEFAULT_SCORE_CONFIG.bands)).toBe('yellow');
    expect(bandOf(69, DEFAULT_SCORE_CONFIG.bands)).toBe('yellow');
    expect(bandOf(70, DEFAULT_SCORE_CONFIG.bands)).toBe('green');
    expect(bandOf(null, DEFAULT_SCORE_CONFIG.bands)).toBeNull();
    const onlyUsage = completeConfig({ components: { support: { weight: 0 } } });
    expect(scoreDay(makeBundle({ metrics: { usage: step(14, 5, 10) } }), DAY, onlyUsage)).toMatchObject({
      score: 33,
      band: 'red',
    });
  });

  it('names the components that moved the score since a week earlier', () => {
    const falling: Fixture = { ...healthy, metrics: { ...healthy.metrics, active_users: (d) => (d < 7 ? 2 : 8) } };
    const e = evaluate(falling);
    expect(e.trend).toBe('down');
    expect(e.delta).toBeLessThan(0);
    expect(e.movers[0]).toMatchObject({ id: 'usage_trend', label: 'Usage trend' });
    expect(e.change).toMatch(
      new RegExp(`^Down \\d+ points since ${daysAgo(7)} \\(100 → \\d+\\): usage trend 100→\\d+ \\(−\\d+ pts\\)\\.$`),
    );
    expect(e.reasons).toContain(e.change);
  });

  it('per-segment weights override the base', () => {
    const config = completeConfig({ segments: { Enterprise: { components: { usage_trend: { weight: 0 } } } } });
    const dropping: Fixture = { ...healthy, metrics: { ...healthy.metrics, active_users: step(14, 2, 8) } };
    const smb = evaluateAccount(makeBundle(dropping), AS_OF, config, triggers);
    const ent = evaluateAccount(
      makeBundle({ ...dropping, account: { ...dropping.account, segment: 'Enterprise' } }),
      AS_OF,
      config,
      triggers,
    );
    expect(smb.score).toBeLessThan(100);
    expect(ent.score).toBe(100);
    expect(ent.components.find((c) => c.id === 'usage_trend')?.share).toBeNull();
  });

  it('rejects an invalid configuration with the path of the problem', () => {
    expect(() => completeConfig({ bands: { redBelow: 80, greenFrom: 70 } })).toThrow(
      /red must end at or below where green starts/,
    );
    expect(() => completeConfig({ triggers: { usage_drop: { params: { nonsense: 1 } } } })).toThrow(
      /usage_drop has no parameter nonsense/,
    );
  });
});

describe('money at stake', () => {
  it('follows the documented default curve', () => {
    expect(churnProbability(0, DEFAULT_SCORE_CONFIG.churnCurve)).toBeCloseTo(0.6, 2);
    expect(churnProbability(100, DEFAULT_SCORE_CONFIG.churnCurve)).toBeCloseTo(0.01, 3);
    expect(churnProbability(40, DEFAULT_SCORE_CONFIG.churnCurve)).toBeGreaterThan(
      churnProbability(70, DEFAULT_SCORE_CONFIG.churnCurve),
    );
  });
  it('boosts urgency linearly inside 90 days of renewal and caps the expected loss at the ARR', () => {
    const u = DEFAULT_SCORE_CONFIG.urgency;
    expect(urgencyFactor(null, u)).toBe(1);
    expect(urgencyFactor(91, u)).toBe(1);
    expect(urgencyFactor(90, u)).toBe(1);
    expect(urgencyFactor(45, u)).toBeCloseTo(1.5, 10);
    expect(urgencyFactor(0, u)).toBe(2);
    expect(urgencyFactor(-10, u)).toBe(2);
    expect(urgencyFactor(-31, u)).toBe(1);
    expect(expectedArrAtRisk(100_000, 0.3, 1.5)).toBeCloseTo(45_000, 6);
    expect(expectedArrAtRisk(100_000, 0.8, 2)).toBe(100_000);
  });
});

/** A small deterministic generator so the synthetic history is the same on every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('calibration', () => {
  it('recovers a known logistic curve from a synthetic history', () => {
    const random = rng(7);
    const truth = { intercept: 2, slope: -0.06 };
    const samples: Sample[] = [];
    for (let i = 0; i < 20_000; i++) {
      const score = Math.round(random() * 100);
      samples.push({ score, label: random() < churnProbability(score, truth) ? 1 : 0 });
    }
    const fit = fitLogistic(samples);
    expect(fit.converged).toBe(true);
    expect(fit.intercept).toBeCloseTo(truth.intercept, 0);
    expect(Math.abs(fit.intercept - truth.intercept)).toBeLessThan(0.15);
    expect(Math.abs(fit.slope - truth.slope)).toBeLessThan(0.004);
  });

  it('prior-corrects a case-control sample to the book’s churn rate', () => {
    const random = rng(11);
    const truth = { intercept: 1, slope: -0.08 };
    const population: Sample[] = [];
    for (let i = 0; i < 40_000; i++) {
      const score = Math.round(random() * 100);
      population.push({ score, label: random() < churnProbability(score, truth) ? 1 : 0 });
    }
    const churners = population.filter((s) => s.label === 1);
    const survivors = population.filter((s) => s.label === 0).slice(0, churners.length * 2);
    const rate = churners.length / population.length;
    const result = calibrate({
      samples: [...churners, ...survivors],
      churners: churners.length,
      windowDays: 90,
      activeAccounts: population.length - churners.length,
      horizonDays: 90,
      minOutcomes: 30,
      fallback: DEFAULT_SCORE_CONFIG.churnCurve,
    });
    expect(result.method).toBe('logistic');
    expect(result.baseRate).toBeCloseTo(rate, 6);
    expect(Math.abs(result.intercept - truth.intercept)).toBeLessThan(0.2);
    expect(Math.abs(result.slope - truth.slope)).toBeLessThan(0.006);
  });

  it('keeps the default curve below the minimum number of outcomes', () => {
    const samples: Sample[] = [
      ...Array.from({ length: 29 }, () => ({ score: 20, label: 1 as const })),
      ...Array.from({ length: 300 }, () => ({ score: 90, label: 0 as const })),
    ];
    const result = calibrate({
      samples,
      churners: 29,
      windowDays: 180,
      activeAccounts: 300,
      horizonDays: 90,
      minOutcomes: 30,
      fallback: DEFAULT_SCORE_CONFIG.churnCurve,
    });
    expect(result.method).toBe('default');
    expect(result.intercept).toBe(DEFAULT_SCORE_CONFIG.churnCurve.intercept);
    expect(result.note).toBe('Using the default curve: 29 churn outcomes in the book, 30 needed to calibrate.');
    expect(result.auc).toBe(1);
  });

  it('computes AUC and the riskiest-decile figures as rank statistics', () => {
    expect(
      auc([
        { score: 10, label: 1 },
        { score: 90, label: 0 },
      ]),
    ).toBe(1);
    expect(
      auc([
        { score: 90, label: 1 },
        { score: 10, label: 0 },
      ]),
    ).toBe(0);
    expect(
      auc([
        { score: 50, label: 1 },
        { score: 50, label: 0 },
      ]),
    ).toBe(0.5);
    expect(auc([{ score: 50, label: 0 }])).toBeNull();
    const samples: Sample[] = Array.from({ length: 100 }, (_, i) => ({ score: i, label: i < 5 || i === 50 ? 1 : 0 }));
    expect(topDecile(samples)).toEqual({ share: 0.5, recall: 5 / 6 });
  });
});
