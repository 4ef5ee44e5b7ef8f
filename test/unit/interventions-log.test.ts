import { describe, expect, it } from 'vitest';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';
import { listInterventions } from '../../src/domain/interventions/list.ts';
import { archiveTemplate } from '../../src/domain/outreach/templates.ts';
import { isAccountHeldOut, logIntervention } from '../../src/domain/interventions/log.ts';
import { saveTriggerOutcomeSettings } from '../../src/domain/interventions/settings.ts';
import { setInterventionStatus } from '../../src/domain/interventions/status.ts';
import { interventionSchemas, MAX_NOTE_LENGTH } from '../../src/shared/dto/interventions.ts';
import { accountIdWhere, addEvent, insertRiskItem } from './interventions-fixtures.ts';
import { sampleAccount, tempDb } from '../support/temp.ts';

const NOW = new Date('2026-03-10T12:00:00Z');

describe('logIntervention', () => {
  it('stores a sent intervention with a UUID, the account owner and the live risk item', () => {
    const { db } = tempDb();
    const id = accountIdWhere(false, 'payment_failing', '2026-03-10');
    accountsRepo(db).upsert(sampleAccount({ account_id: id }));
    const itemId = insertRiskItem(db, id, 'payment_failing', '2026-03-08', false);
    const record = logIntervention(
      db,
      { accountId: id, triggerId: 'payment_failing', channel: 'email', templateId: 'pay-1', templateVersion: 2 },
      NOW,
    );
    expect(record.intervention_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(record).toMatchObject({
      owner_email: 'csm@example.com',
      risk_item_id: itemId,
      status: 'sent',
      sent_at: NOW.toISOString(),
      holdout: false,
      excluded_from_uplift: false,
    });
    expect(db.prepare('SELECT count(*) FROM interventions').pluck().get()).toBe(1);
  });

  it('refuses a touch on a churned account, and marking one succeeded by hand once its account churned', () => {
    const { db } = tempDb();
    const id = accountIdWhere(false, 'usage_drop', '2026-03-10');
    accountsRepo(db).upsert(sampleAccount({ account_id: id }));
    // Logged while the account was active, then the account churns.
    const before = logIntervention(db, { accountId: id, triggerId: 'usage_drop', channel: 'email' }, NOW);
    accountsRepo(db).upsert(sampleAccount({ account_id: id, status: 'churned', churned_at: '2026-03-11' }));
    const later = new Date('2026-03-12T09:00:00Z');
    expect(() =>
      logIntervention(db, { accountId: id, triggerId: 'usage_drop', channel: 'email', force: true }, later),
    ).toThrow(
      expect.objectContaining({
        code: 'ACCOUNT_CHURNED',
        message: `${id} churned on 2026-03-11, so there is no one to reach out to and the intervention was not logged.`,
      }),
    );
    // A touch sent before the churn may still be recorded after the fact.
    expect(
      logIntervention(db, { accountId: id, triggerId: 'usage_drop', channel: 'call', sentAt: '2026-03-10' }, later),
    ).toMatchObject({ account_id: id });
    expect(() =>
      setInterventionStatus(db, { ids: [before.intervention_id], status: 'succeeded', note: 'They said yes' }, later),
    ).toThrow(
      expect.objectContaining({
        code: 'ACCOUNT_CHURNED',
        message: expect.stringMatching(/cannot be marked succeeded/),
      }),
    );
    // Failed by hand is still allowed: it is what happened.
    expect(
      setInterventionStatus(db, { ids: [before.intervention_id], status: 'failed', note: 'Churned' }, later),
    ).toMatchObject({ updated: 1 });
  });

  it('refuses a send or reply time in the future, beyond a few minutes of clock skew', () => {
    const { db } = tempDb();
    const id = accountIdWhere(false, 'payment_failing', '2026-03-10');
    accountsRepo(db).upsert(sampleAccount({ account_id: id }));
    const log = (sentAt: string, repliedAt: string | null = null) =>
      logIntervention(db, { accountId: id, triggerId: 'payment_failing', channel: 'email', sentAt, repliedAt }, NOW);
    expect(() => log('2030-01-01')).toThrow(
      expect.objectContaining({
        code: 'FUTURE_TIME',
        message:
          'The sent time 2030-01-01 00:00 UTC is in the future; log a touch once it has gone out, or log it as planned.',
      }),
    );
    expect(() => log('2026-03-10T12:06:00Z')).toThrow(expect.objectContaining({ code: 'FUTURE_TIME' }));
    expect(() => log('2026-03-10T11:00:00Z', '2026-03-11')).toThrow(
      expect.objectContaining({ code: 'FUTURE_TIME', message: expect.stringMatching(/^The reply time/) }),
    );
    expect(db.prepare('SELECT count(*) FROM interventions').pluck().get()).toBe(0);
    // A laptop a few minutes ahead is not the future; a plan for later is fine.
    expect(log('2026-03-10T12:04:00Z').sent_at).toBe('2026-03-10T12:04:00.000Z');
    expect(
      logIntervention(
        db,
        { accountId: id, triggerId: 'payment_failing', channel: 'call', status: 'planned', plannedAt: '2030-01-01' },
        NOW,
      ).status,
    ).toBe('planned');
  });

  it('caps notes at the API schema’s length, whoever logs them', () => {
    const { db } = tempDb();
    const id = accountIdWhere(false, 'payment_failing', '2026-03-10');
    accountsRepo(db).upsert(sampleAccount({ account_id: id }));
    const log = (notes: string) =>
      logIntervention(db, { accountId: id, triggerId: 'payment_failing', channel: 'email', notes }, NOW);
    expect(() => log('x'.repeat(100_000))).toThrow(
      expect.objectContaining({
        code: 'NOTE_TOO_LONG',
        message: `The note is 100,000 characters long; notes hold at most ${MAX_NOTE_LENGTH.toLocaleString('en')}.`,
      }),
    );
    expect(
      interventionSchemas.log.safeParse({
        accountId: id,
        triggerId: 'x',
        channel: 'email',
        notes: 'x'.repeat(MAX_NOTE_LENGTH + 1),
      }).success,
    ).toBe(false);
    expect(log(`  ${'x'.repeat(MAX_NOTE_LENGTH)}  `).notes).toHaveLength(MAX_NOTE_LENGTH);
  });

  it('flags an exact repeat of a touch (same account, trigger, channel, note and minute)', () => {
    const { db } = tempDb();
    const id = accountIdWhere(false, 'payment_failing', '2026-03-10');
    accountsRepo(db).upsert(sampleAccount({ account_id: id }));
    const log = (sentAt: string, notes = 'Called about the card') =>
      logIntervention(db, { accountId: id, triggerId: 'payment_failing', channel: 'call', sentAt, notes }, NOW);
    const first = log('2026-03-10T09:00:10Z');
    expect(first.duplicate_of).toBeNull();
    expect(log('2026-03-10T09:00:50Z').duplicate_of).toBe(first.intervention_id);
    expect(log('2026-03-10T09:01:00Z').duplicate_of).toBeNull();
    expect(log('2026-03-10T09:00:30Z', 'Another note').duplicate_of).toBeNull();
  });

  it('lists a touch with its template’s name, kept after the template is deleted', () => {
    const { db } = tempDb();
    const id = accountIdWhere(false, 'payment_failing', '2026-03-10');
    accountsRepo(db).upsert(sampleAccount({ account_id: id }));
    db.prepare(
      `INSERT INTO outreach_templates (template_id, name, trigger_id, channel, based_on, current_version, archived, created_at, updated_at)
       VALUES ('tpl_card', 'Card update, short', 'payment_failing', 'email', NULL, 2, 0, '2026-03-01', '2026-03-02')`,
    ).run();
    for (const [version, name] of [
      [1, 'Card update'],
      [2, 'Card update, short'],
    ] as const)
      db.prepare(
        `INSERT INTO outreach_template_versions (template_id, version, name, subject, body, created_at)
         VALUES ('tpl_card', ?, ?, 'Subject', 'Body', '2026-03-01')`,
      ).run(version, name);
    const touch = { accountId: id, triggerId: 'payment_failing', channel: 'email' } as const;
    logIntervention(db, { ...touch, templateId: 'tpl_card', templateVersion: 1 }, NOW);
    logIntervention(db, { ...touch, templateId: 'builtin.payment_failing.email', templateVersion: 2 }, NOW);
    archiveTemplate(db, 'tpl_card', NOW);
    const names = listInterventions(db).rows.map((r) => [r.template_id, r.template_name]);
    expect(names).toContainEqual(['tpl_card', 'Card update']);
    expect(names.find(([tid]) => tid === 'builtin.payment_failing.email')?.[1]).toMatch(/\S/);
  });

  it('refuses an account whose live risk item is in the control group, unless forced', () => {
    const { db } = tempDb();
    accountsRepo(db).upsert(sampleAccount());
    insertRiskItem(db, 'acc_1', 'usage_drop', '2026-03-01', true);
    expect(isAccountHeldOut(db, 'acc_1', 'usage_drop', '2026-03-10')).toBe(true);
    expect(() => logIntervention(db, { accountId: 'acc_1', triggerId: 'usage_drop', channel: 'call' }, NOW)).toThrow(
      expect.objectContaining({ code: 'HOLDOUT', message: expect.stringMatching(/control group/) }),
    );
    expect(db.prepare('SELECT count(*) FROM interventions').pluck().get()).toBe(0);
    const forced = logIntervention(
      db,
      { accountId: 'acc_1', triggerId: 'usage_drop', channel: 'call', force: true },
      NOW,
    );
    expect(forced).toMatchObject({ holdout: true, excluded_from_uplift: true });
    expect(db.prepare('SELECT excluded_from_uplift FROM interventions').pluck().get()).toBe(1);
  });

  it('uses the stable draw when there is no risk item, and a share of 0 holds out nobody', () => {
    const { db } = tempDb();
    const held = accountIdWhere(true, 'detractor', '2026-03-10');
    accountsRepo(db).upsert(sampleAccount({ account_id: held }));
    expect(isAccountHeldOut(db, held, 'detractor', '2026-03-10')).toBe(true);
    expect(() => logIntervention(db, { accountId: held, triggerId: 'detractor', channel: 'email' }, NOW)).toThrow(
      /control group/,
    );
    saveTriggerOutcomeSettings(db, 'detractor', { holdoutShare: 0 }, NOW);
    expect(isAccountHeldOut(db, held, 'detractor', '2026-03-10')).toBe(false);
    expect(logIntervention(db, { accountId: held, triggerId: 'detractor', channel: 'email' }, NOW).holdout).toBe(false);
  });

  it('a live treated item wins over the draw', () => {
    const { db } = tempDb();
    const held = accountIdWhere(true, 'detractor', '2026-03-10');
    accountsRepo(db).upsert(sampleAccount({ account_id: held }));
    insertRiskItem(db, held, 'detractor', '2026-02-20', false);
    expect(logIntervention(db, { accountId: held, triggerId: 'detractor', channel: 'email' }, NOW).holdout).toBe(false);
  });

  it('keeps a planned intervention unsent and refuses unknown accounts and bad dates with one sentence', () => {
    const { db } = tempDb();
    const id = accountIdWhere(false, 'seat_drop', '2026-03-10');
    accountsRepo(db).upsert(sampleAccount({ account_id: id }));
    const planned = logIntervention(
      db,
      { accountId: id, triggerId: 'seat_drop', channel: 'in_app', status: 'planned', plannedAt: '2026-03-12' },
      NOW,
    );
    expect(planned).toMatchObject({ status: 'planned', sent_at: null, planned_at: '2026-03-12T00:00:00.000Z' });
    expect(() => logIntervention(db, { accountId: 'nope', triggerId: 'seat_drop', channel: 'email' }, NOW)).toThrow(
      /no account with the id "nope"/,
    );
    expect(() =>
      logIntervention(db, { accountId: id, triggerId: 'seat_drop', channel: 'email', sentAt: '2026-02-31' }, NOW),
    ).toThrow(/not a date/);
  });

  it('applies the fatigue guard when asked (as the CLI and API do), states the real cap, and records a forced override', () => {
    const { db } = tempDb();
    const id = accountIdWhere(false, 'payment_failing', '2026-03-10');
    accountsRepo(db).upsert(sampleAccount({ account_id: id, name: 'Acme Corp' }));
    const touch = (day: string, extra: Partial<Parameters<typeof logIntervention>[1]> = {}) =>
      logIntervention(
        db,
        {
          accountId: id,
          triggerId: 'payment_failing',
          channel: 'email',
          sentAt: `${day}T09:00:00Z`,
          enforceFatigue: true,
          ...extra,
        },
        NOW,
      );
    touch('2026-03-02');
    touch('2026-03-05');
    expect(() => touch('2026-03-09')).toThrow(
      /^Acme Corp has already had 2 proactive touches in the last 14 days \(.*\) and the fatigue guard allows 2, .* Use force to log it anyway/,
    );
    const forced = touch('2026-03-09', { force: true, effortRating: 2, repliedAt: '2026-03-09T15:00:00Z' });
    expect(forced).toMatchObject({ fatigue_override: true, effort_rating: 2, replied_at: '2026-03-09T15:00:00.000Z' });
    expect(() => touch('2026-03-09', { force: true, effortRating: 9 })).toThrow(/from 1 to 7/);
    // A touch logged after the fact is judged by the 14 days before it was sent, not by today's.
    expect(touch('2026-02-01')).toMatchObject({ fatigue_override: false, sent_at: '2026-02-01T09:00:00.000Z' });
    touch('2026-02-05');
    expect(() => touch('2026-02-10')).toThrow(
      /^Acme Corp has already had 2 proactive touches in the last 14 days \(Feb 1, Feb 5\) and the fatigue guard allows 2, .* the next one can go out on Feb 15\./,
    );
    // Without enforcement (the demo history, the outreach screen's own check) nothing is refused.
    expect(logIntervention(db, { accountId: id, triggerId: 'payment_failing', channel: 'call' }, NOW)).toMatchObject({
      fatigue_override: false,
    });
  });

  it('lists replies, logged or from a reply_received event within 14 days, and overrides of the fatigue cap', () => {
    const { db } = tempDb();
    const ids = ['a', 'b', 'c', 'd'].map((p) => accountIdWhere(false, 'detractor', '2026-03-01', 0.1, `${p}_`));
    for (const id of ids) accountsRepo(db).upsert(sampleAccount({ account_id: id, name: `Account ${id}` }));
    const log = (id: string, extra: Partial<Parameters<typeof logIntervention>[1]> = {}) =>
      logIntervention(
        db,
        { accountId: id, triggerId: 'detractor', channel: 'email', sentAt: '2026-03-02T09:00:00Z', ...extra },
        NOW,
      );
    log(ids[0]!, { repliedAt: '2026-03-03T10:00:00Z' });
    log(ids[1]!);
    addEvent(db, ids[1]!, 'reply_received', '2026-03-16'); // day 14 after sending: still the answer
    log(ids[2]!);
    addEvent(db, ids[2]!, 'reply_received', '2026-03-17'); // day 15: too late to be this touch's reply
    addEvent(db, ids[2]!, 'reply_received', '2026-03-01'); // before the touch
    log(ids[3]!);
    db.prepare('UPDATE interventions SET fatigue_override = 1 WHERE account_id = ?').run(ids[3]!);
    const rows = new Map(listInterventions(db).rows.map((r) => [r.account_id, r]));
    const pick = (id: string) => {
      const r = rows.get(id)!;
      return [r.reply_at?.slice(0, 10) ?? null, r.reply_source, r.fatigue_override];
    };
    expect(ids.map(pick)).toEqual([
      ['2026-03-03', 'logged', false],
      ['2026-03-16', 'event', false],
      [null, null, false],
      [null, null, true],
    ]);
  });
});
