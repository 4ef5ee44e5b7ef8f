/**
 * Every trigger just inside and just outside each of its thresholds. Windows are inclusive of the
 * as-of day: "the last 30 days" is the as-of day and the 29 before it.
 */
import { describe, expect, it } from 'vitest';
import type { TriggerId } from '../../src/domain/risk/catalog.ts';
import { DEFAULT_SCORE_CONFIG, effectiveTriggers } from '../../src/domain/risk/config.ts';
import { checkTriggers, type Band } from '../../src/domain/risk/triggers.ts';
import { DAY, daysAgo, makeBundle, step, type Fixture } from './risk-fixtures.ts';

const triggers = effectiveTriggers(DEFAULT_SCORE_CONFIG);

function check(id: TriggerId, fixture: Fixture, band: Band | null = 'green', score: number | null = 80) {
  const result = checkTriggers({ bundle: makeBundle(fixture), day: DAY, band, score }, triggers).find(
    (c) => c.id === id,
  );
  if (!result) throw new Error(`no check for ${id}`);
  return result;
}
const fires = (id: TriggerId, fixture: Fixture, band?: Band | null, score?: number | null) =>
  check(id, fixture, band, score).fired;

describe('setup_incomplete: created 3+ days ago, no setup_completed, younger than 60 days', () => {
  it('fires from day 3 to day 59 without setup', () => {
    expect(fires('setup_incomplete', { account: { created_at: daysAgo(3) } })).toBe(true);
    expect(fires('setup_incomplete', { account: { created_at: daysAgo(59) } })).toBe(true);
  });
  it('does not fire on day 2, from day 60, or once setup is completed', () => {
    expect(fires('setup_incomplete', { account: { created_at: daysAgo(2) } })).toBe(false);
    expect(fires('setup_incomplete', { account: { created_at: daysAgo(60) } })).toBe(false);
    expect(
      fires('setup_incomplete', {
        account: { created_at: daysAgo(10) },
        events: [{ type: 'setup_completed', daysAgo: 8 }],
      }),
    ).toBe(false);
  });
  it('says how old the account is', () => {
    expect(check('setup_incomplete', { account: { created_at: daysAgo(12) } }).text).toBe(
      `Created 12 days ago (${daysAgo(12)}) and setup is still not completed.`,
    );
  });
});

describe('onboarding_stalled: onboarding_completed 7+ days ago and zero core_feature_uses since', () => {
  const stalled = (ago: number, usesSince: number): Fixture => ({
    events: [{ type: 'onboarding_completed', daysAgo: ago }],
    metrics: { core_feature_uses: (d) => (d === 1 ? usesSince : d >= ago ? 5 : 0) },
  });
  it('fires 7 days after onboarding with no use since', () =>
    expect(fires('onboarding_stalled', stalled(7, 0))).toBe(true));
  it('does not fire at 6 days', () => expect(fires('onboarding_stalled', stalled(6, 0))).toBe(false));
  it('does not fire after a single use', () => expect(fires('onboarding_stalled', stalled(7, 1))).toBe(false));
  it('does not fire without onboarding', () =>
    expect(fires('onboarding_stalled', { metrics: { core_feature_uses: 0 } })).toBe(false));
});

