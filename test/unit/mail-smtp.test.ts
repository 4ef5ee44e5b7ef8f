/**
 * Email through a real SMTP server on 127.0.0.1: recipients chosen among the account's contacts
 * (To and CC), the message received as sent, logged as a touch that starts its risk item; queued
 * while the server cannot be reached and sent once it can; a refused recipient fails with the
 * server's reason; a bad login waits with a sentence.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/load.ts';
import { flushMailQueue, smtpTransport } from '../../src/domain/mail/deliver.ts';
import { queueMail } from '../../src/domain/mail/enqueue.ts';
import { mailRepo } from '../../src/domain/mail/repo.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import type { SmtpSettings } from '../../src/shared/dto/mail.ts';
import { startSmtp } from '../support/smtp-server.ts';

const AS_OF = '2026-03-10';
const NOW = new Date(`${AS_OF}T10:00:00Z`);
let dir: string;
let db: Db;

const settings = (port: number, login = false): SmtpSettings => ({
  host: '127.0.0.1',
  port,
  security: 'none',
  username: login ? 'csm' : null,
  passwordRef: login ? 'env:SMTP_TEST_PASSWORD' : null,
  fromEmail: 'maya.chen@example.com',
  fromName: 'Maya Chen',
});

/** Open, non-control risk items whose accounts have two contacts with email, one per test. */
let candidates: { item_id: number; account_id: string; trigger_id: string; contacts: string[] }[] = [];
const next = () => candidates.shift()!;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'foresight-mail-'));
  db = openDatabase(join(dir, 'book.db'), { create: true }).db;
  loadDemoBook(db, { accounts: 120, seed: 11, asOf: AS_OF });
  scoreAll(db, { asOf: AS_OF, now: NOW.toISOString() });
  candidates = db
    .prepare<[], { item_id: number; account_id: string; trigger_id: string; contacts: string }>(
      `SELECT r.item_id, r.account_id, r.trigger_id,
              (SELECT group_concat(contact_id) FROM contacts c WHERE c.account_id = r.account_id AND c.email IS NOT NULL) AS contacts
       FROM risk_items r WHERE r.status = 'open' AND r.is_control = 0
       GROUP BY r.account_id ORDER BY r.item_id`,
    )
    .all()
    .map((r) => ({ ...r, contacts: (r.contacts ?? '').split(',').filter(Boolean) }))
    .filter((r) => r.contacts.length >= 2);
}, 60_000);

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const queueFor = (c: (typeof candidates)[number], subject: string) =>
  queueMail(
    db,
    {
      accountId: c.account_id,
      triggerId: c.trigger_id,
      riskItemId: c.item_id,
      to: [c.contacts[0]!],
      cc: [c.contacts[1]!],
      subject,
      body: 'Could you check the card on file?\n\nMaya',
    },
    NOW,
  );

