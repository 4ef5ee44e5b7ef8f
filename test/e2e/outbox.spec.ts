/**
 * The Outbox, against the real web preview and a real SMTP server on 127.0.0.1 that refuses one
 * mailbox: every message with its status, attempts and last error; a queued message cancelled; a
 * message of unknown delivery retried and sent; and a queued message that fails on that attempt
 * announced in a toast, so a failure the user did not start is never silent.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { localSmtpSettings, startSmtp, type LocalSmtp } from '../support/smtp-server.ts';
import { runForesight, startWebPreview, tempDbPath, type TempDb, type WebPreview } from './support/webPreview.ts';
import { SCREENSHOTS } from './support/screenshots.ts';

let db: TempDb;
let preview: WebPreview;
let smtp: LocalSmtp;
let contacts: { accountId: string; name: string; email: string }[];
const REFUSED = 'nobody@refused.example';

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });

test.beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  smtp = await startSmtp({ refuse: [REFUSED] });
  db = tempDbPath();
  runForesight(['init', '--demo', '--accounts', '60', '--db', db.dbPath]);
  const sqlite = new Database(db.dbPath);
  contacts = sqlite
    .prepare(
      `SELECT c.account_id AS accountId, a.name, c.email FROM contacts c JOIN accounts a USING (account_id)
       WHERE c.email IS NOT NULL GROUP BY c.account_id ORDER BY c.account_id LIMIT 3`,
    )
    .all() as typeof contacts;
  sqlite
    .prepare("INSERT INTO app_meta (key, value) VALUES ('mail.smtp', ?)")
    .run(JSON.stringify(localSmtpSettings(smtp.port)));
  const insert = sqlite.prepare(
    `INSERT INTO mail_queue (mail_id, account_id, to_json, subject, body, status, attempts, last_error, message_id, queued_at)
     VALUES (?, ?, ?, ?, 'Hi', ?, ?, ?, ?, ?)`,
  );
  const to = (email: string) => JSON.stringify([{ name: null, email }]);
  const [a, b, c] = contacts as [(typeof contacts)[0], (typeof contacts)[0], (typeof contacts)[0]];
  insert.run(
    'mail_unknown',
    a.accountId,
    to(a.email),
    'Renewal plan',
    'unknown',
    1,
    'The SMTP server received the whole message but never confirmed it.',
    '<unknown@foresight.example>',
    '2026-01-05T09:00:00Z',
  );
  insert.run(
    'mail_cancel',
    b.accountId,
    to(b.email),
    'Quarterly check-in',
    'queued',
    0,
    null,
    '<cancel@foresight.example>',
    '2026-01-05T09:01:00Z',
  );
  insert.run(
    'mail_refused',
    c.accountId,
    to(REFUSED),
    'Card update',
    'queued',
    1,
    'Email waits: the SMTP password is missing.',
    '<refused@foresight.example>',
    '2026-01-05T09:02:00Z',
  );
  sqlite.close();
  preview = await startWebPreview({ dbPath: db.dbPath });
});

test.afterAll(async () => {
  await preview?.stop();
  await smtp?.close();
  db?.remove();
});

test('lists the outbox, cancels a queued email, retries an unknown one and tells of a background failure', async ({
  page,
}) => {
  await page.goto(`${preview.url}#/outbox`);
  await expect(page.getByRole('heading', { name: 'Outbox', level: 1 })).toBeVisible();
  const table = page.getByRole('table', { name: 'Outbox' });
  const row = (subject: string) => table.getByRole('row').filter({ hasText: subject });
  await expect(row('Renewal plan')).toContainText('Delivery unknown');
  await expect(row('Renewal plan')).toContainText('never confirmed it');
  await expect(row('Renewal plan')).toContainText(contacts[0]!.name);
  await expect(row('Quarterly check-in')).toContainText('Queued');
  await page.screenshot({ path: join(SCREENSHOTS, 'outbox.png') });

  await page.getByRole('button', { name: 'Cancel “Quarterly check-in”' }).click();
  await expect(row('Quarterly check-in')).toContainText('Cancelled');

  // Delivery unknown: it may already be in the inbox, so Retry asks before it sends again.
  await page.getByRole('button', { name: 'Retry “Renewal plan”' }).click();
  const again = page.getByRole('dialog', { name: 'Send “Renewal plan” again?' });
  await expect(again).toContainText('may already be in the customer');
  await page.screenshot({ path: join(SCREENSHOTS, 'outbox-send-again.png') });
  await again.getByRole('button', { name: 'Cancel' }).click();
  await expect(row('Renewal plan')).toContainText('Delivery unknown');
  expect(smtp.received).toEqual([]);
  await page.getByRole('button', { name: 'Retry “Renewal plan”' }).click();
  await again.getByRole('button', { name: 'Send again' }).click();
  await expect(page.getByText('Email sent', { exact: true })).toBeVisible();
  await expect(row('Renewal plan')).toContainText('Sent');
  await expect(row('Renewal plan').getByRole('cell').nth(4)).toHaveText('2');
  // The queued card update went in the same attempt and was refused: the user hears of it.
  await expect(page.getByText('Queued email failed', { exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: /Notifications/ })).toContainText(
    `${contacts[2]!.name}, “Card update”`,
  );
  await expect(row('Card update')).toContainText('Failed');
  await expect(row('Card update')).toContainText(`Mailbox ${REFUSED} does not exist`);
  expect(smtp.received.map((m) => /^Message-ID: (.+)$/im.exec(m.data)?.[1]?.trim())).toEqual([
    '<unknown@foresight.example>',
  ]);
});
