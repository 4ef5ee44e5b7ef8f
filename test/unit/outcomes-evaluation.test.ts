import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/domain/db/open.ts';
import { evaluateOutcomes } from '../../src/domain/interventions/evaluate.ts';
import { listInterventions } from '../../src/domain/interventions/list.ts';
import { logIntervention } from '../../src/domain/interventions/log.ts';
import { setInterventionStatus } from '../../src/domain/interventions/status.ts';
import { tempDb } from '../support/temp.ts';
import {
  accountIdWhere,
  addAccount,
  addEvent,
  addMetric,
  addSeries,
  insertRiskItem,
} from './interventions-fixtures.ts';

const SENT = '2026-03-01T10:00:00.000Z';
const now = (day: string) => new Date(`${day}T18:00:00Z`);

function setup(triggerId: Parameters<typeof logIntervention>[1]['triggerId'] = 'payment_failing') {
  const { db } = tempDb();
  const accountId = addAccount(db, { account_id: accountIdWhere(false, triggerId, '2026-03-01') });
  const intervention = logIntervention(db, { accountId, triggerId, channel: 'email', sentAt: SENT }, now('2026-03-01'));
  return { db, accountId, id: intervention.intervention_id };
}

function outcome(db: Db, id: string) {
  return listInterventions(db, {}).rows.find((r) => r.intervention_id === id)!;
}

function evaluate(db: Db, day: string) {
  return evaluateOutcomes(db, { asOf: day, now: now(day) });
}

describe('success criteria at the window boundary (payment_failing: payment_succeeded within 7 days)', () => {
  it('is pending with the due date set as soon as it is logged', () => {
    const { db, id } = setup();
    expect(outcome(db, id)).toMatchObject({
      status: 'sent',
      start_on: '2026-03-01',
      due_on: '2026-03-08',
      evidence: expect.stringMatching(/Waiting for a successful payment until 2026-03-08/),
    });
  });

  it('succeeds when payment_succeeded arrives on day 7, with the time to success', () => {
    const { db, accountId, id } = setup();
    addEvent(db, accountId, 'payment_succeeded', '2026-03-08T23:30:00Z');
    evaluate(db, '2026-03-12');
    expect(outcome(db, id)).toMatchObject({
      status: 'succeeded',
      outcome_on: '2026-03-08',
      days_to_success: 7,
      evidence: 'Payment succeeded on 2026-03-08, 7 days after the intervention.',
    });
  });

  it('fails when it arrives on day 8, once the window has passed', () => {
    const { db, accountId, id } = setup();
    addEvent(db, accountId, 'payment_failed', '2026-03-03');
    addEvent(db, accountId, 'payment_succeeded', '2026-03-09T00:10:00Z');
    evaluate(db, '2026-03-08');
    expect(outcome(db, id).status).toBe('sent');
    evaluate(db, '2026-03-09');
    expect(outcome(db, id)).toMatchObject({
      status: 'failed',
      outcome_on: '2026-03-08',
      days_to_success: null,
      evidence: 'Did not see a successful payment within 7 days (by 2026-03-08).',
    });
  });

  it('does not count a success that happened before the intervention was sent', () => {
    const { db, accountId, id } = setup();
    addEvent(db, accountId, 'payment_succeeded', '2026-03-01T09:00:00Z');
    addMetric(db, accountId, 'active_users', '2026-03-02', 4);
    evaluate(db, '2026-03-10');
    expect(outcome(db, id).status).toBe('failed');
  });

  it('expires when no data at all arrived for the account in the window', () => {
    const { db, id } = setup();
    evaluate(db, '2026-03-09');
    // Logged without a risk item, the firing is taken to be the sent day: evidence opens the day after.
    expect(outcome(db, id)).toMatchObject({
      status: 'expired',
      evidence: expect.stringMatching(/No data arrived for this account between 2026-03-02 and 2026-03-08/),
    });
  });

  it('fails as soon as the account churns, before the window ends', () => {
    const { db, accountId, id } = setup();
    addEvent(db, accountId, 'churned', '2026-03-03');
    evaluate(db, '2026-03-04');
    expect(outcome(db, id)).toMatchObject({
      status: 'failed',
      outcome_on: '2026-03-03',
      evidence: 'The account churned on 2026-03-03, 2 days after the intervention.',
    });
  });

  it('corrects itself when late data arrives after a failure', () => {
    const { db, accountId, id } = setup();
    addMetric(db, accountId, 'active_users', '2026-03-02', 4);
    evaluate(db, '2026-03-10');
    expect(outcome(db, id).status).toBe('failed');
    addEvent(db, accountId, 'payment_succeeded', '2026-03-05');
    const summary = evaluateOutcomes(db, { asOf: '2026-03-11', accountIds: [accountId], now: now('2026-03-11') });
    expect(summary.interventions.statusChanged).toBe(1);
    expect(outcome(db, id)).toMatchObject({ status: 'succeeded', days_to_success: 4 });
  });
});

