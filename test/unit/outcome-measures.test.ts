import { describe, expect, it } from 'vitest';
import { evaluateOutcomes } from '../../src/domain/interventions/evaluate.ts';
import { logIntervention } from '../../src/domain/interventions/log.ts';
import { buildOutcomeReport } from '../../src/domain/interventions/report.ts';
import { tempDb } from '../support/temp.ts';
import { addAccount, addEvent, addMetric, insertRiskItem } from './interventions-fixtures.ts';

/** Two plays; payment accounts open more tickets than champion ones, whichever group they are in. */
function book() {
  const { db } = tempDb();
  let n = 0;
  const episode = (trigger: 'payment_failing' | 'champion_left', treated: boolean, tickets: number) => {
    const id = addAccount(db, { account_id: `m_${n++}` });
    insertRiskItem(db, id, trigger, '2026-01-01', !treated);
    if (treated)
      logIntervention(
        db,
        { accountId: id, triggerId: trigger, channel: 'email', sentAt: '2026-01-02T09:00:00Z' },
        new Date('2026-01-02T10:00:00Z'),
      );
    addMetric(db, id, 'active_users', '2026-01-03', 2);
    for (let t = 0; t < tickets; t++) {
      addEvent(db, id, 'ticket_opened', `2026-02-1${t}T09:00:00Z`);
      addEvent(db, id, 'ticket_closed', `2026-02-1${t + 2}T09:00:00Z`);
    }
    return id;
  };
  const first = episode('payment_failing', true, 2);
  for (let i = 0; i < 3; i++) episode('payment_failing', true, 2);
  episode('payment_failing', false, 2);
  episode('champion_left', true, 0);
  for (let i = 0; i < 3; i++) episode('champion_left', false, 0);
  evaluateOutcomes(db, { asOf: '2026-05-01', now: new Date('2026-05-01T00:00:00Z') });
  return { db, first };
}

describe('the other measures of proactive support', () => {
  it('counts inbound tickets per active account by period, with the control standardised to the treated mix', () => {
    const { db } = book();
    const report = buildOutcomeReport(db, { asOf: '2026-05-01', by: 'trigger' });
    // Days 31–60 after 2026-01-02 hold the February tickets. Pooled, control would be 2/4 = 0.5;
    // standardised to the treated mix (4 payment, 1 champion) it is (4·2 + 1·0)/5 = 1.6, like treated.
    expect(report.deflection.map((d) => d.period)).toEqual(['days 1–30', 'days 31–60', 'days 61–90']);
    expect(report.deflection[1]).toMatchObject({
      treated: { accounts: 5, per_account: 1.6 },
      control: { accounts: 4, per_account: 1.6 },
    });
    expect(report.deflection[0]!.treated.per_account).toBe(0);
  });

  it('gives the response rate from replies logged on the touch or reply_received events', () => {
    const { db, first } = book();
    db.prepare("UPDATE interventions SET replied_at = '2026-01-03T09:00:00Z' WHERE account_id = ?").run(first);
    addEvent(db, 'm_1', 'reply_received', '2026-01-05T09:00:00Z');
    addEvent(db, 'm_2', 'reply_received', '2026-03-05T09:00:00Z'); // weeks later: not a reply to this touch
    const report = buildOutcomeReport(db, { asOf: '2026-05-01', by: 'trigger' });
    expect(report.response).toEqual({ sent: 5, replied: 2, rate: 0.4, waiting: 0 });
    // Within the 14-day reply window nothing is known yet: those touches wait, replied or not.
    expect(buildOutcomeReport(db, { asOf: '2026-01-16', by: 'trigger' }).response).toEqual({
      sent: 0,
      replied: 0,
      rate: null,
      waiting: 5,
    });
    expect(buildOutcomeReport(db, { asOf: '2026-01-17', by: 'trigger' }).response).toMatchObject({
      sent: 5,
      waiting: 0,
    });
  });

  it('compares days to success of outreach with days to close an inbound ticket', () => {
    const { db } = book();
    const report = buildOutcomeReport(db, { asOf: '2026-05-01', by: 'trigger' });
    expect(report.resolution?.tickets).toEqual({ n: 8, median_days: 2 });
    expect(report.resolution?.outreach.n).toBe(0);
  });
});
