import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';
import { contactsRepo } from '../../src/domain/db/repos/contacts.ts';
import { closeDatabase, openDatabase } from '../../src/domain/db/open.ts';
import { runCli } from '../support/cli.ts';
import { sampleAccount, tempDir } from '../support/temp.ts';

/** A database with one account, its champion, an open payment_failing item and a held-out detractor item. */
function fixture() {
  const dir = tempDir();
  const path = join(dir, 'f.db');
  const { db } = openDatabase(path, { create: true });
  accountsRepo(db).upsert(
    sampleAccount({
      account_id: 'acc_1',
      name: 'Acme Corp',
      owner_email: 'maya.chen@foresight.example',
      timezone: 'America/New_York',
      locale: 'en-US',
    }),
  );
  contactsRepo(db).upsert({
    contact_id: 'c1',
    account_id: 'acc_1',
    name: 'Ana Silva',
    email: 'ana.silva@acme.example',
    phone: '+12025550100',
    role: null,
    is_champion: true,
    active: true,
    last_seen_at: null,
  });
  const insert = db.prepare(
    `INSERT INTO risk_items (account_id, trigger_id, status, priority, tier, evidence, facts_json, is_control, first_fired_on, last_fired_on, status_changed_at, created_at, updated_at)
     VALUES ('acc_1', ?, 'open', ?, 'automated', 'e', ?, ?, '2026-03-02', '2026-03-09', 't', 't', 't')`,
  );
  insert.run('payment_failing', 1, JSON.stringify({ failures: 4, lastFailedOn: '2026-03-06' }), 0);
  insert.run('detractor', 2, '{}', 1);
  closeDatabase(db);
  return { dir, path };
}