describe('other criteria', () => {
  it('usage_drop: succeeds when the 14-day mean is back to 80% of the baseline, fails when it is not', () => {
    const { db, accountId, id } = setup('usage_drop');
    // Baseline 10 a day before the drop, 5 during it, back to 9 a day after the touch.
    addSeries(db, accountId, 'active_users', '2026-01-10', 37, () => 10);
    addSeries(db, accountId, 'active_users', '2026-02-16', 13, () => 5);
    addSeries(db, accountId, 'active_users', '2026-03-01', 31, () => 9);
    evaluate(db, '2026-04-05');
    // The firing day (here the sent day) is the firing observation, so the first 14-day window
    // lying wholly after it ends on day 14.
    expect(outcome(db, id)).toMatchObject({
      status: 'succeeded',
      days_to_success: 14,
      evidence: expect.stringMatching(/14-day mean of active users reached 9 on 2026-03-15 \(90% of the baseline 10\)/),
    });

    const other = setup('usage_drop');
    addSeries(other.db, other.accountId, 'active_users', '2026-01-10', 50, () => 10);
    addSeries(other.db, other.accountId, 'active_users', '2026-03-01', 31, () => 7);
    evaluate(other.db, '2026-04-05');
    expect(outcome(other.db, other.id)).toMatchObject({ status: 'failed', outcome_on: '2026-03-31' });
  });

  it('usage_drop without any baseline data expires', () => {
    const { db, accountId, id } = setup('usage_drop');
    addSeries(db, accountId, 'active_users', '2026-03-01', 31, () => 9);
    evaluate(db, '2026-04-05');
    expect(outcome(db, id)).toMatchObject({
      status: 'expired',
      evidence: expect.stringMatching(/no active users baseline/),
    });
  });

  it('detractor: the next NPS answer decides; none in 90 days expires', () => {
    const a = setup('detractor');
    addEvent(a.db, a.accountId, 'nps_response', '2026-04-01', 5);
    addEvent(a.db, a.accountId, 'nps_response', '2026-04-20', 9);
    evaluate(a.db, '2026-05-01');
    expect(outcome(a.db, a.id)).toMatchObject({
      status: 'failed',
      outcome_on: '2026-04-01',
      evidence: expect.stringMatching(/was 5/),
    });

    const b = setup('detractor');
    addEvent(b.db, b.accountId, 'nps_response', '2026-04-01', 8);
    evaluate(b.db, '2026-04-02');
    expect(outcome(b.db, b.id)).toMatchObject({ status: 'succeeded', days_to_success: 31 });

    const c = setup('detractor');
    addMetric(c.db, c.accountId, 'active_users', '2026-03-05', 3);
    evaluate(c.db, '2026-05-30');
    expect(outcome(c.db, c.id).status).toBe('sent');
    evaluate(c.db, '2026-05-31');
    expect(outcome(c.db, c.id)).toMatchObject({
      status: 'expired',
      evidence: expect.stringMatching(/No NPS answer arrived/),
    });
  });

  it('power_user_dormant: the contact named in the risk item logs in', () => {
    const { db } = tempDb();
    const accountId = addAccount(db, { account_id: accountIdWhere(false, 'power_user_dormant', '2026-03-01') });
    insertRiskItem(db, accountId, 'power_user_dormant', '2026-02-28', false, { facts: { contact_id: 'c_9' } });
    const { intervention_id } = logIntervention(
      db,
      { accountId, triggerId: 'power_user_dormant', channel: 'call', sentAt: SENT },
      now('2026-03-01'),
    );
    addSeries(db, accountId, 'logins', '2026-03-01', 20, (i) => (i === 4 ? 2 : 0), 'c_1');
    addSeries(db, accountId, 'logins', '2026-03-01', 20, (i) => (i === 6 ? 1 : 0), 'c_9');
    evaluate(db, '2026-03-20');
    expect(outcome(db, intervention_id)).toMatchObject({
      status: 'succeeded',
      days_to_success: 6,
      evidence: expect.stringMatching(/Contact c_9 logged in on 2026-03-07/),
    });
  });

  it('renewal_at_risk without a renewal date expires after the grace period', () => {
    const { db } = tempDb();
    const accountId = addAccount(db, {
      account_id: accountIdWhere(false, 'renewal_at_risk', '2026-03-01'),
      renewal_date: null,
    });
    const { intervention_id } = logIntervention(
      db,
      { accountId, triggerId: 'renewal_at_risk', channel: 'call', sentAt: SENT },
      now('2026-03-01'),
    );
    evaluate(db, '2026-04-01');
    expect(outcome(db, intervention_id)).toMatchObject({
      status: 'expired',
      due_on: '2026-03-31',
      evidence: expect.stringMatching(/no renewal date/),
    });
  });
});

