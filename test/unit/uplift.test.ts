import { describe, expect, it } from 'vitest';
import { evaluateOutcomes } from '../../src/domain/interventions/evaluate.ts';
import { logIntervention } from '../../src/domain/interventions/log.ts';
import { buildOutcomeReport, MIN_GROUP_SIZE } from '../../src/domain/interventions/report.ts';
import { median, newcombeDifference, wilsonInterval } from '../../src/domain/interventions/stats.ts';
import { tempDb } from '../support/temp.ts';
import { addAccount, addEvent, addMetric, insertRiskItem } from './interventions-fixtures.ts';

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

describe('Wilson score interval (Newcombe 1998, part 1, method 3)', () => {
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i/%i → %f to %f', (s, n, low, high) => {
    const interval = wilsonInterval(s, n);
    expect(round4(interval.low)).toBe(low);
    expect(round4(interval.high)).toBe(high);
  });
});

describe('difference of proportions, Newcombe 1998 method 10 (hybrid score), Table II examples', () => {
  it.each([
    [56, 70, 48, 80, 0.2, 0.0524, 0.3339],
    [9, 10, 3, 10, 0.6, 0.1705, 0.809],
    [6, 7, 2, 7, 0.5714, 0.0582, 0.8062],
    [5, 56, 0, 29, 0.0893, -0.0381, 0.1926],
    [0, 10, 0, 20, 0, -0.1611, 0.2775],
    [0, 10, 0, 10, 0, -0.2775, 0.2775],
    [10, 10, 0, 20, 1, 0.6791, 1],
    [10, 10, 0, 10, 1, 0.6075, 1],
  ])('%i/%i − %i/%i = %f, 95%% CI %f to %f', (s1, n1, s2, n2, d, low, high) => {
    const result = newcombeDifference(s1, n1, s2, n2);
    expect(round4(result.value)).toBe(d);
    expect(round4(result.low)).toBe(low);
    expect(round4(result.high)).toBe(high);
  });

  it('refuses empty groups and computes medians', () => {
    expect(() => newcombeDifference(0, 0, 1, 2)).toThrow(RangeError);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('the outcome report', () => {
  /** n accounts, `wins` of which get payment_succeeded 3 days after the start. */
  function book(treatedWins: number, treatedN: number, controlWins: number, controlN: number) {
    const { db } = tempDb();
    const sent = new Date('2026-02-01T09:00:00Z');
    for (let i = 0; i < treatedN; i++) {
      const id = addAccount(db, {
        account_id: `t_${i}`,
        arr: 1000,
        owner_email: i % 2 ? 'ann@example.com' : 'bob@example.com',
      });
      insertRiskItem(db, id, 'payment_failing', '2026-02-01', false);
      logIntervention(
        db,
        {
          accountId: id,
          triggerId: 'payment_failing',
          channel: i % 2 ? 'email' : 'call',
          templateId: 'pay',
          templateVersion: 1,
        },
        sent,
      );
      addMetric(db, id, 'active_users', '2026-02-02', 3);
      if (i < treatedWins) addEvent(db, id, 'payment_succeeded', '2026-02-04');
    }
    for (let i = 0; i < controlN; i++) {
      const id = addAccount(db, { account_id: `c_${i}`, arr: 500 });
      insertRiskItem(db, id, 'payment_failing', '2026-02-01', true);
      addMetric(db, id, 'active_users', '2026-02-02', 3);
      if (i < controlWins) addEvent(db, id, 'payment_succeeded', '2026-02-05');
    }
    evaluateOutcomes(db, { asOf: '2026-03-01', now: new Date('2026-03-01T00:00:00Z') });
    return db;
  }

  it('gives the uplift against the control group with its interval and both group sizes', () => {
    const db = book(56, 70, 48, 80);
    const report = buildOutcomeReport(db, { asOf: '2026-03-01', by: 'trigger' });
    const row = report.rows[0]!;
    expect(row).toMatchObject({
      key: 'payment_failing',
      label: 'Payment failing',
      n: 70,
      succeeded: 56,
      failed: 14,
      pending: 0,
      median_days_to_success: 3,
      arr_retained: 56_000,
    });
    expect(row.treated).toMatchObject({ n: 70, succeeded: 56, success_rate: 0.8 });
    expect(row.control).toMatchObject({ n: 80, succeeded: 48, success_rate: 0.6 });
    expect(round4(row.control.ci_low!)).toBe(0.4905);
    expect(round4(row.control.ci_high!)).toBe(0.7004);
    expect(round4(row.uplift!.value)).toBe(0.2);
    expect(round4(row.uplift!.ci_low)).toBe(0.0524);
    expect(round4(row.uplift!.ci_high)).toBe(0.3339);
    expect(report.days_to_success).toHaveLength(56);
    expect(report.arr_by_month).toEqual([{ month: '2026-02', arr: 56_000 }]);
  });

  it(`says "not enough data" below ${MIN_GROUP_SIZE} decided outcomes in a group`, () => {
    const db = book(5, 12, 2, MIN_GROUP_SIZE - 1);
    const row = buildOutcomeReport(db, { asOf: '2026-03-01', by: 'trigger' }).rows[0]!;
    expect(row.uplift).toBeNull();
    expect(row.uplift_note).toMatch(/Not enough data yet: 12 treated and 9 control/);
  });

  it('groups by owner, channel, template and month, and as of an earlier date everything is pending', () => {
    const db = book(4, 10, 1, 10);
    const byOwner = buildOutcomeReport(db, { asOf: '2026-03-01', by: 'owner' });
    // The held-out accounts' owner has a row too: uplift is by owner, touched or not.
    expect(byOwner.rows.map((r) => [r.key, r.n])).toEqual([
      ['ann@example.com', 5],
      ['bob@example.com', 5],
      [expect.any(String), 0],
    ]);
    expect(
      buildOutcomeReport(db, { asOf: '2026-03-01', by: 'channel' })
        .rows.map((r) => r.key)
        .sort(),
    ).toEqual(['call', 'email']);
    expect(buildOutcomeReport(db, { asOf: '2026-03-01', by: 'template' }).rows.map((r) => r.key)).toEqual(['pay v1']);
    expect(buildOutcomeReport(db, { asOf: '2026-03-01', by: 'month' }).rows.map((r) => r.key)).toEqual(['2026-02']);
    const early = buildOutcomeReport(db, { asOf: '2026-02-03', by: 'trigger' }).rows[0]!;
    expect(early).toMatchObject({ succeeded: 0, pending: 10 });
  });

  it('leaves forced interventions on control accounts and repeat touches out of the uplift', () => {
    const db = book(10, 10, 0, 10);
    // A forced touch on a control account, and a second touch of an already treated episode.
    logIntervention(
      db,
      { accountId: 'c_0', triggerId: 'payment_failing', channel: 'email', force: true },
      new Date('2026-02-02T09:00:00Z'),
    );
    logIntervention(
      db,
      { accountId: 't_0', triggerId: 'payment_failing', channel: 'call' },
      new Date('2026-02-03T09:00:00Z'),
    );
    const row = buildOutcomeReport(db, { asOf: '2026-03-01', by: 'trigger' }).rows[0]!;
    expect(row.n).toBe(12);
    expect(row.treated.n).toBe(10);
    expect(row.control.n).toBe(10);
  });

  it('compares 90-day retention and tickets in the following 30 days', () => {
    const db = book(5, 10, 5, 10);
    addEvent(db, 't_1', 'ticket_opened', '2026-02-10');
    addEvent(db, 'c_1', 'ticket_opened', '2026-02-10');
    addEvent(db, 'c_1', 'ticket_opened', '2026-02-11');
    addEvent(db, 'c_2', 'churned', '2026-03-15');
    const report = buildOutcomeReport(db, { asOf: '2026-06-01', by: 'trigger' });
    const comparison = report.comparisons.find((c) => c.trigger_id === 'payment_failing')!;
    expect(comparison.treated).toMatchObject({ n: 10, retained: 10, rate: 1, tickets_n: 10, tickets_per_account: 0.1 });
    expect(comparison.control).toMatchObject({ n: 10, retained: 9, rate: 0.9, tickets_per_account: 0.2 });
    expect(comparison.retention_uplift?.value).toBeCloseTo(0.1, 10);
  });
});
