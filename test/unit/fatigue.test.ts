import { describe, expect, it } from 'vitest';
import {
  evaluateGuard,
  RECENT_TOUCHES_SQL,
  recentTouches,
  type GuardInput,
  type Touch,
} from '../../src/domain/outreach/fatigue.ts';
import { DEFAULT_OUTREACH_SETTINGS } from '../../src/domain/outreach/settings.ts';
import { instantOf, localTime } from '../../src/domain/outreach/zoned-time.ts';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';
import { sampleAccount, tempDb } from '../support/temp.ts';

const guard = (overrides: Partial<GuardInput>) =>
  evaluateGuard({
    accountName: 'Acme Corp',
    channel: 'email',
    accountTimeZone: 'Europe/Berlin',
    now: new Date('2026-03-10T10:00:00Z'), // Tuesday 11:00 in Berlin
    heldOut: false,
    triggerLabel: 'Payment failing',
    touches: [],
    fatigue: DEFAULT_OUTREACH_SETTINGS.fatigue,
    activeHours: DEFAULT_OUTREACH_SETTINGS.activeHours,
    ...overrides,
  });

const touch = (at: string, status = 'sent'): Touch => ({ at, status, channel: 'email' });

describe('fatigue cap: at most 2 proactive touches in 14 days', () => {
  it('allows a draft after one touch', () => {
    const decision = guard({ touches: [touch('2026-03-05T10:00:00.000Z')] });
    expect(decision).toMatchObject({ status: 'ok', reason: null, touches: { count: 1, max: 2, windowDays: 14 } });
  });

  it('blocks the third touch and says when the next one is possible', () => {
    const decision = guard({ touches: [touch('2026-03-02T10:00:00.000Z'), touch('2026-03-09T10:00:00.000Z')] });
    expect(decision.status).toBe('blocked');
    expect(decision.kind).toBe('fatigue');
    expect(decision.touches.nextAllowedAt).toBe('2026-03-16T10:00:00.000Z');
    expect(decision.reason).toBe(
      'Acme Corp has already had 2 proactive touches in the last 14 days (Mar 2, Mar 9) and the fatigue guard allows 2, so another message now would feel like pressure; the next one can go out on Mar 16.',
    );
  });

  it('forgets touches older than the window, and counts planned ones ahead', () => {
    expect(guard({ touches: [touch('2026-02-24T09:00:00.000Z'), touch('2026-03-09T10:00:00.000Z')] }).status).toBe(
      'ok',
    );
    expect(
      guard({ touches: [touch('2026-03-09T10:00:00.000Z'), touch('2026-03-12T08:00:00.000Z', 'planned')] }).kind,
    ).toBe('fatigue');
  });

  it('is configurable data', () => {
    const touches = [touch('2026-03-02T10:00:00.000Z'), touch('2026-03-09T10:00:00.000Z')];
    expect(guard({ touches, fatigue: { maxTouches: 3, windowDays: 14 } }).status).toBe('ok');
    expect(guard({ touches, fatigue: { maxTouches: 2, windowDays: 7 } }).status).toBe('ok');
  });
});

describe('holdout', () => {
  it('never drafts for a control-group account, and explains why', () => {
    const decision = guard({ heldOut: true });
    expect(decision.status).toBe('blocked');
    expect(decision.kind).toBe('holdout');
    expect(decision.reason).toMatch(
      /^Acme Corp is in the control group for “Payment failing”, so Foresight does not draft outreach for it: leaving a few accounts untouched is how you learn whether outreach works\./,
    );
  });
});

