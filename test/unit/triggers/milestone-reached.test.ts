/**
 * milestone_reached: on an account at least 180 days old, the last 30 days' mean of active users
 * is above each of the three 30-day periods before it and at least 20% above the first of them.
 * An opportunity: it never counts as a risk.
 */
import { describe, expect, it } from 'vitest';
import { customerEvidence } from '../../../src/domain/outreach/evidence.ts';
import { DEFAULT_TRIGGERS, isOpportunity } from '../../../src/domain/risk/catalog.ts';
import { DEFAULT_SCORE_CONFIG, effectiveTriggers } from '../../../src/domain/risk/config.ts';
import { isRiskTrigger } from '../../../src/domain/risk/items.ts';
import { checkTriggers } from '../../../src/domain/risk/triggers.ts';
import { AS_OF, DAY, daysAgo, makeBundle, type Fixture } from '../risk-fixtures.ts';
import { withEventId } from '../../../src/domain/contract/event-id.ts';
import { accountsRepo } from '../../../src/domain/db/repos/accounts.ts';
import { contactsRepo } from '../../../src/domain/db/repos/contacts.ts';
import { eventsRepo } from '../../../src/domain/db/repos/events.ts';
import { metricsRepo } from '../../../src/domain/db/repos/metrics.ts';
import { dayNumber, dayString } from '../../../src/domain/risk/days.ts';
import { scoreAll } from '../../../src/domain/risk/score-all.ts';
import { sampleAccount, tempDb } from '../../support/temp.ts';

const triggers = effectiveTriggers(DEFAULT_SCORE_CONFIG);

function check(fixture: Fixture) {
  const result = checkTriggers({ bundle: makeBundle(fixture), day: DAY, band: 'green', score: 80 }, triggers).find(
    (c) => c.id === 'milestone_reached',
  );
  if (!result) throw new Error('milestone_reached did not run');
  return result;
}

/** Active users by 30-day period, newest first: [last 30 days, 30–59 days ago, 60–89, 90–119]. */
const periods =
  (...means: number[]) =>
  (ago: number) =>
    means[Math.floor(ago / 30)] ?? null;

describe('milestone_reached', () => {
  it('is an opportunity, never a risk', () => {
    expect(DEFAULT_TRIGGERS.milestone_reached.kind).toBe('opportunity');
    expect(isOpportunity('milestone_reached')).toBe(true);
    expect(isRiskTrigger('milestone_reached')).toBe(false);
    expect(isRiskTrigger('integration_failing')).toBe(true);
  });

  it('fires at exactly +20% on a new high', () => {
    const result = check({ metrics: { active_users: periods(60, 55, 52, 50) } });
    expect(result.fired).toBe(true);
    expect(result.facts).toMatchObject({ mean: 60, startMean: 50, previousHigh: 55, meanDays: 30, highDays: 90 });
    expect(result.facts.growth).toBeCloseTo(0.2, 10);
    expect(result.text).toBe('Active users 30-day mean 60 vs 50 90 days ago (+20%), the highest in 90 days.');
  });

  it('does not fire at +18%, below an earlier high, or without the full history', () => {
    expect(check({ metrics: { active_users: periods(59, 55, 52, 50) } }).fired).toBe(false);
    const below = check({ metrics: { active_users: periods(61, 65, 52, 50) } });
    expect(below.fired).toBe(false);
    expect(below.text).toMatch(/below the earlier high of 65\.$/);
    expect(check({ metrics: { active_users: (ago: number) => (ago < 100 ? 80 : null) } }).fired).toBe(false);
  });

  it('does not call the ramp-up of an account younger than 180 days a milestone', () => {
    const young = check({ account: { created_at: daysAgo(179) }, metrics: { active_users: periods(80, 60, 50, 40) } });
    expect(young.fired).toBe(false);
    expect(young.text).toMatch(/too new/);
    expect(
      check({ account: { created_at: daysAgo(180) }, metrics: { active_users: periods(80, 60, 50, 40) } }).fired,
    ).toBe(true);
  });

  it('writes the value-realisation note from the same facts: people a day, the rise, the span', () => {
    const { facts } = check({ metrics: { active_users: periods(1240, 1000, 950, 918) } });
    const ctx = { locale: 'en-US', seatsPurchased: null, renewalDate: null, createdAt: null, contactNames: new Map() };
    expect(customerEvidence('milestone_reached', JSON.stringify(facts), ctx)).toMatchObject({
      count: '1,240',
      percent: '35%',
      summary:
        'On an average day over the last 30 days, 1,240 people on your team used the workspace: the most in three months, and up 35% on three months ago.',
    });
  });
});

describe('milestone_reached in a scoring run', () => {
  it('opens an item but leaves a green account off the at-risk list', () => {
    const { db } = tempDb();
    const day = (offset: number) => dayString(dayNumber(AS_OF) + offset);
    accountsRepo(db).upsert(sampleAccount({ seats_purchased: 20 }));
    contactsRepo(db).upsert({
      contact_id: 'c1',
      account_id: 'acc_1',
      name: 'Ada King',
      email: null,
      role: null,
      is_champion: true,
      active: true,
      last_seen_at: null,
    });
    const metrics = metricsRepo(db);
    for (let o = -130; o <= 0; o++) {
      const users = o > -30 ? 15 : o > -60 ? 13 : o > -90 ? 12 : 11;
      metrics.upsert({ account_id: 'acc_1', metric: 'active_users', contact_id: '', date: day(o), value: users });
      metrics.upsert({ account_id: 'acc_1', metric: 'seats_used', contact_id: '', date: day(o), value: 16 });
    }
    for (const [type, o] of [
      ['payment_succeeded', -20],
      ['csm_touch', -5],
    ] as const)
      eventsRepo(db).upsert(
        withEventId({
          event_id: null,
          account_id: 'acc_1',
          occurred_at: `${day(o)}T12:00:00.000Z`,
          type,
          value: null,
          contact_id: null,
          detail: null,
        }),
      );
    scoreAll(db, { asOf: AS_OF });
    const snapshot = db
      .prepare<[string], { at_risk: number; band: string; actionable: string }>(
        "SELECT at_risk, band, actionable FROM risk_snapshots WHERE as_of = ? AND account_id = 'acc_1'",
      )
      .get(AS_OF);
    expect(snapshot?.band).toBe('green');
    expect(snapshot?.actionable).toContain('milestone_reached');
    expect(snapshot?.at_risk).toBe(0);
  });
});
