/**
 * Tier-2 steps sent by rule: with the payment-failing email step marked "send automatically when
 * due", a run queues it without approval only when every guard passes (the kill switch, an SMTP
 * server, the customer's working hours, the fatigue cap, a contact with an email), says why while
 * it waits, sends through a real SMTP server on 127.0.0.1, logs a touch "sent by rule", and never
 * sends the same step twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/load.ts';
import { flushMailQueue, smtpTransport } from '../../src/domain/mail/deliver.ts';
import { saveSmtpSettings } from '../../src/domain/mail/settings.ts';
import { saveOutreachSettings } from '../../src/domain/outreach/settings.ts';
import { savePlaybook } from '../../src/domain/playbooks/config.ts';
import { DEFAULT_PLAYBOOKS } from '../../src/domain/playbooks/defaults.ts';
import { NO_SMTP, queueRuleSends, RULES_OFF } from '../../src/domain/playbooks/rule-sends.ts';
import { saveRuleSendSettings } from '../../src/domain/playbooks/rule-switch.ts';
import { listTasks } from '../../src/domain/playbooks/tasks.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import { RULE_ACTOR, type PlaybookTask } from '../../src/shared/dto/playbooks.ts';
import { startSmtp, type LocalSmtp } from '../support/smtp-server.ts';

const AS_OF = '2026-03-10'; // a Tuesday
const NOW = new Date(`${AS_OF}T12:00:00Z`);
let dir: string;
let db: Db;
let smtp: LocalSmtp;
/** The rule step of the account whose contacts lose their email addresses. */
let noEmail = 0;

const ruleTasks = (): PlaybookTask[] =>
  listTasks(db, { asOf: AS_OF, due: 'today', tier: 2 }, NOW.toISOString()).filter((t) => t.autoSend);
const allHours = { start: '00:00', end: '23:59', weekdays: [1, 2, 3, 4, 5, 6, 7] };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'foresight-rule-sends-'));
  db = openDatabase(join(dir, 'book.db'), { create: true }).db;
  loadDemoBook(db, { accounts: 120, seed: 11, asOf: AS_OF });
  // The email step due the day the item opens and sent by rule; saved before scoring opens items.
  const steps = DEFAULT_PLAYBOOKS.payment_failing.map((s) =>
    s.tier === 2 ? { ...s, offsetDays: 0, autoSend: true } : s,
  );
  savePlaybook(db, 'payment_failing', steps);
  scoreAll(db, { asOf: AS_OF, now: NOW.toISOString() });
  // A generous cap, so only the test that tightens it meets it.
  saveOutreachSettings(db, { fatigue: { maxTouches: 50, windowDays: 14 } }, NOW);
  smtp = await startSmtp();
}, 60_000);

