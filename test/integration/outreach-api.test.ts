import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app/create-app.ts';
import type { NativeBridge } from '../../src/app/native.ts';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';
import { contactsRepo } from '../../src/domain/db/repos/contacts.ts';
import type { Db } from '../../src/domain/db/open.ts';
import type { ApiEvent } from '../../src/shared/events.ts';
import type { OutreachDraft } from '../../src/shared/dto/outreach.ts';
import { sampleAccount, tempDir } from '../support/temp.ts';

// Tuesday 10 March 2026, 10:00 in Berlin (the sample account's zone).
const WORKING = new Date('2026-03-10T09:00:00Z');

function seed(db: Db) {
  accountsRepo(db).upsert(sampleAccount({ owner_email: 'maya.chen@foresight.example' }));
  contactsRepo(db).upsert({
    contact_id: 'c1',
    account_id: 'acc_1',
    name: 'Jana Weber',
    email: 'jana.weber@acme.example',
    role: 'Head of Operations',
    is_champion: true,
    active: true,
    last_seen_at: null,
  });
  contactsRepo(db).upsert({
    contact_id: 'c2',
    account_id: 'acc_1',
    name: 'Aaron Abel',
    email: 'aaron@acme.example',
    role: 'Admin',
    is_champion: false,
    active: true,
    last_seen_at: null,
  });
  const insert = db.prepare(
    `INSERT INTO risk_items (account_id, trigger_id, status, priority, tier, evidence, facts_json, is_control, first_fired_on, last_fired_on, status_changed_at, created_at, updated_at)
     VALUES ('acc_1', ?, 'open', ?, 'automated', 'internal text', ?, ?, '2026-03-08', '2026-03-10', 't', 't', 't')`,
  );
  const payment = insert.run(
    'payment_failing',
    1,
    JSON.stringify({ failures: 3, windowDays: 30, lastFailedOn: '2026-03-07' }),
    0,
  ).lastInsertRowid as number;
  const detractor = insert.run('detractor', 2, JSON.stringify({ score: 4 }), 1).lastInsertRowid as number;
  return { payment, detractor };
}

function setup(now: () => Date = () => WORKING, native?: NativeBridge) {
  const app = createApp({ dbPath: join(tempDir(), 'f.db'), now, ...(native ? { native } : {}) });
  const items = seed(app.ctx.db);
  const events: ApiEvent[] = [];
  app.subscribe((event) => events.push(event));
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const result = await app.dispatch(method, input);
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value as T;
  };
  const fail = async (method: string, input: unknown) => {
    const result = await app.dispatch(method, input);
    expect(result.ok).toBe(false);
    return (result as { error: { code: string; message: string } }).error;
  };
  return { app, items, events, call, fail };
}

