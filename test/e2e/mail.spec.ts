/**
 * Email through the user's SMTP server, against the real web preview and a real SMTP server on
 * 127.0.0.1: a payment-failing item's draft is sent to its champion (To) and another contact (CC),
 * the server receives it, and the item moves to "In progress" with the touch on the timeline.
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
let item: { accountId: string; name: string; champion: string; other: string; otherEmail: string; email: string };

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });

test.beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  smtp = await startSmtp();
  db = tempDbPath();
  runForesight(['init', '--demo', '--accounts', '200', '--db', db.dbPath]);
  runForesight(['risks', '--top', '1', '--db', db.dbPath]);
  const sqlite = new Database(db.dbPath);
  item = sqlite
    .prepare(
      `SELECT r.account_id AS accountId, a.name, c.name AS champion, c.email, o.name AS other, o.email AS otherEmail
       FROM risk_items r JOIN accounts a USING (account_id)
       JOIN contacts c ON c.account_id = r.account_id AND c.is_champion = 1 AND c.active = 1 AND c.email IS NOT NULL
       JOIN contacts o ON o.account_id = r.account_id AND o.is_champion = 0 AND o.active = 1 AND o.email IS NOT NULL
       WHERE r.trigger_id = 'payment_failing' AND r.is_control = 0 AND r.status = 'open'
       ORDER BY r.account_id, o.contact_id LIMIT 1`,
    )
    .get() as typeof item;
  sqlite
    .prepare("INSERT INTO app_meta (key, value) VALUES ('mail.smtp', ?)")
    .run(JSON.stringify(localSmtpSettings(smtp.port)));
  sqlite.close();
  preview = await startWebPreview({ dbPath: db.dbPath });
});

test.afterAll(async () => {
  await preview?.stop();
  await smtp?.close();
  db?.remove();
});

test('outside the customer’s working hours, offers to send at their next working time and queues it until then', async ({
  page,
}) => {
  // Working hours that exclude the customer's present hour, every day of the week.
  const sqlite = new Database(db.dbPath);
  const zone = sqlite.prepare('SELECT timezone FROM accounts WHERE account_id = ?').pluck().get(item.accountId) as
    string | null;
  const hour = Number(
    new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: zone ?? 'UTC' }).format(new Date()),
  );
  const start = (hour + 2) % 24 === 23 ? 1 : (hour + 2) % 24;
  const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;
  sqlite
    .prepare("INSERT OR REPLACE INTO outreach_settings (key, value_json, updated_at) VALUES ('activeHours', ?, 't')")
    .run(JSON.stringify({ start: hh(start), end: hh(start + 1), weekdays: [1, 2, 3, 4, 5, 6, 7] }));
  sqlite.close();

  await page.goto(`${preview.url}#/accounts/${item.accountId}`);
  const items = page.getByRole('region', { name: /Open risk items/ });
  await items.getByRole('button', { name: 'Draft outreach for Payment failing' }).click();
  const composer = page.getByRole('dialog', { name: 'Draft outreach' });
  await expect(composer).toContainText('outside their working hours');
  await composer.getByRole('button', { name: 'Send email…' }).click();
  const send = page.getByRole('dialog', { name: `Send email to ${item.name}` });
  const later = send.getByRole('button', { name: /^Send at .* their time \(.* yours\)$/ });
  await expect(later).toContainText(hh(start));
  await expect(send.getByRole('button', { name: 'Send now', exact: true })).toBeVisible();
  await later.click();
  await expect(page.getByText('Email scheduled', { exact: true })).toBeVisible();
  expect(smtp.received).toHaveLength(0);

  await page.goto(`${preview.url}#/outbox`);
  const row = page.getByRole('table', { name: 'Outbox' }).getByRole('row').filter({ hasText: item.name });
  await expect(row).toContainText('Queued');
  await expect(row).toContainText('Not before');
  const sqliteAfter = new Database(db.dbPath);
  const notBefore = sqliteAfter.prepare('SELECT not_before FROM mail_queue').pluck().get() as string;
  // Back to the default working hours for the tests below.
  sqliteAfter.prepare("DELETE FROM outreach_settings WHERE key = 'activeHours'").run();
  sqliteAfter.close();
  expect(new Date(notBefore).getTime()).toBeGreaterThan(Date.now());
});

test('sends a payment-failing draft through SMTP to To and CC, and starts the item', async ({ page }) => {
  await page.goto(`${preview.url}#/accounts/${item.accountId}`);
  const items = page.getByRole('region', { name: /Open risk items/ });
  await items.getByRole('button', { name: 'Draft outreach for Payment failing' }).click();
  const composer = page.getByRole('dialog', { name: 'Draft outreach' });
  await composer.getByRole('button', { name: 'Send email…' }).click();

  const send = page.getByRole('dialog', { name: `Send email to ${item.name}` });
  // The section that holds the setting, named as Settings names it.
  await expect(send).toContainText('Through your own SMTP server (Settings → Email (SMTP)).');
  await expect(send.getByRole('checkbox', { name: `To: ${item.champion}` })).toBeChecked();
  await send.getByRole('checkbox', { name: `CC: ${item.other}` }).check();
  await page.screenshot({ path: join(SCREENSHOTS, 'send-email.png') });
  await send.getByRole('button', { name: 'Send now', exact: true }).click();
  await expect(page.getByText('Email sent', { exact: true })).toBeVisible();

  expect(smtp.received).toHaveLength(1);
  expect(smtp.received[0]!.to.sort()).toEqual([item.email, item.otherEmail].sort());
  await expect(items.getByText('In progress', { exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Timeline' })).toContainText('Email sent from Foresight');
});

test('sets up the SMTP server in Settings in plain words', async ({ page }) => {
  await page.goto(`${preview.url}#/settings`);
  const section = page.getByRole('region', { name: 'Email (SMTP)' });
  await expect(section.getByLabel('Server')).toHaveValue('127.0.0.1');
  await section.getByLabel('Port').fill('70000');
  await section.getByRole('button', { name: 'Save email settings' }).click();
  await expect(section.getByRole('alert')).toHaveText('The port is a number from 1 to 65535.');
  await section.getByLabel('Port').fill(String(smtp.port));
  await section.getByLabel('From name').fill('Maya Chen');
  await section.getByRole('button', { name: 'Save email settings' }).click();
  await expect(page.getByText('Email settings saved', { exact: true })).toBeVisible();
  await section.scrollIntoViewIfNeeded();
  await section.screenshot({ path: join(SCREENSHOTS, 'settings-email.png') });
  await page.reload();
  await expect(page.getByRole('region', { name: 'Email (SMTP)' }).getByLabel('From name')).toHaveValue('Maya Chen');
});

test('says to set the environment variable when the password it names is not set (web preview)', async ({ page }) => {
  await page.goto(`${preview.url}#/settings`);
  const section = page.getByRole('region', { name: 'Email (SMTP)' });
  await section.getByLabel('Username (empty: no login)').fill('csm');
  await section.getByLabel('Password environment variable').fill('FORESIGHT_SMTP_PASSWORD_TEST_UNSET');
  await section.getByRole('button', { name: 'Save email settings' }).click();
  await expect(section.getByRole('status')).toHaveText(
    'The password is read from the environment variable FORESIGHT_SMTP_PASSWORD_TEST_UNSET, which is not set where Foresight runs; set it and start Foresight again so queued email can be sent.',
  );
  // No password field to enter it in: the web preview names a variable instead.
  await expect(section.getByLabel('Password', { exact: true })).toHaveCount(0);
  await section.getByLabel('Username (empty: no login)').fill('');
  await section.getByRole('button', { name: 'Save email settings' }).click();
  await expect(section.getByRole('status')).toHaveCount(0);
});