describe('sending email through SMTP', () => {
  it('delivers To and CC, logs a touch and puts the item in progress', async () => {
    const smtp = await startSmtp();
    try {
      const c = next();
      const queued = queueFor(c, 'Your card on file');
      const result = await flushMailQueue(db, smtpTransport(settings(smtp.port), null), settings(smtp.port), () => NOW);
      expect(result).toEqual({ sent: 1, waiting: 0, failed: 0, unknown: 0, problem: null });
      expect(smtp.received).toHaveLength(1);
      const mail = smtp.received[0]!;
      expect(mail.to.sort()).toEqual([...queued.to, ...queued.cc].map((a) => a.email).sort());
      expect(mail.data).toContain('Subject: Your card on file');
      expect(mail.data).toContain('Could you check the card on file?');
      expect(mail.data).toMatch(/^From: Maya Chen <maya\.chen@example\.com>/m);
      expect(mailRepo(db).get(queued.mail_id)?.status).toBe('sent');
      expect(db.prepare('SELECT status FROM risk_items WHERE item_id = ?').pluck().get(c.item_id)).toBe('in_progress');
      const logged = db
        .prepare<[string], { intervention_id: string }>(
          "SELECT intervention_id FROM interventions WHERE account_id = ? AND channel = 'email' AND status != 'planned'",
        )
        .get(c.account_id)!;
      expect(
        db.prepare('SELECT type FROM events WHERE event_id = ?').pluck().get(`touch_${logged.intervention_id}`),
      ).toBe('csm_touch');
    } finally {
      await smtp.close();
    }
  });

  it('keeps mail queued while the server cannot be reached and sends it when it can', async () => {
    // A port that was free a moment ago: nothing listens there until the server starts on it.
    const probe = await startSmtp();
    const port = probe.port;
    await probe.close();
    const c = next();
    const queued = queueFor(c, 'Renewal next month');
    const offline = await flushMailQueue(db, smtpTransport(settings(port), null), settings(port), () => NOW);
    expect(offline.sent).toBe(0);
    expect(offline.waiting).toBe(1);
    expect(offline.problem).toMatch(
      /^The SMTP server 127\.0\.0\.1:\d+ could not be reached \(E[A-Z]+\); the message stays queued\.$/,
    );
    expect(mailRepo(db).get(queued.mail_id)).toMatchObject({ status: 'queued', attempts: 1 });
    expect(db.prepare('SELECT status FROM risk_items WHERE item_id = ?').pluck().get(c.item_id)).toBe('open');

    const smtp = await startSmtp({ port });
    try {
      const online = await flushMailQueue(db, smtpTransport(settings(port), null), settings(port), () => NOW);
      expect(online).toMatchObject({ sent: 1, waiting: 0 });
      expect(smtp.received.map((m) => m.data.includes('Subject: Renewal next month'))).toEqual([true]);
      expect(mailRepo(db).get(queued.mail_id)).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    } finally {
      await smtp.close();
    }
  });

  it('fails a message whose recipient the server refuses, with its reason', async () => {
    const c = next();
    const refused = db.prepare('SELECT email FROM contacts WHERE contact_id = ?').pluck().get(c.contacts[0]!) as string;
    const smtp = await startSmtp({ refuse: [refused] });
    try {
      const queued = queueMail(
        db,
        { accountId: c.account_id, triggerId: null, to: [c.contacts[0]!], subject: 'Hello', body: 'Hi' },
        NOW,
      );
      const result = await flushMailQueue(db, smtpTransport(settings(smtp.port), null), settings(smtp.port), () => NOW);
      expect(result).toMatchObject({ sent: 0, failed: 1 });
      expect(mailRepo(db).get(queued.mail_id)?.last_error).toMatch(
        /^The SMTP server rejected the message: .*does not exist/,
      );
    } finally {
      await smtp.close();
    }
  });

  it('waits with a sentence when the login is refused, and sends with the right password', async () => {
    const smtp = await startSmtp({ login: { user: 'csm', pass: 'right' } });
    try {
      const c = next();
      queueMail(db, { accountId: c.account_id, to: [c.contacts[0]!], subject: 'Check-in', body: 'Hi' }, NOW);
      const s = settings(smtp.port, true);
      const wrong = await flushMailQueue(db, smtpTransport(s, 'wrong'), s, () => NOW);
      expect(wrong.problem).toBe(
        `The SMTP server 127.0.0.1:${smtp.port} refused the login; check the username and password in Settings.`,
      );
      const right = await flushMailQueue(db, smtpTransport(s, 'right'), s, () => NOW);
      expect(right.sent).toBe(1);
      // Without a play the mail is logged as an email activity, which is a touch.
      expect(
        db.prepare("SELECT summary FROM activities WHERE account_id = ? AND type = 'email'").pluck().get(c.account_id),
      ).toMatch(/^“Check-in” to /);
    } finally {
      await smtp.close();
    }
  });

  // Small waits, so the slow server below is slower than the client's patience.
  const FAST = { connectionTimeout: 2_000, greetingTimeout: 2_000, socketTimeout: 400 };
  const messageIdOf = (data: string) => /^Message-ID: (.+)$/im.exec(data)?.[1]?.trim();

  it('never sends again by itself a message the server received but did not confirm, and keeps one Message-ID', async () => {
    const smtp = await startSmtp({ slow: { dataMs: 1_500 } });
    try {
      const c = next();
      const queued = queueFor(c, 'Slow server');
      const s = settings(smtp.port);
      const first = await flushMailQueue(db, smtpTransport(s, null, FAST), s, () => NOW);
      expect(first).toMatchObject({ sent: 0, waiting: 0, failed: 0, unknown: 1 });
      expect(first.problem).toBe(
        `The SMTP server 127.0.0.1:${smtp.port} received the whole message but never confirmed it, so it may have been delivered; it will not be sent again unless you retry it in the Outbox.`,
      );
      const row = mailRepo(db).get(queued.mail_id)!;
      expect(row).toMatchObject({ status: 'unknown', attempts: 1, last_error: first.problem });
      // Background ticks leave it alone: the server keeps its one copy.
      for (let tick = 0; tick < 2; tick++)
        expect(await flushMailQueue(db, smtpTransport(s, null, FAST), s, () => NOW)).toMatchObject({
          sent: 0,
          unknown: 0,
        });
      await new Promise((resolve) => setTimeout(resolve, 1_600));
      expect(smtp.received).toHaveLength(1);
      expect(messageIdOf(smtp.received[0]!.data)).toBe(queued.message_id);
      expect(mailRepo(db).get(queued.mail_id)).toMatchObject({ status: 'unknown', attempts: 1 });
      expect(db.prepare('SELECT status FROM risk_items WHERE item_id = ?').pluck().get(c.item_id)).toBe('open');
    } finally {
      await smtp.close();
    }
  });

  it('retries a timeout before DATA with the Message-ID chosen when the message was queued', async () => {
    const slow = await startSmtp({ slow: { rcptMs: 1_500 } });
    const c = next();
    const queued = queueFor(c, 'Slow envelope');
    expect(queued.message_id).toMatch(/^<[0-9a-f-]{36}@[a-z.]+>$/);
    try {
      const s = settings(slow.port);
      const first = await flushMailQueue(db, smtpTransport(s, null, FAST), s, () => NOW);
      expect(first).toMatchObject({ sent: 0, waiting: 1, unknown: 0 });
      expect(first.problem).toMatch(/could not be reached \(ETIMEDOUT\); the message stays queued\.$/);
      expect(mailRepo(db).get(queued.mail_id)).toMatchObject({ status: 'queued', attempts: 1 });
    } finally {
      await slow.close();
    }
    const smtp = await startSmtp();
    try {
      const s = settings(smtp.port);
      expect(await flushMailQueue(db, smtpTransport(s, null, FAST), s, () => NOW)).toMatchObject({ sent: 1 });
      expect(smtp.received.map((m) => messageIdOf(m.data))).toEqual([queued.message_id]);
      expect(mailRepo(db).get(queued.mail_id)).toMatchObject({
        status: 'sent',
        attempts: 2,
        message_id: queued.message_id,
      });
    } finally {
      await smtp.close();
    }
  });

  it('keeps a message queued for the customer’s working hours until its not-before time', async () => {
    const smtp = await startSmtp();
    try {
      const c = next();
      const at = '2026-03-11T08:00:00.000Z';
      const queued = queueMail(
        db,
        { accountId: c.account_id, to: [c.contacts[0]!], subject: 'Good morning', body: 'Hi', notBefore: at },
        NOW,
      );
      expect(queued.not_before).toBe(at);
      const s = settings(smtp.port);
      const early = await flushMailQueue(db, smtpTransport(s, null), s, () => new Date('2026-03-11T07:59:00Z'));
      expect(early).toMatchObject({ sent: 0, waiting: 0 });
      expect(mailRepo(db).get(queued.mail_id)).toMatchObject({ status: 'queued', attempts: 0 });
      const due = await flushMailQueue(db, smtpTransport(s, null), s, () => new Date(at));
      expect(due.sent).toBe(1);
      expect(smtp.received.map((m) => m.data.includes('Subject: Good morning'))).toEqual([true]);
    } finally {
      await smtp.close();
    }
  });

  it('marks a message left “sending” by a stopped process as unknown instead of sending it again', async () => {
    const smtp = await startSmtp();
    try {
      const c = next();
      const queued = queueFor(c, 'Interrupted');
      expect(mailRepo(db).claim(queued.mail_id, '2026-03-10T09:30:00.000Z')).toBe(true);
      const s = settings(smtp.port);
      const result = await flushMailQueue(db, smtpTransport(s, null), s, () => NOW);
      expect(result).toMatchObject({ sent: 0, unknown: 1 });
      expect(mailRepo(db).get(queued.mail_id)).toMatchObject({ status: 'unknown', attempts: 1 });
      expect(mailRepo(db).get(queued.mail_id)?.last_error).toMatch(/^Foresight stopped while handing this message/);
      expect(smtp.received).toHaveLength(0);
    } finally {
      await smtp.close();
    }
  });

  it('chooses recipients among the account’s contacts only', () => {
    const c = next();
    expect(() =>
      queueMail(db, { accountId: c.account_id, to: ['someone-else'], subject: 'x', body: 'y' }, NOW),
    ).toThrow('To: "someone-else" is not a contact of this account.');
    expect(() => queueMail(db, { accountId: c.account_id, to: [], subject: 'x', body: 'y' }, NOW)).toThrow(
      'Choose at least one recipient in To.',
    );
  });
});