describe('control group', () => {
  it('judges held-out risk items by the same criterion from the firing date', () => {
    const { db } = tempDb();
    const accountId = addAccount(db, { account_id: 'acc_ctrl' });
    const item = insertRiskItem(db, accountId, 'payment_failing', '2026-03-02', true);
    addEvent(db, accountId, 'payment_succeeded', '2026-03-06');
    const summary = evaluate(db, '2026-03-20');
    expect(summary.control).toMatchObject({ evaluated: 1, changed: 1 });
    const row = db.prepare('SELECT * FROM control_outcomes WHERE item_id = ?').get(item);
    expect(row).toMatchObject({
      record_id: 'control:acc_ctrl:payment_failing:2026-03-02',
      status: 'succeeded',
      days_to_success: 4,
      start_on: '2026-03-02',
      due_on: '2026-03-09',
    });
    expect(evaluate(db, '2026-03-20').control.changed).toBe(0);
  });
});

describe('manual overrides', () => {
  it('need a note, survive evaluation, and "sent" hands the decision back to the evaluation', () => {
    const { db, accountId, id } = setup();
    expect(() => setInterventionStatus(db, { ids: [id], status: 'failed' }, now('2026-03-03'))).toThrow(/needs a note/);
    expect(
      setInterventionStatus(
        db,
        { ids: [id], status: 'failed', note: 'Customer told us they are leaving.' },
        now('2026-03-03'),
      ),
    ).toEqual({ updated: 1, unchanged: 0 });
    addEvent(db, accountId, 'payment_succeeded', '2026-03-04');
    evaluate(db, '2026-03-10');
    expect(outcome(db, id)).toMatchObject({
      status: 'failed',
      manual: true,
      manual_note: 'Customer told us they are leaving.',
      evidence: 'Set to failed by hand: Customer told us they are leaving.',
    });
    setInterventionStatus(db, { ids: [id], status: 'sent' }, now('2026-03-10'));
    expect(outcome(db, id)).toMatchObject({ status: 'succeeded', manual: false, days_to_success: 3 });
  });

  it('a planned intervention becomes sent, and cannot go back to planned', () => {
    const { db } = tempDb();
    const accountId = addAccount(db, { account_id: accountIdWhere(false, 'seat_drop', '2026-03-01') });
    const planned = logIntervention(
      db,
      { accountId, triggerId: 'seat_drop', channel: 'email', status: 'planned' },
      now('2026-03-01'),
    );
    expect(() =>
      setInterventionStatus(db, { ids: [planned.intervention_id], status: 'succeeded', note: 'x' }, now('2026-03-02')),
    ).toThrow(/only planned/);
    setInterventionStatus(db, { ids: [planned.intervention_id], status: 'sent' }, now('2026-03-02'));
    expect(outcome(db, planned.intervention_id)).toMatchObject({
      status: 'sent',
      sent_at: '2026-03-02T18:00:00.000Z',
      due_on: '2026-04-01',
    });
    expect(() =>
      setInterventionStatus(db, { ids: [planned.intervention_id], status: 'planned' }, now('2026-03-02')),
    ).toThrow(/cannot go back to planned/);
  });
});