describe('active hours in the account’s time zone (weekdays 09:00–17:00)', () => {
  it('lets email go inside working hours', () => {
    expect(guard({}).status).toBe('ok');
  });

  it('offers 09:00 local the same day when it is early morning', () => {
    // Wednesday 07:30 in Berlin.
    const decision = guard({ now: new Date('2026-03-11T06:30:00Z') });
    expect(decision).toMatchObject({
      status: 'deferred',
      kind: 'active_hours',
      scheduleAt: '2026-03-11T08:00:00.000Z',
      scheduleLocal: '09:00',
    });
    expect(decision.scheduleLabel).toBe('09:00 local on Wed, Mar 11');
    expect(decision.reason).toBe(
      "It's Wed 07:30 for Acme Corp (Europe/Berlin), outside their working hours (weekdays 09:00–17:00), so this can be scheduled for 09:00 local on Wed, Mar 11 instead.",
    );
  });

  it('defers a Friday-evening SMS to Monday 09:00, across the US spring-forward (EST → EDT)', () => {
    // Friday 2026-03-06 18:00 EST; clocks go forward on Sunday 2026-03-08.
    const decision = guard({
      channel: 'sms',
      accountTimeZone: 'America/New_York',
      now: new Date('2026-03-06T23:00:00Z'),
    });
    expect(decision.status).toBe('deferred');
    expect(decision.scheduleAt).toBe('2026-03-09T13:00:00.000Z'); // 09:00 EDT, not 14:00Z
  });

  it('handles the European spring-forward and the UK fall-back', () => {
    // Saturday 2026-03-28 in Berlin; CEST from Sunday 29 March.
    expect(guard({ accountTimeZone: 'Europe/Berlin', now: new Date('2026-03-28T11:00:00Z') }).scheduleAt).toBe(
      '2026-03-30T07:00:00.000Z',
    );
    // Friday 2026-10-23 17:30 BST; GMT from Sunday 25 October.
    expect(guard({ accountTimeZone: 'Europe/London', now: new Date('2026-10-23T16:30:00Z') }).scheduleAt).toBe(
      '2026-10-26T09:00:00.000Z',
    );
  });

  it('handles southern-hemisphere DST (Sydney, ends first Sunday of April)', () => {
    // Friday 2026-04-03 20:00 AEDT (UTC+11); AEST (UTC+10) from Sunday 5 April.
    expect(guard({ accountTimeZone: 'Australia/Sydney', now: new Date('2026-04-03T09:00:00Z') }).scheduleAt).toBe(
      '2026-04-05T23:00:00.000Z',
    );
  });

  it('treats 17:00 as closed and 09:00 as open', () => {
    expect(guard({ now: new Date('2026-03-10T16:00:00Z') }).status).toBe('deferred'); // 17:00 Berlin
    expect(guard({ now: new Date('2026-03-10T08:00:00Z') }).status).toBe('ok'); // 09:00 Berlin
  });

  it('does not defer in-app messages or call scripts', () => {
    expect(guard({ channel: 'in_app', now: new Date('2026-03-07T22:00:00Z') }).status).toBe('ok');
    expect(guard({ channel: 'call', now: new Date('2026-03-07T22:00:00Z') }).status).toBe('ok');
  });

  it('assumes the fallback zone when the account has none, and says so', () => {
    const decision = guard({ accountTimeZone: null, now: new Date('2026-03-10T20:00:00Z') });
    expect(decision.timeZone).toBe('UTC');
    expect(decision.reason).toContain('(UTC, assumed: the account has no time zone on record)');
    expect(guard({ accountTimeZone: 'Mars/Olympus', now: new Date('2026-03-10T20:00:00Z') }).timeZone).toBe('UTC');
  });
});

describe('zoned time', () => {
  it('resolves a local time skipped by spring-forward to just after the jump', () => {
    expect(instantOf({ year: 2026, month: 3, day: 8, hour: 2, minute: 30 }, 'America/New_York').toISOString()).toBe(
      '2026-03-08T07:30:00.000Z',
    );
  });

  it('reads local wall time and weekday', () => {
    expect(localTime(new Date('2026-03-08T06:59:00Z'), 'America/New_York')).toMatchObject({
      day: 8,
      hour: 1,
      minute: 59,
      weekday: 7,
    });
    expect(localTime(new Date('2026-03-08T07:00:00Z'), 'America/New_York')).toMatchObject({ hour: 3, minute: 0 });
  });
});

