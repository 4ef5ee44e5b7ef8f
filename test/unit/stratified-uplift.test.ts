import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/domain/db/open.ts';
import { evaluateOutcomes } from '../../src/domain/interventions/evaluate.ts';
import { logIntervention } from '../../src/domain/interventions/log.ts';
import { neededPerGroup, powerHint } from '../../src/domain/interventions/power.ts';
import { buildOutcomeReport, reportFromFacts } from '../../src/domain/interventions/report.ts';
import { loadOutcomeFacts } from '../../src/domain/interventions/facts.ts';
import { setInterventionStatus } from '../../src/domain/interventions/status.ts';
import { Z_95 } from '../../src/domain/interventions/stats.ts';
import { mantelHaenszelDifference, pooledDifference } from '../../src/domain/interventions/stratified.ts';
import type { TriggerId } from '../../src/domain/risk/catalog.ts';
import { tempDb } from '../support/temp.ts';
import { addAccount, addEvent, addMetric, insertRiskItem } from './interventions-fixtures.ts';

describe('Mantel–Haenszel risk difference with Sato’s variance', () => {
  it('reduces to the plain difference and its Wald interval for one stratum', () => {
    const d = mantelHaenszelDifference([{ n1: 100, s1: 60, n0: 100, s0: 50 }])!;
    expect(d.value).toBeCloseTo(0.1, 12);
    const wald = Z_95 * Math.sqrt((0.6 * 0.4) / 100 + (0.5 * 0.5) / 100);
    expect(d.high - d.value).toBeCloseTo(wald, 12);
    expect(d).toMatchObject({ strata: 1, n1: 100, n0: 100 });
  });

  it('in large strata its variance agrees with the weighted within-stratum variances', () => {
    const strata = [
      { n1: 40_000, s1: 36_000, n0: 10_000, s0: 8_500 },
      { n1: 5_000, s1: 500, n0: 20_000, s0: 1_000 },
    ];
    const d = mantelHaenszelDifference(strata)!;
    const weights = strata.map((s) => (s.n1 * s.n0) / (s.n1 + s.n0));
    const total = weights.reduce((a, b) => a + b, 0);
    const variance =
      strata.reduce((sum, s, k) => {
        const p1 = s.s1 / s.n1;
        const p0 = s.s0 / s.n0;
        return sum + weights[k]! ** 2 * ((p1 * (1 - p1)) / s.n1 + (p0 * (1 - p0)) / s.n0);
      }, 0) /
      (total * total);
    const expectedValue = (weights[0]! * 0.05 + weights[1]! * 0.05) / total;
    expect(d.value).toBeCloseTo(expectedValue, 12);
    expect((d.high - d.value) / Z_95).toBeCloseTo(Math.sqrt(variance), 4);
  });

  it('finds no effect where pooling the plays invents one (Simpson’s paradox)', () => {
    // Payments are usually fixed with or without outreach; usage drops rarely recover. Most
    // treated episodes are payments, most control episodes usage drops.
    const strata = [
      { n1: 100, s1: 90, n0: 50, s0: 45 },
      { n1: 10, s1: 0, n0: 50, s0: 0 },
    ];
    expect(pooledDifference(strata)).toBeGreaterThan(0.3);
    const d = mantelHaenszelDifference(strata)!;
    expect(d.value).toBeCloseTo(0, 12);
    expect(d.low).toBeLessThan(0);
    expect(d.high).toBeGreaterThan(0);
  });

  it('leaves out strata without both groups, and answers null when none compares', () => {
    expect(mantelHaenszelDifference([{ n1: 10, s1: 5, n0: 0, s0: 0 }])).toBeNull();
    const d = mantelHaenszelDifference([
      { n1: 10, s1: 5, n0: 0, s0: 0 },
      { n1: 20, s1: 10, n0: 20, s0: 5 },
    ])!;
    expect(d).toMatchObject({ strata: 1, n1: 20, n0: 20 });
    expect(d.value).toBeCloseTo(0.25, 12);
  });
});

describe('power hint', () => {
  it('needs about 385–390 per group to tell 50% from 60% (80% power, 5% two-sided)', () => {
    // Fleiss, Levin & Paik: 388 per group without continuity correction.
    expect(neededPerGroup(0.5)).toBeGreaterThanOrEqual(385);
    expect(neededPerGroup(0.5)).toBeLessThanOrEqual(390);
    expect(powerHint(100, 400, 0.5)).toMatchObject({ more_control: 0 });
    expect(powerHint(100, 400, 0.5).more_treated).toBe(neededPerGroup(0.5) - 100);
  });
});