describe('outreach API', () => {
  it('drafts the top risk item as a benefit-first email to the champion, in English with the account’s region', async () => {
    const { app, call } = setup();
    const draft = await call<OutreachDraft>('outreach.draft', { accountId: 'acc_1' });
    expect(draft).toMatchObject({
      trigger: { id: 'payment_failing', label: 'Payment failing' },
      channel: 'email',
      template: { id: 'builtin.payment_failing.email', version: 2, builtIn: true },
      to: { name: 'Jana Weber', firstName: 'Jana', email: 'jana.weber@acme.example' },
      from: { name: 'Maya Chen', email: 'maya.chen@foresight.example' },
      blocked: null,
      warnings: [],
      guard: { status: 'ok', timeZone: 'Europe/Berlin' },
      locale: 'en-DE',
    });
    expect(draft.subject).toBe('Keep Acme Corp running: a one-minute card update');
    expect(draft.body).toContain(
      "The last 3 attempts to charge the card on file didn't go through, most recently on 7 March 2026.",
    );
    expect(draft.body?.startsWith('Hi Jana,')).toBe(true);
    expect(draft.templates[0]?.id).toBe('builtin.payment_failing.email');
    app.close();
  });

  it('never drafts a holdout account, and says why; logging it is refused too', async () => {
    const { app, call, fail, items } = setup();
    const draft = await call<OutreachDraft>('outreach.draft', { accountId: 'acc_1', riskItemId: items.detractor });
    expect(draft.guard.kind).toBe('holdout');
    expect(draft.blocked).toMatch(
      /^Acme Corp is in the control group for “Detractor”, so Foresight does not draft outreach for it/,
    );
    expect(draft.body).toBeNull();
    const error = await fail('outreach.markSent', {
      accountId: 'acc_1',
      triggerId: 'detractor',
      riskItemId: items.detractor,
      channel: 'email',
    });
    expect(error.code).toBe('HOLDOUT');
    app.close();
  });

  it('"Mark as sent" logs the intervention with the template version; the third touch in 14 days is blocked', async () => {
    const { app, call, fail, items, events } = setup();
    const draft = await call<OutreachDraft>('outreach.draft', { accountId: 'acc_1', riskItemId: items.payment });
    const touch = {
      accountId: 'acc_1',
      triggerId: 'payment_failing',
      riskItemId: items.payment,
      templateId: draft.template?.id,
      templateVersion: draft.template?.version,
      channel: 'email',
      to: 'Jana Weber <jana.weber@acme.example>',
      subject: draft.subject,
    };
    const logged = await call<{ interventionId: string; status: string; sentAt: string }>('outreach.markSent', touch);
    expect(logged).toMatchObject({ status: 'sent', sentAt: WORKING.toISOString() });
    // A message sent is also a CSM touch (an event) that rescores the account.
    expect(events).toContainEqual({ type: 'data-changed', kinds: ['events', 'risk', 'interventions'] });
    const row = app.ctx.db
      .prepare(
        'SELECT account_id, trigger_id, risk_item_id, template_id, template_version, channel, status, notes FROM interventions WHERE intervention_id = ?',
      )
      .get(logged.interventionId);
    expect(row).toEqual({
      account_id: 'acc_1',
      trigger_id: 'payment_failing',
      risk_item_id: items.payment,
      template_id: 'builtin.payment_failing.email',
      template_version: 2,
      channel: 'email',
      status: 'sent',
      notes:
        'Email drafted in Foresight to Jana Weber <jana.weber@acme.example>: “Keep Acme Corp running: a one-minute card update”',
    });
    await call('outreach.markSent', { ...touch, channel: 'sms' });
    const third = await call<OutreachDraft>('outreach.draft', { accountId: 'acc_1' });
    expect(third.guard.kind).toBe('fatigue');
    expect(third.blocked).toMatch(/^Acme Corp has already had 2 proactive touches in the last 14 days/);
    expect((await fail('outreach.markSent', touch)).code).toBe('FATIGUE');
    app.close();
  });

  it('outside working hours offers 09:00 local, and "schedule" logs a planned intervention then', async () => {
    // Friday 13 March 2026, 19:30 in Berlin.
    const { app, call, items } = setup(() => new Date('2026-03-13T18:30:00Z'));
    const draft = await call<OutreachDraft>('outreach.draft', { accountId: 'acc_1', locale: 'en-GB' });
    expect(draft.guard).toMatchObject({
      status: 'deferred',
      scheduleAt: '2026-03-16T08:00:00.000Z',
      scheduleLocal: '09:00',
      scheduleLabel: '09:00 local on Mon 16 Mar',
    });
    expect(draft.body).not.toBeNull();
    const planned = await call<{ status: string; plannedAt: string }>('outreach.schedule', {
      accountId: 'acc_1',
      triggerId: 'payment_failing',
      riskItemId: items.payment,
      templateId: draft.template?.id,
      templateVersion: 1,
      channel: 'email',
      plannedAt: draft.guard.scheduleAt,
    });
    expect(planned).toMatchObject({ status: 'planned', plannedAt: '2026-03-16T08:00:00.000Z' });
    app.close();
  });

  it('templates: unknown tokens are refused, a company-first copy is flagged, an acknowledged copy becomes the suggestion', async () => {
    const { app, call, fail } = setup();
    const builtin = await call<{ subject: string; body: string }>('outreach.templates.get', {
      templateId: 'builtin.payment_failing.email',
    });
    const base = {
      name: 'My card update',
      triggerId: 'payment_failing',
      channel: 'email',
      subject: builtin.subject,
      basedOn: 'builtin.payment_failing.email',
    };
    const unknown = await fail('outreach.templates.save', { ...base, body: `${builtin.body}\n{{contact.nickname}}` });
    expect(unknown).toMatchObject({ code: 'UNKNOWN_TOKEN' });
    expect(unknown.message).toMatch(/did you mean \{\{contact\.name\}\}\?/);
    const companyFirst = builtin.body.replace(
      "Your team's workspace is still running as usual",
      'We noticed a problem with your card',
    );
    expect((await fail('outreach.templates.save', { ...base, body: companyFirst })).code).toBe('LINT_WARNINGS');
    const { basedOn: _basedOn, ...fields } = base;
    const preview = await call<{ warnings: { rule: string }[]; accountName: string; body: string }>(
      'outreach.templates.preview',
      { ...fields, body: companyFirst, accountId: 'acc_1' },
    );
    expect(preview.accountName).toBe('Acme Corp');
    expect(preview.warnings.map((w) => w.rule)).toEqual(['company_first']);
    expect(preview.body.startsWith('Hi Jana,')).toBe(true);
    const saved = await call<{ template: { id: string; version: number; versions: unknown[] } }>(
      'outreach.templates.save',
      { ...base, body: builtin.body.replace('one-minute', 'quick'), acknowledgeWarnings: false },
    );
    expect(saved.template).toMatchObject({ version: 1 });
    const draft = await call<OutreachDraft>('outreach.draft', { accountId: 'acc_1' });
    expect(draft.template?.id).toBe(saved.template.id);
    expect(draft.templates.map((t) => t.id)).toEqual([saved.template.id, 'builtin.payment_failing.email']);
    app.close();
  });

  it('lints composer text and builds mailto: and .eml for the web preview and the desktop app', async () => {
    const saved: { name: string; bytes: number }[] = [];
    const native: NativeBridge = {
      saveFile: async ({ defaultName, data }) => {
        saved.push({ name: defaultName, bytes: data.length });
        return { saved: true, path: `/home/me/${defaultName}` };
      },
      chooseFiles: async () => [],
    };
    const { app, call } = setup(undefined, native);
    const lint = await call<{ warnings: { rule: string }[]; length: number; limit: number | null }>('outreach.lint', {
      channel: 'sms',
      body: 'Unfortunately your card failed.',
      accountId: 'acc_1',
    });
    expect(lint.warnings.map((w) => w.rule)).toEqual(['apology_first', 'no_next_step', 'no_human_handoff']);
    expect(lint).toMatchObject({ length: 31, limit: 160 });
    const { url, fits } = await call<{ url: string; fits: boolean }>('outreach.mailto', {
      to: 'jana.weber@acme.example',
      subject: 'A & B',
      body: 'Hi Jana,\nline 2',
    });
    expect(fits).toBe(true);
    expect(
      (
        await call<{ fits: boolean }>('outreach.mailto', {
          to: 'jana.weber@acme.example',
          subject: 'Long',
          body: 'é'.repeat(400),
        })
      ).fits,
    ).toBe(false);
    expect(url).toBe('mailto:jana.weber@acme.example?subject=A%20%26%20B&body=Hi%20Jana%2C%0D%0Aline%202');
    const eml = await call<{ fileName: string; content: string; saved: boolean; savedTo: string | null }>(
      'outreach.eml',
      {
        accountId: 'acc_1',
        to: { name: 'Jana Weber', email: 'jana.weber@acme.example' },
        subject: 'Hallo Jürgen',
        body: 'Hi',
        label: 'Payment failing',
      },
    );
    expect(eml).toMatchObject({
      fileName: 'Acme-Corp-Payment-failing.eml',
      saved: true,
      savedTo: '/home/me/Acme-Corp-Payment-failing.eml',
    });
    expect(eml.content).toContain('\r\nTo: "Jana Weber" <jana.weber@acme.example>\r\n');
    expect(eml.content).toContain(`Subject: =?UTF-8?B?${Buffer.from('Hallo Jürgen').toString('base64')}?=`);
    expect(saved).toEqual([{ name: 'Acme-Corp-Payment-failing.eml', bytes: Buffer.byteLength(eml.content) }]);
    app.close();
  });

  it('reads and saves the outreach settings, validating them', async () => {
    const { app, call, fail } = setup();
    expect((await call<{ fatigue: unknown }>('outreach.settings.get', {})).fatigue).toEqual({
      maxTouches: 2,
      windowDays: 14,
    });
    const saved = await call<{ senders: Record<string, { name?: string }> }>('outreach.settings.save', {
      senders: { 'Maya.Chen@foresight.example': { name: 'Maya C.', phone: '+49 30 1234567' } },
    });
    expect(saved.senders['maya.chen@foresight.example']).toEqual({ name: 'Maya C.', phone: '+49 30 1234567' });
    const draft = await call<OutreachDraft>('outreach.draft', { accountId: 'acc_1' });
    expect(draft.body).toContain('Maya C.\nmaya.chen@foresight.example · +49 30 1234567');
    expect((await fail('outreach.settings.save', { fatigue: { maxTouches: 0 } })).code).toBe('INVALID_SETTINGS');
    app.close();
  });
});