describe('counting logged touches', () => {
  it('counts sent and planned interventions in the window, but not expired plans or other accounts', () => {
    const { db } = tempDb();
    accountsRepo(db).upsert(sampleAccount());
    accountsRepo(db).upsert(sampleAccount({ account_id: 'acc_2' }));
    const insert = db.prepare(
      `INSERT INTO interventions (intervention_id, account_id, trigger_id, channel, status, planned_at, sent_at, created_at, updated_at)
       VALUES (?, ?, 'payment_failing', 'email', ?, ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`,
    );
    insert.run('a', 'acc_1', 'sent', null, '2026-03-01T10:00:00.000Z');
    insert.run('b', 'acc_1', 'succeeded', null, '2026-03-08T10:00:00.000Z');
    insert.run('c', 'acc_1', 'planned', '2026-03-12T09:00:00.000Z', null);
    insert.run('d', 'acc_1', 'expired', '2026-03-09T09:00:00.000Z', null);
    insert.run('e', 'acc_1', 'sent', null, '2026-02-20T10:00:00.000Z');
    insert.run('f', 'acc_2', 'sent', null, '2026-03-09T10:00:00.000Z');
    const touches = recentTouches(db, 'acc_1', new Date('2026-03-10T10:00:00Z'), 14);
    expect(touches.map((t) => t.at)).toEqual([
      '2026-03-01T10:00:00.000Z',
      '2026-03-08T10:00:00.000Z',
      '2026-03-12T09:00:00.000Z',
    ]);
  });

  it('counts colleagues’ touches merged from the team hub or their exports, from the start of their day', () => {
    const { db } = tempDb();
    accountsRepo(db).upsert(sampleAccount());
    const merged = (id: string, cohort: string, status: string, startOn: string) =>
      db
        .prepare(
          `INSERT INTO imported_outcomes (record_id, cohort, account_id, trigger_id, channel, status, start_on, source_file, imported_at)
           VALUES (?, ?, 'acc_1', 'payment_failing', 'call', ?, ?, 'hub:team', 't')`,
        )
        .run(id, cohort, status, startOn);
    merged('colleague_call', 'treated', 'sent', '2026-03-10');
    merged('colleague_old', 'treated', 'failed', '2026-02-01');
    merged('control', 'control', 'failed', '2026-03-09');
    merged('colleague_plan', 'treated', 'planned', '2026-03-09');
    // A merged copy of one of this book's own interventions counts once.
    db.prepare(
      `INSERT INTO interventions (intervention_id, account_id, trigger_id, channel, status, sent_at, created_at, updated_at)
       VALUES ('mine', 'acc_1', 'payment_failing', 'email', 'sent', '2026-03-10T08:00:00.000Z', 't', 't')`,
    ).run();
    merged('mine', 'treated', 'sent', '2026-03-10');
    const touches = recentTouches(db, 'acc_1', new Date('2026-03-10T10:00:00Z'), 14);
    expect(touches).toEqual([
      { at: '2026-03-09T00:00:00.000Z', status: 'planned', channel: 'call' },
      { at: '2026-03-10T00:00:00.000Z', status: 'sent', channel: 'call' },
      { at: '2026-03-10T08:00:00.000Z', status: 'sent', channel: 'email' },
    ]);
  });
});

describe('query plan', () => {
  it('reads one account’s touches through the interventions_account index, not a table scan', () => {
    const { db } = tempDb();
    const plan = db
      .prepare<{ account: string; since: string }, { detail: string }>(`EXPLAIN QUERY PLAN ${RECENT_TOUCHES_SQL}`)
      .all({ account: 'acc_1', since: '2026-01-01' })
      .map((row) => row.detail)
      .join('\n');
    expect(plan).toMatch(/SEARCH interventions USING INDEX interventions_account \(account_id=\?\)/);
  });
});