describe('the outcome report across plays', () => {
  /**
   * Two plays with no effect of outreach: payments recover 90% of the time, usage drops never.
   * The treated group is mostly payments, the control group mostly usage drops.
   */
  function simpsonBook(): Db {
    const { db } = tempDb();
    let n = 0;
    const episode = (trigger: TriggerId, treated: boolean, wins: boolean) => {
      const id = addAccount(db, { account_id: `a_${n++}`, arr: 1000 });
      insertRiskItem(db, id, trigger, '2026-02-01', !treated);
      if (treated)
        logIntervention(
          db,
          { accountId: id, triggerId: trigger, channel: 'email', sentAt: '2026-02-02T09:00:00Z' },
          new Date('2026-02-02T10:00:00Z'),
        );
      addMetric(db, id, 'active_users', '2026-02-03', 3);
      if (wins && trigger === 'payment_failing') addEvent(db, id, 'payment_succeeded', '2026-02-04');
    };
    for (let i = 0; i < 40; i++) episode('payment_failing', true, i < 36);
    for (let i = 0; i < 20; i++) episode('payment_failing', false, i < 18);
    for (let i = 0; i < 10; i++) episode('champion_left', true, false);
    for (let i = 0; i < 40; i++) episode('champion_left', false, false);
    evaluateOutcomes(db, { asOf: '2026-04-01', now: new Date('2026-04-01T00:00:00Z') });
    return db;
  }

  it('stratifies the totals and every pooled grouping by play, and says how many plays it compares', () => {
    const db = simpsonBook();
    const byTrigger = buildOutcomeReport(db, { asOf: '2026-04-01', by: 'trigger' });
    expect(byTrigger.rows.map((r) => [r.key, r.uplift_method, r.uplift?.value])).toEqual([
      ['payment_failing', 'newcombe', expect.closeTo(0, 10)],
      ['champion_left', 'newcombe', 0],
    ]);
    // Naively pooled: 36/50 − 18/60 = +42 points. Stratified: none.
    expect(byTrigger.totals.treated).toMatchObject({ n: 50, succeeded: 36 });
    expect(byTrigger.totals.control).toMatchObject({ n: 60, succeeded: 18 });
    expect(byTrigger.totals).toMatchObject({ uplift_method: 'mantel_haenszel', plays_compared: 2 });
    expect(byTrigger.totals.uplift!.value).toBeCloseTo(0, 10);
    // Which channel a CSM used is not randomised: no uplift per channel, and the row says why.
    const byChannel = buildOutcomeReport(db, { asOf: '2026-04-01', by: 'channel' });
    expect(byChannel.rows[0]).toMatchObject({ key: 'email', uplift: null, incremental_arr: null });
    expect(byChannel.rows[0]!.uplift_note).toMatch(/not randomised/);
    expect(byChannel.totals.uplift!.value).toBeCloseTo(0, 10);
  });

  it('gives the incremental ARR (each play’s uplift × its eligible ARR, with an interval) beside the gross figure', () => {
    const db = simpsonBook();
    const totals = buildOutcomeReport(db, { asOf: '2026-04-01', by: 'trigger' }).totals;
    expect(totals.arr_retained).toBe(36_000);
    expect(totals.treated_arr).toBe(50_000);
    // No effect in either play: nothing retained because of outreach, with an honest interval.
    expect(totals.incremental_arr!.value).toBeCloseTo(0, 6);
    expect(totals.incremental_arr!.ci_low).toBeLessThan(-1000);
    expect(totals.incremental_arr!.ci_high).toBeGreaterThan(1000);
    expect(totals.power.needed_per_group).toBeGreaterThan(50);
  });

  it('credits an effect in a small-ARR play to that play’s ARR only', () => {
    const { db } = tempDb();
    const wins = new Set<string>();
    let n = 0;
    const episode = (trigger: TriggerId, treated: boolean, win: boolean, arr: number) => {
      const id = addAccount(db, { account_id: `b_${n++}`, arr });
      insertRiskItem(db, id, trigger, '2026-02-01', !treated);
      if (win) wins.add(id);
    };
    // Payment failing (ARR 1,000 each): 75% against 50%. Champion left (ARR 100,000 each): never.
    for (let i = 0; i < 100; i++) episode('payment_failing', true, i < 75, 1000);
    for (let i = 0; i < 100; i++) episode('payment_failing', false, i < 50, 1000);
    for (let i = 0; i < 100; i++) episode('champion_left', true, false, 100_000);
    for (let i = 0; i < 100; i++) episode('champion_left', false, false, 100_000);
    const facts = loadOutcomeFacts(db, { asOf: '2026-04-01' }).map((f) => ({
      ...f,
      status: wins.has(f.account_id) ? ('succeeded' as const) : ('failed' as const),
    }));
    const totals = reportFromFacts(facts, { asOf: '2026-04-01', by: 'trigger' }).totals;
    // 0.25 × $100,000 of eligible payment ARR; the pooled uplift × all ARR would say $1.26M.
    expect(totals.incremental_arr!.value).toBeCloseTo(25_000, 6);
    // Champion left's 0 of 100 a side still leaves a few percent of its $10M uncertain.
    expect(totals.incremental_arr!.ci_low).toBeLessThan(25_000);
    expect(totals.incremental_arr!.ci_high).toBeGreaterThan(25_000);
    expect(totals.incremental_arr!.ci_high).toBeLessThan(1_000_000);
  });

  it('says there is no control group, not "not enough data", when nothing was held out', () => {
    const { db } = tempDb();
    for (let i = 0; i < 30; i++)
      insertRiskItem(db, addAccount(db, { account_id: `n_${i}` }), 'payment_failing', '2026-02-01', false);
    const facts = loadOutcomeFacts(db, { asOf: '2026-04-01' }).map((f) => ({ ...f, status: 'failed' as const }));
    const totals = reportFromFacts(facts, { asOf: '2026-04-01', by: 'trigger' }).totals;
    expect(totals).toMatchObject({ uplift: null, incremental_arr: null, no_control: true });
    expect(totals.uplift_note).toMatch(/^No control group for this play/);
  });

  it('counts held-out firings whose account got outreach for another play inside the window', () => {
    const { db } = tempDb();
    for (let i = 0; i < 3; i++) {
      const id = addAccount(db, { account_id: `h_${i}` });
      insertRiskItem(db, id, 'usage_drop', '2026-02-01', true);
      // The holdout is per play: a payment touch still reaches two of the three held-out accounts.
      if (i < 2)
        logIntervention(
          db,
          { accountId: id, triggerId: 'payment_failing', channel: 'email', sentAt: '2026-02-05T09:00:00Z' },
          new Date('2026-02-05T10:00:00Z'),
        );
    }
    const facts = loadOutcomeFacts(db, { asOf: '2026-04-01' });
    expect(facts.filter((f) => f.cohort === 'control').map((f) => f.contacted)).toEqual([true, true, false]);
    const decided = facts.map((f) => (f.cohort === 'control' ? { ...f, status: 'failed' as const } : f));
    expect(reportFromFacts(decided, { asOf: '2026-04-01', by: 'trigger' }).totals.control_contacted).toBe(2);
  });

  it('never shows a point interval for all-or-nothing plays with two accounts a side', () => {
    const { db } = tempDb();
    let n = 0;
    for (const trigger of ['payment_failing', 'detractor', 'usage_drop', 'seat_drop', 'champion_left'] as const)
      for (const treated of [true, false])
        for (let i = 0; i < 2; i++) {
          const id = addAccount(db, { account_id: `t_${n++}`, arr: 1000 });
          insertRiskItem(db, id, trigger, '2026-02-01', !treated);
        }
    const facts = loadOutcomeFacts(db, { asOf: '2026-04-01' }).map((f) => ({
      ...f,
      status: f.cohort === 'eligible' ? ('succeeded' as const) : ('failed' as const),
    }));
    const totals = reportFromFacts(facts, { asOf: '2026-04-01', by: 'trigger' }).totals;
    expect(totals.uplift!.value).toBe(1);
    expect(totals.uplift!.ci_high - totals.uplift!.ci_low).toBeGreaterThan(0.2);
    expect(totals.incremental_arr!.ci_high - totals.incremental_arr!.ci_low).toBeGreaterThan(1000);
  });

  it('keeps manual overrides and counts them, but never lets them into the uplift', () => {
    const db = simpsonBook();
    const ids = db
      .prepare<[], string>(
        "SELECT intervention_id FROM interventions WHERE trigger_id = 'champion_left' ORDER BY account_id LIMIT 3",
      )
      .pluck()
      .all();
    setInterventionStatus(
      db,
      { ids, status: 'succeeded', note: 'They told us on the phone.' },
      new Date('2026-04-01T12:00:00Z'),
    );
    const without = buildOutcomeReport(db, { asOf: '2026-04-01', by: 'trigger' });
    const row = without.rows.find((r) => r.key === 'champion_left')!;
    expect(row).toMatchObject({ succeeded: 3, overrides: 3, overrides_included: false });
    // The uplift judges every firing from the data, the hand-set ones too.
    expect(row.treated).toMatchObject({ n: 10, succeeded: 0 });
    const withOverrides = buildOutcomeReport(db, { asOf: '2026-04-01', by: 'trigger', includeOverrides: true });
    expect(withOverrides.totals.uplift).toEqual(without.totals.uplift);
  });
});