afterAll(async () => {
  await smtp?.close();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tier-2 steps sent by rule', () => {
  it('refuses the flag on a step that sends no email, in one sentence', () => {
    expect(() => savePlaybook(db, 'usage_drop', [{ tier: 3, title: 'Call', offsetDays: 2, autoSend: true }])).toThrow(
      'Usage drop playbook, step 1 (send automatically): only an automated-outreach step can send automatically.',
    );
  });

  it('copies the flag into new checklists and shows the day it will send', () => {
    const tasks = ruleTasks();
    expect(tasks.length).toBeGreaterThan(1);
    expect(tasks.every((t) => t.triggerId === 'payment_failing' && t.sendsOn === AS_OF)).toBe(true);
  });

  it('sends nothing without an SMTP server, or with the kill switch off', () => {
    expect(queueRuleSends(db, NOW)).toMatchObject({ problem: NO_SMTP, queued: [] });
    saveSmtpSettings(db, {
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      username: null,
      passwordRef: null,
      fromEmail: 'maya.chen@example.com',
      fromName: 'Maya Chen',
    });
    saveRuleSendSettings(db, { enabled: false });
    expect(queueRuleSends(db, NOW)).toMatchObject({ problem: RULES_OFF, queued: [] });
    expect(ruleTasks().every((t) => t.sendsOn === null)).toBe(true);
    saveRuleSendSettings(db, { enabled: true });
  });

  it('waits outside the working hours, the fatigue cap or without an email, and says why', () => {
    saveOutreachSettings(db, { activeHours: { ...allHours, weekdays: [6, 7] } }, NOW);
    const weekend = queueRuleSends(db, NOW);
    expect(weekend.queued).toEqual([]);
    expect(weekend.waiting.length).toBe(ruleTasks().length);
    expect(
      weekend.waiting.every((w) => /working hours .* the rule sends it from 00:00 local on Sat/.test(w.reason)),
    ).toBe(true);
    expect(ruleTasks()[0]!.ruleWait).toMatch(/^Outside .* working hours/);

    saveOutreachSettings(db, { activeHours: allHours, fatigue: { maxTouches: 1, windowDays: 14 } }, NOW);
    const [first, second] = ruleTasks();
    db.prepare(
      "INSERT INTO interventions (intervention_id, account_id, trigger_id, channel, status, sent_at, created_at, updated_at) VALUES ('int_test', ?, 'usage_drop', 'email', 'sent', ?, ?, ?)",
    ).run(first!.accountId, NOW.toISOString(), NOW.toISOString(), NOW.toISOString());
    db.prepare('UPDATE contacts SET email = NULL WHERE account_id = ?').run(second!.accountId);
    noEmail = second!.taskId;
    const held = queueRuleSends(db, new Date(NOW.getTime() + 60_000));
    const reason = (task: PlaybookTask) => held.waiting.find((w) => w.taskId === task.taskId)?.reason;
    expect(reason(first!)).toMatch(/fatigue guard allows 1/);
    expect(reason(second!)).toBe(
      `No contact at ${second!.accountName} has an email address on record, so “${second!.title}” cannot be sent.`,
    );
    saveOutreachSettings(db, { fatigue: { maxTouches: 50, windowDays: 14 } }, NOW);
  });

  it('queues the rest, sends them through SMTP as touches "sent by rule", and never twice', async () => {
    const before = ruleTasks();
    const run = queueRuleSends(db, NOW);
    expect(run.problem).toBeNull();
    expect(run.queued.length).toBeGreaterThan(0);
    expect(run.waiting.map((w) => w.taskId)).toEqual([noEmail]);
    const byRule = () =>
      db.prepare('SELECT count(*) FROM playbook_tasks WHERE done_by = ?').pluck().get(RULE_ACTOR) as number;
    // Every rule step but the one without an email, whichever run queued it, once each.
    const ruleSteps = db.prepare('SELECT count(*) FROM playbook_tasks WHERE auto_send = 1').pluck().get() as number;
    expect(byRule()).toBe(ruleSteps - 1);
    const settings = smtpSettingsFor(smtp.port);
    const sent = await flushMailQueue(db, smtpTransport(settings, null), settings, () => NOW);
    expect(sent).toMatchObject({ sent: ruleSteps - 1, failed: 0 });
    expect(smtp.received).toHaveLength(ruleSteps - 1);

    const task = listTasks(
      db,
      { asOf: AS_OF, itemId: before.find((t) => t.taskId !== noEmail)!.itemId },
      NOW.toISOString(),
    ).find((t) => t.tier === 2)!;
    expect(task).toMatchObject({ status: 'done', doneBy: RULE_ACTOR, sendsOn: null });
    const touch = db
      .prepare<[string], { detail: string }>("SELECT detail FROM events WHERE account_id = ? AND type = 'csm_touch'")
      .all(task.accountId)
      .map((e) => e.detail);
    expect(touch.some((d) => d.startsWith('Email sent by rule from Foresight'))).toBe(true);
    const notes = db
      .prepare<[number], string>("SELECT notes FROM interventions WHERE risk_item_id = ? AND status = 'sent'")
      .pluck()
      .get(task.itemId);
    expect(notes).toMatch(/^Email sent by rule from Foresight to /);
    expect(db.prepare('SELECT status FROM risk_items WHERE item_id = ?').pluck().get(task.itemId)).toBe('in_progress');

    const again = queueRuleSends(db, NOW);
    expect(again.queued).toEqual([]);
    expect(again.waiting).toHaveLength(1);
  });
});

function smtpSettingsFor(port: number) {
  return {
    host: '127.0.0.1',
    port,
    security: 'none' as const,
    username: null,
    passwordRef: null,
    fromEmail: 'maya.chen@example.com',
    fromName: 'Maya Chen',
  };
}