describe('foresight draft', () => {
  it('drafts the top open risk item as JSON with the documented keys', () => {
    const { path } = fixture();
    const run = runCli(['draft', 'acc_1', '--db', path, '--as-of', '2026-03-10', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const draft = run.json<Record<string, unknown>>();
    expect(Object.keys(draft)).toEqual(
      expect.arrayContaining([
        'account_id',
        'trigger',
        'template_id',
        'channel',
        'to',
        'subject',
        'body',
        'warnings',
        'blocked',
      ]),
    );
    expect(draft).toMatchObject({
      account_id: 'acc_1',
      trigger: 'payment_failing',
      template_id: 'builtin.payment_failing.email',
      channel: 'email',
      to: 'ana.silva@acme.example',
      subject: 'Keep Acme Corp running: a one-minute card update',
      warnings: [],
      blocked: null,
      deferred: null,
    });
    expect(draft.body).toContain(
      "The last 4 attempts to charge the card on file didn't go through, most recently on March 6, 2026.",
    );
  });

  it('takes --trigger, --channel and --template, and refuses a held-out account with the reason (exit 3)', () => {
    const { path } = fixture();
    const sms = runCli(['draft', 'acc_1', '--db', path, '--channel', 'sms', '--as-of', '2026-03-10', '--json']).json<{
      channel: string;
      subject: null;
      to: string | null;
      body: string;
    }>();
    expect(sms).toMatchObject({ channel: 'sms', subject: null, to: '+12025550100' });
    expect([...sms.body].length).toBeLessThanOrEqual(160);
    const call = runCli([
      'draft',
      'acc_1',
      '--db',
      path,
      '--template',
      'builtin.payment_failing.call',
      '--as-of',
      '2026-03-10',
      '--json',
    ]).json<{ channel: string }>();
    expect(call.channel).toBe('call');
    const held = runCli(['draft', 'acc_1', '--db', path, '--trigger', 'detractor', '--as-of', '2026-03-10']);
    expect(held.code).toBe(3);
    expect(held.stdout).toMatch(/^Not drafted for Acme Corp: Acme Corp is in the control group for “Detractor”/);
  });

  it('reports a weekend --as-of as deferred to Monday 09:00 local, and bad input in one sentence', () => {
    const { path } = fixture();
    const weekend = runCli(['draft', 'acc_1', '--db', path, '--as-of', '2026-03-07', '--json']).json<{
      deferred: { schedule_at: string } | null;
      body: string;
    }>();
    expect(weekend.deferred?.schedule_at).toBe('2026-03-09T13:00:00.000Z'); // 09:00 EDT, after the DST change
    expect(weekend.body).toBeTruthy();
    const badChannel = runCli(['draft', 'acc_1', '--db', path, '--channel', 'fax']);
    expect(badChannel.code).toBe(2);
    expect(badChannel.stderr).toBe('--channel must be one of email, in_app, sms, call, not "fax".\n');
    const missing = runCli(['draft', 'acc_404', '--db', path]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('There is no account with the id "acc_404".\n');
  });
});

describe('foresight templates / template lint / template add', () => {
  it('lists the built-ins', () => {
    const { path } = fixture();
    const list = runCli(['templates', '--db', path, '--trigger', 'payment_failing', '--json']).json<
      { id: string; built_in: boolean }[]
    >();
    expect(list.map((t) => t.id)).toEqual([
      'builtin.payment_failing.email',
      'builtin.payment_failing.in_app',
      'builtin.payment_failing.sms',
      'builtin.payment_failing.call',
    ]);
    expect(runCli(['templates', '--db', path]).stdout).toMatch(/64 templates\.\n$/);
  });

  it('exits 0 for a clean template file and 3 for a company-first one, with the warnings as sentences', () => {
    const { dir } = fixture();
    const good = join(dir, 'good.txt');
    writeFileSync(
      good,
      `---\nname: Card update\ntrigger: payment_failing\nchannel: email\nsubject: Keep {{account.name}} running\n---\nHi {{contact.first_name}},\n\nYour workspace keeps running with a one-minute card update. {{evidence.summary}}\n\nUpdate the card here:\n{{links.billing}}\n\nIf anything looks off, just reply and I'll sort it out.\n\nBest,\n{{csm.name}}\n`,
    );
    const clean = runCli(['template', 'lint', good]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/passes/);

    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        name: 'Bad',
        trigger: 'payment_failing',
        channel: 'email',
        subject: 'Payment problem',
        body: 'Hi {{contact.first_name}},\n\nOur systems experienced a malfunction and your payment failed.\n\nThanks,\n{{csm.nickname}}',
      }),
    );
    const flagged = runCli(['template', 'lint', bad, '--json']);
    expect(flagged.code).toBe(3);
    const result = flagged.json<{ clean: boolean; problems: { token: string }[]; warnings: { rule: string }[] }>();
    expect(result.clean).toBe(false);
    expect(result.problems.map((p) => p.token)).toEqual(['csm.nickname']);

    const companyFirst = join(dir, 'company.txt');
    writeFileSync(
      companyFirst,
      `---\nchannel: sms\n---\nOur systems experienced a malfunction. Update your card: {{links.billing}} Reply to reach {{csm.first_name}}.`,
    );
    const human = runCli(['template', 'lint', companyFirst]);
    expect(human.code).toBe(3);
    expect(human.stdout).toContain(
      'warning  The sms opens with us, not the customer (“Our systems experienced a malfunction.”)',
    );
  });

  it('adds a template file to the database only when it is clean or the warnings are accepted', () => {
    const { dir, path } = fixture();
    const file = join(dir, 'sms.txt');
    writeFileSync(
      file,
      `---\nname: Short SMS\ntrigger: payment_failing\nchannel: sms\n---\nWe noticed a billing problem. Update your card: {{links.billing}} Reply to reach {{csm.first_name}}.`,
    );
    const refused = runCli(['template', 'add', file, '--db', path]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^The template was not saved because the benefit-first check has 1 warning/);
    const accepted = runCli(['template', 'add', file, '--db', path, '--accept-warnings', '--json']);
    expect(accepted.code).toBe(0);
    expect(accepted.json<{ id: string; version: number }>()).toMatchObject({ version: 1 });
    const draft = runCli(['draft', 'acc_1', '--db', path, '--channel', 'sms', '--as-of', '2026-03-10', '--json']).json<{
      template_id: string;
      warnings: { rule: string }[];
    }>();
    expect(draft.template_id).toBe(accepted.json<{ id: string }>().id);
    expect(draft.warnings.map((w) => w.rule)).toEqual(['company_first']);
  });
});