describe('payment_failing: 3+ payment_failed in 30 days after the last payment_succeeded', () => {
  const failures = (...agos: number[]) => agos.map((d) => ({ type: 'payment_failed', daysAgo: d }));
  it('fires on three failures inside the window', () => {
    expect(fires('payment_failing', { events: failures(29, 10, 2) })).toBe(true);
  });
  it('does not fire on two failures, or when the third is 30 days ago', () => {
    expect(fires('payment_failing', { events: failures(10, 2) })).toBe(false);
    expect(fires('payment_failing', { events: failures(30, 10, 2) })).toBe(false);
  });
  it('does not fire once a payment succeeds after the latest failure, and does again if one fails after that', () => {
    expect(
      fires('payment_failing', { events: [...failures(20, 10, 2), { type: 'payment_succeeded', daysAgo: 1 }] }),
    ).toBe(false);
    expect(
      fires('payment_failing', {
        events: [...failures(20, 10), { type: 'payment_succeeded', daysAgo: 8 }, ...failures(6, 4, 2)],
      }),
    ).toBe(true);
  });
  it('counts only the failures after the last success, as the billing component does', () => {
    // Found by QA: failures on days 24, 18, 10 and 5 ago with a success 18 days ago (before that
    // day's failure) told the customer "the last 4 attempts didn't go through".
    const events = [
      { type: 'payment_failed', daysAgo: 24 },
      { type: 'payment_succeeded', daysAgo: 18, second: 3600 },
      { type: 'payment_failed', daysAgo: 18, second: 7200 },
      ...failures(10, 5),
    ];
    const result = check('payment_failing', { events });
    expect(result.fired).toBe(true);
    expect(result.facts).toMatchObject({ failures: 3 });
    expect(result.text).toMatch(/^3 failed payments since the last successful one on \d{4}-\d{2}-\d{2} \(latest /);
    expect(
      fires('payment_failing', {
        events: [...failures(20, 10), { type: 'payment_succeeded', daysAgo: 8 }, ...failures(2)],
      }),
    ).toBe(false);
  });
  it('orders a same-day success after a failure by time', () => {
    const events = [
      ...failures(20, 10),
      { type: 'payment_failed', daysAgo: 1, second: 3600 },
      { type: 'payment_succeeded', daysAgo: 1, second: 7200 },
    ];
    expect(fires('payment_failing', { events })).toBe(false);
  });
});

describe('power_user_dormant: logins on 20+ of the 28 days before the last 10, and none in the last 10', () => {
  /** Logged in on `active` of the 28 baseline days (days 10–37 ago), and on `recentDay` if given. */
  const user = (active: number, recentDay: number | null = null): Fixture => ({
    contacts: [{ contact_id: 'con_power', name: 'Dana Lee' }],
    contactLogins: { con_power: (d) => (d === recentDay ? 1 : d >= 10 && d <= 37 ? (d - 10 < active ? 2 : 0) : 0) },
  });
  it('fires at 20 active days and a quiet 10 days', () => {
    const result = check('power_user_dormant', user(20));
    expect(result.fired).toBe(true);
    expect(result.text).toBe(
      'Dana Lee logged in on 20 of the 28 days before the last 10, then not once in the last 10 days.',
    );
    expect(result.facts).toMatchObject({ contactId: 'con_power', contactName: 'Dana Lee', activeDays: 20 });
  });
  it('does not fire at 19 active days', () => expect(fires('power_user_dormant', user(19))).toBe(false));
  it('does not fire after a login 9 days ago', () => expect(fires('power_user_dormant', user(20, 9))).toBe(false));
  it('ignores contacts who have left the company', () => {
    expect(
      fires('power_user_dormant', {
        ...user(25),
        contacts: [{ contact_id: 'con_power', name: 'Dana Lee', active: false }],
      }),
    ).toBe(false);
  });
});

describe('usage_drop: 14-day mean ≤ 70% of the preceding 28-day mean, baseline ≥ 5', () => {
  it('fires at exactly 70%', () =>
    expect(fires('usage_drop', { metrics: { active_users: step(14, 7, 10) } })).toBe(true));
  it('does not fire at 71%', () =>
    expect(fires('usage_drop', { metrics: { active_users: step(14, 7.1, 10) } })).toBe(false));
  it('fires on a baseline of exactly 5, not 4.9', () => {
    expect(fires('usage_drop', { metrics: { active_users: step(14, 3.5, 5) } })).toBe(true);
    expect(fires('usage_drop', { metrics: { active_users: step(14, 3.4, 4.9) } })).toBe(false);
  });
  it('falls back to usage when there are no active users', () => {
    const result = check('usage_drop', { metrics: { usage: step(14, 300, 1000) } });
    expect(result.fired).toBe(true);
    expect(result.text).toBe('Usage 14-day mean 300 vs the preceding 28-day mean 1,000 (−70%).');
  });
  it('words the evidence with the means and the change', () => {
    expect(check('usage_drop', { metrics: { active_users: step(14, 12, 31) } }).text).toBe(
      'Active users 14-day mean 12 vs the preceding 28-day mean 31 (−61%).',
    );
  });
});

describe('seat_drop: 7-day mean of seats_used ≤ 80% of the prior 28-day mean', () => {
  it('fires at exactly 80%', () => expect(fires('seat_drop', { metrics: { seats_used: step(7, 8, 10) } })).toBe(true));
  it('does not fire at 81%', () =>
    expect(fires('seat_drop', { metrics: { seats_used: step(7, 8.1, 10) } })).toBe(false));
});

describe('seat_underuse: seats_used / seats_purchased < 50% on an account older than 90 days', () => {
  const underuse = (used: number, age: number): Fixture => ({
    account: { seats_purchased: 100, created_at: daysAgo(age) },
    metrics: { seats_used: used },
  });
  it('fires at 49% on a 91-day-old account', () => expect(fires('seat_underuse', underuse(49, 91))).toBe(true));
  it('does not fire at 50%', () => expect(fires('seat_underuse', underuse(50, 91))).toBe(false));
  it('does not fire at 90 days old', () => expect(fires('seat_underuse', underuse(49, 90))).toBe(false));
});

describe('approaching_limit: 7-day mean of usage ≥ 80% of usage_limit', () => {
  it('fires at 80%', () =>
    expect(fires('approaching_limit', { account: { usage_limit: 1000 }, metrics: { usage: 800 } })).toBe(true));
  it('does not fire at 79.9%', () =>
    expect(fires('approaching_limit', { account: { usage_limit: 1000 }, metrics: { usage: 799 } })).toBe(false));
});

describe('renewal_at_risk: renewal within 90 days and band red or yellow', () => {
  it('fires at 90 days on yellow and on red', () => {
    expect(fires('renewal_at_risk', { account: { renewal_date: daysAgo(-90) } }, 'yellow', 55)).toBe(true);
    expect(fires('renewal_at_risk', { account: { renewal_date: daysAgo(0) } }, 'red', 30)).toBe(true);
  });
  it('does not fire at 91 days, on green, or after the date', () => {
    expect(fires('renewal_at_risk', { account: { renewal_date: daysAgo(-91) } }, 'yellow', 55)).toBe(false);
    expect(fires('renewal_at_risk', { account: { renewal_date: daysAgo(-30) } }, 'green', 75)).toBe(false);
    expect(fires('renewal_at_risk', { account: { renewal_date: daysAgo(1) } }, 'red', 30)).toBe(false);
  });
});

describe('champion_left: champion_left in 30 days with no champion_assigned after, or no active champion remains', () => {
  const champion = { contact_id: 'con_champ', name: 'Ada King', is_champion: true };
  it('fires when the champion left 29 days ago and nobody was assigned', () => {
    const result = check('champion_left', {
      contacts: [{ ...champion, active: false, is_champion: false }, { name: 'Other' }],
      events: [{ type: 'champion_left', daysAgo: 29, contact: 'con_champ' }],
    });
    expect(result.fired).toBe(true);
    expect(result.text).toBe(
      `Champion Ada King left ${daysAgo(29)} (29 days ago) and no new champion has been assigned.`,
    );
    expect(result.facts).toMatchObject({ contactId: 'con_champ', contactName: 'Ada King' });
  });
  it('does not fire when a new champion was assigned after, or the departure is 30 days old and a champion is active', () => {
    const newChampion = { contact_id: 'con_new', name: 'Bo Chen', is_champion: true };
    expect(
      fires('champion_left', {
        contacts: [newChampion],
        events: [
          { type: 'champion_left', daysAgo: 10, contact: 'con_champ' },
          { type: 'champion_assigned', daysAgo: 5, contact: 'con_new' },
        ],
      }),
    ).toBe(false);
    expect(
      fires('champion_left', {
        contacts: [newChampion],
        events: [{ type: 'champion_left', daysAgo: 30, contact: 'con_champ' }],
      }),
    ).toBe(false);
  });
  it('fires when the only champion on record is no longer active', () => {
    expect(fires('champion_left', { contacts: [{ ...champion, active: false }, { name: 'Other' }] })).toBe(true);
  });
  it('does not fire on an account that never recorded a champion', () => {
    expect(fires('champion_left', { contacts: [{ name: 'Someone' }] })).toBe(false);
  });
});

describe('support_surge: 3+ tickets in 30 days and ≥ 2× the monthly mean of the prior 90, or an escalation in 14 days', () => {
  const tickets = (recent: number[], baseline: number[], escalated: number[] = []): Fixture => ({
    events: [...recent, ...baseline]
      .map((d) => ({ type: 'ticket_opened', daysAgo: d }))
      .concat(escalated.map((d) => ({ type: 'ticket_escalated', daysAgo: d }))),
  });
  it('fires on 3 tickets against a baseline of 1.3 a month', () =>
    expect(fires('support_surge', tickets([1, 5, 29], [40, 70, 100, 119]))).toBe(true));
  it('does not fire on 2 tickets', () => expect(fires('support_surge', tickets([1, 5], []))).toBe(false));
  it('does not fire on 3 tickets against a baseline of 2 a month (needs 4)', () =>
    expect(fires('support_surge', tickets([1, 5, 29], [35, 45, 60, 80, 100, 119]))).toBe(false));
  it('fires on 4 tickets against that baseline', () =>
    expect(fires('support_surge', tickets([1, 5, 20, 29], [35, 45, 60, 80, 100, 119]))).toBe(true));
  it('fires on an escalation 13 days ago, not 14', () => {
    expect(fires('support_surge', tickets([], [], [13]))).toBe(true);
    expect(fires('support_surge', tickets([], [], [14]))).toBe(false);
  });
});

describe('detractor: the latest nps_response in 60 days is 6 or less', () => {
  const nps = (...answers: [number, number][]): Fixture => ({
    events: answers.map(([ago, value]) => ({ type: 'nps_response', daysAgo: ago, value })),
  });
  it('fires on a 6 answered 59 days ago', () => expect(fires('detractor', nps([59, 6]))).toBe(true));
  it('does not fire on a 7, or on a 6 answered 60 days ago', () => {
    expect(fires('detractor', nps([10, 7]))).toBe(false);
    expect(fires('detractor', nps([60, 6]))).toBe(false);
  });
  it('only the latest answer counts', () => {
    expect(fires('detractor', nps([40, 3], [5, 8]))).toBe(false);
    expect(fires('detractor', nps([40, 9], [5, 4]))).toBe(true);
  });
});

describe('silent_churn: usage_drop or seat_drop holds, and no ticket and no CSM touch in 60 days', () => {
  const silent = (touchAgo: number | null, ticketAgo: number | null = null): Fixture => ({
    metrics: { active_users: step(14, 6, 10) },
    events: [
      ...(touchAgo === null ? [] : [{ type: 'csm_touch', daysAgo: touchAgo }]),
      ...(ticketAgo === null ? [] : [{ type: 'ticket_opened', daysAgo: ticketAgo }]),
    ],
  });
  it('fires with a drop and a last touch 60 days ago', () => expect(fires('silent_churn', silent(60))).toBe(true));
  it('does not fire with a touch 59 days ago or a ticket 59 days ago', () => {
    expect(fires('silent_churn', silent(59))).toBe(false);
    expect(fires('silent_churn', silent(null, 59))).toBe(false);
  });
  it('fires on a seat drop too, and not without a drop', () => {
    expect(fires('silent_churn', { metrics: { seats_used: step(7, 8, 10) } })).toBe(true);
    expect(fires('silent_churn', { metrics: { active_users: 10 } })).toBe(false);
  });
});

describe('performance_degradation: 3-day mean of latency_ms ≥ 115% of its 28-day median', () => {
  it('fires at 115%', () =>
    expect(fires('performance_degradation', { metrics: { latency_ms: step(3, 115, 100) } })).toBe(true));
  it('does not fire at 114%', () =>
    expect(fires('performance_degradation', { metrics: { latency_ms: step(3, 114, 100) } })).toBe(false));
  it('uses the median, so one slow day in the baseline does not hide a slowdown', () => {
    expect(
      fires('performance_degradation', { metrics: { latency_ms: (d) => (d < 3 ? 120 : d === 10 ? 5000 : 100) } }),
    ).toBe(true);
  });
});

describe('thresholds are data', () => {
  it('a configured parameter changes the outcome without code', () => {
    const strict = effectiveTriggers({
      ...DEFAULT_SCORE_CONFIG,
      triggers: { usage_drop: { params: { maxShare: 0.5 } } },
    });
    const bundle = makeBundle({ metrics: { active_users: step(14, 6, 10) } });
    expect(
      checkTriggers({ bundle, day: DAY, band: 'green', score: 80 }, triggers).find((c) => c.id === 'usage_drop')?.fired,
    ).toBe(true);
    expect(
      checkTriggers({ bundle, day: DAY, band: 'green', score: 80 }, strict).find((c) => c.id === 'usage_drop')?.fired,
    ).toBe(false);
  });
  it('a trigger turned off is not checked', () => {
    const off = effectiveTriggers({ ...DEFAULT_SCORE_CONFIG, triggers: { detractor: { enabled: false } } });
    expect(
      checkTriggers({ bundle: makeBundle(), day: DAY, band: 'green', score: 80 }, off).map((c) => c.id),
    ).not.toContain('detractor');
  });
});
