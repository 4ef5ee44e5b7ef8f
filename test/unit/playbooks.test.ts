/**
 * Playbooks: each open risk item gets its trigger's checklist (due days from the day it opened,
 * owners resolved), once; the tasks of a closed item close; a playbook edit is validated with one
 * sentence and changes later items only; approving a tier-2 step sends its email through a real
 * SMTP server on 127.0.0.1 and logs it; handing a tier-1 step to the product logs an in-app
 * intervention for the outbox.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/contract/dates.ts';
import { openDatabase, type Db } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/load.ts';
import { flushMailQueue, smtpTransport } from '../../src/domain/mail/deliver.ts';
import { approveOutreachTask, handTaskToProduct } from '../../src/domain/playbooks/actions.ts';
import { listPlaybooks, playbookFor, resetPlaybook, savePlaybook } from '../../src/domain/playbooks/config.ts';
import { DEFAULT_PLAYBOOKS } from '../../src/domain/playbooks/defaults.ts';
import { finishTask, listTasks, syncPlaybookTasks } from '../../src/domain/playbooks/tasks.ts';
import { TRIGGER_IDS } from '../../src/domain/risk/catalog.ts';
import { closeItem } from '../../src/domain/risk/items.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import type { SmtpSettings } from '../../src/shared/dto/mail.ts';
import { startSmtp } from '../support/smtp-server.ts';

const AS_OF = '2026-03-10';
const NOW = new Date(`${AS_OF}T10:00:00Z`);
let dir: string;
let db: Db;

interface Item {
  item_id: number;
  account_id: string;
  trigger_id: string;
  first_fired_on: string;
  owner_email: string | null;
  status: string;
}
const items = (where: string) =>
  db
    .prepare<[], Item>(
      `SELECT r.item_id, r.account_id, r.trigger_id, r.first_fired_on, a.owner_email, r.status
       FROM risk_items r JOIN accounts a USING (account_id) WHERE ${where} ORDER BY r.item_id`,
    )
    .all();
const taskCount = () => db.prepare('SELECT count(*) FROM playbook_tasks').pluck().get() as number;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'foresight-playbooks-'));
  db = openDatabase(join(dir, 'book.db'), { create: true }).db;
  loadDemoBook(db, { accounts: 120, seed: 11, asOf: AS_OF });
  scoreAll(db, { asOf: AS_OF, now: NOW.toISOString() });
}, 60_000);

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('default playbooks', () => {
  it('gives every trigger ordered steps, and every tier-2 step a template', () => {
    for (const id of TRIGGER_IDS) {
      const steps = DEFAULT_PLAYBOOKS[id];
      expect(steps.length, id).toBeGreaterThan(0);
      for (const step of steps) expect(step.tier === 2, `${id}: ${step.title}`).toBe(step.templateId !== null);
    }
    const payment = listPlaybooks(db).find((p) => p.triggerId === 'payment_failing')!;
    expect(payment.steps.map((s) => s.tier)).toEqual([1, 2, 3]);
    expect(payment.customised).toBe(false);
  });
});

describe('materialising checklists', () => {
  it('gives each live item outside the control group its steps with due days, during scoring', () => {
    const live = items("r.status IN ('open', 'in_progress') AND r.is_control = 0");
    expect(live.length).toBeGreaterThan(5);
    const expected = live.reduce(
      (n, i) => n + DEFAULT_PLAYBOOKS[i.trigger_id as keyof typeof DEFAULT_PLAYBOOKS].length,
      0,
    );
    expect(taskCount()).toBe(expected);
    const item = live.find((i) => i.trigger_id === 'payment_failing')!;
    const tasks = listTasks(db, { asOf: AS_OF, itemId: item.item_id }, NOW.toISOString());
    expect(tasks.map((t) => [t.stepNo, t.tier, t.dueOn, t.owner])).toEqual(
      DEFAULT_PLAYBOOKS.payment_failing.map((s, i) => [
        i + 1,
        s.tier,
        addDays(item.first_fired_on, s.offsetDays),
        item.owner_email ?? 'Account owner',
      ]),
    );
    const control = items('r.is_control = 1');
    for (const c of control) expect(listTasks(db, { asOf: AS_OF, itemId: c.item_id }, NOW.toISOString())).toEqual([]);
  });

  it('is idempotent: syncing or rescoring again adds nothing', () => {
    const before = taskCount();
    expect(syncPlaybookTasks(db, NOW.toISOString())).toEqual({ created: 0, closed: 0 });
    scoreAll(db, { asOf: AS_OF, now: NOW.toISOString() });
    expect(taskCount()).toBe(before);
  });

  it('lists only pending tasks due by the day under "due today"', () => {
    const due = listTasks(db, { asOf: AS_OF, due: 'today' }, NOW.toISOString());
    expect(due.length).toBeGreaterThan(0);
    expect(due.every((t) => t.status === 'pending' && t.dueOn <= AS_OF && t.due)).toBe(true);
    const later = listTasks(db, { asOf: addDays(AS_OF, 30), due: 'today' }, NOW.toISOString());
    expect(later.length).toBeGreaterThan(due.length);
  });

  it('closes the pending tasks of an item a person resolves, and records who did a task', () => {
    const [item] = items("r.status = 'open' AND r.is_control = 0 AND r.trigger_id != 'payment_failing'");
    const [first, second] = listTasks(db, { asOf: AS_OF, itemId: item!.item_id }, NOW.toISOString());
    const done = finishTask(db, first!.taskId, { status: 'done', by: 'maya@example.com', note: 'Called' }, NOW);
    expect(done).toMatchObject({ status: 'done', doneBy: 'maya@example.com', doneAt: NOW.toISOString() });
    expect(() => finishTask(db, second!.taskId, { status: 'skipped', by: 'maya@example.com' }, NOW)).toThrow(
      'Say why the step is skipped, so whoever sees it next knows.',
    );
    closeItem(db, item!.item_id, {
      status: 'resolved',
      reason: 'Sorted on the phone',
      asOf: AS_OF,
      now: NOW.toISOString(),
    });
    syncPlaybookTasks(db, NOW.toISOString());
    const after = listTasks(db, { asOf: AS_OF, itemId: item!.item_id }, NOW.toISOString());
    expect(after.map((t) => t.status)).toEqual(['done', ...after.slice(1).map(() => 'closed')]);
    expect(() => finishTask(db, second!.taskId, { status: 'done', by: null }, NOW)).toThrow(/already closed/);
  });
});

describe('editing a playbook', () => {
  it('refuses a bad step with one sentence naming the play, step and field', () => {
    const steps = [{ tier: 2, title: 'Email them', offsetDays: 1 }];
    expect(() => savePlaybook(db, 'usage_drop', steps)).toThrow(
      'Usage drop playbook, step 1 (template): an automated-outreach step needs a template.',
    );
    expect(() => savePlaybook(db, 'usage_drop', [{ tier: 3, title: 'Call', offsetDays: -2 }])).toThrow(
      'Usage drop playbook, step 1 (due offset): the due offset cannot be before the item opened (0 days or more).',
    );
    expect(() =>
      savePlaybook(db, 'usage_drop', [{ tier: 2, title: 'Email', offsetDays: 0, templateId: 'nope' }]),
    ).toThrow('Usage drop playbook, step 1 (template): there is no template "nope".');
    expect(() => savePlaybook(db, 'no_such', [])).toThrow('There is no trigger called "no_such".');
  });

  it('stores a valid edit for later items and resets to the default', () => {
    const view = savePlaybook(db, 'usage_drop', [
      { tier: 3, title: 'Visit the customer', offsetDays: 3, owner: 'VP CS' },
    ]);
    expect(view).toMatchObject({ customised: true, steps: [{ tier: 3, owner: 'VP CS', templateId: null }] });
    expect(playbookFor(db, 'usage_drop')).toHaveLength(1);
    expect(resetPlaybook(db, 'usage_drop')).toMatchObject({ customised: false });
    expect(playbookFor(db, 'usage_drop')).toEqual(DEFAULT_PLAYBOOKS.usage_drop);
  });
});

const smtpSettings = (port: number): SmtpSettings => ({
  host: '127.0.0.1',
  port,
  security: 'none',
  username: null,
  passwordRef: null,
  fromEmail: 'maya.chen@example.com',
  fromName: 'Maya Chen',
});

describe('acting on steps', () => {
  const paymentItem = () =>
    items(
      `r.status = 'open' AND r.is_control = 0 AND r.trigger_id = 'payment_failing'
       AND EXISTS (SELECT 1 FROM contacts c WHERE c.account_id = r.account_id AND c.email IS NOT NULL)`,
    )[0]!;

  it('approving a tier-2 step sends its email through SMTP, logs it and puts the item in progress', async () => {
    const item = paymentItem();
    const tasks = listTasks(db, { asOf: AS_OF, itemId: item.item_id }, NOW.toISOString());
    const tier2 = tasks.find((t) => t.tier === 2)!;
    expect(() => approveOutreachTask(db, tasks[0]!.taskId, 'maya', NOW)).toThrow(/only a tier-2 step sends an email/);
    const smtp = await startSmtp();
    try {
      const { task, mail } = approveOutreachTask(db, tier2.taskId, 'maya', NOW);
      expect(task).toMatchObject({ status: 'done', doneBy: 'maya', mailId: mail.mail_id });
      const settings = smtpSettings(smtp.port);
      const sent = await flushMailQueue(db, smtpTransport(settings, null), settings, () => NOW);
      expect(sent).toMatchObject({ sent: 1, failed: 0 });
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]!.to).toEqual(mail.to.map((a) => a.email));
      expect(smtp.received[0]!.data).toContain(`Subject: ${mail.subject}`);
      expect(db.prepare('SELECT status FROM risk_items WHERE item_id = ?').pluck().get(item.item_id)).toBe(
        'in_progress',
      );
      const logged = db
        .prepare<[number], { channel: string; template_id: string }>(
          "SELECT channel, template_id FROM interventions WHERE risk_item_id = ? AND status = 'sent'",
        )
        .get(item.item_id);
      expect(logged).toEqual({ channel: 'email', template_id: 'builtin.payment_failing.email' });
      expect(() => approveOutreachTask(db, tier2.taskId, 'maya', NOW)).toThrow(/is already done/);
    } finally {
      await smtp.close();
    }
  });

  it('handing a tier-1 step to the product logs an in-app intervention for the outbox', () => {
    const [item] = items("r.status = 'open' AND r.is_control = 0 AND r.trigger_id = 'payment_failing'").slice(-1);
    const tier1 = listTasks(db, { asOf: AS_OF, itemId: item!.item_id }, NOW.toISOString()).find((t) => t.tier === 1)!;
    const done = handTaskToProduct(db, tier1.taskId, 'maya', NOW);
    expect(done.interventionId).toMatch(/./);
    const row = db
      .prepare<[string], { channel: string; notes: string }>(
        'SELECT channel, notes FROM interventions WHERE intervention_id = ?',
      )
      .get(done.interventionId!);
    expect(row).toEqual({ channel: 'in_app', notes: `Handed to the product: ${tier1.title}` });
    expect(db.prepare('SELECT status FROM risk_items WHERE item_id = ?').pluck().get(item!.item_id)).toBe(
      'in_progress',
    );
  });
});
