/**
 * Playbooks against the real web preview and a real SMTP server on 127.0.0.1: a payment-failing
 * item shows its three-tier checklist with due days; approving its tier-2 step sends the email,
 * logs it and moves the item to "In progress"; Today's "Tasks due today" approves every due tier-2
 * step after one confirmation; Settings → Playbooks edits a play with sentence errors and resets it.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { localSmtpSettings, startSmtp, type LocalSmtp } from '../support/smtp-server.ts';
import { skippedHeadingLevels } from './support/a11y.ts';
import { runForesight, startWebPreview, tempDbPath, type TempDb, type WebPreview } from './support/webPreview.ts';
import { SCREENSHOTS } from './support/screenshots.ts';

let db: TempDb;
let preview: WebPreview;
let smtp: LocalSmtp;
let item: { accountId: string; name: string; email: string };

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });

test.beforeAll(async () => {
  smtp = await startSmtp();
  db = tempDbPath();
  runForesight(['init', '--demo', '--accounts', '120', '--db', db.dbPath]);
  const sqlite = new Database(db.dbPath);
  item = sqlite
    .prepare(
      `SELECT r.account_id AS accountId, a.name, c.email
       FROM risk_items r JOIN accounts a USING (account_id)
       JOIN contacts c ON c.account_id = r.account_id AND c.is_champion = 1 AND c.active = 1 AND c.email IS NOT NULL
       WHERE r.trigger_id = 'payment_failing' AND r.is_control = 0 AND r.status = 'open'
       ORDER BY r.account_id LIMIT 1`,
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

test('a payment-failing item shows its three-tier playbook; approving the email sends it and starts the item', async ({
  page,
}) => {
  await page.goto(`${preview.url}#/accounts/${item.accountId}`);
  const items = page.getByRole('region', { name: /Open risk items/ });
  const checklist = items.getByRole('list', { name: 'Playbook for Payment failing' });
  const steps = checklist.getByRole('listitem');
  await expect(steps).toHaveCount(3);
  await expect(steps.nth(0)).toContainText('Tier 1 · Self-healing');
  await expect(steps.nth(0)).toContainText('due today');
  await expect(steps.nth(1)).toContainText('Tier 2 · Automated outreach');
  await expect(steps.nth(2)).toContainText('Tier 3 · Human');
  expect(await skippedHeadingLevels(page)).toEqual([]);
  await checklist.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, 'account-playbook.png') });

  await checklist
    .getByRole('button', { name: 'Approve and send: Email the billing contact about the failed payment' })
    .click();
  await expect(page.getByText(/^Sent to /)).toBeVisible();
  expect(smtp.received).toHaveLength(1);
  expect(smtp.received[0]!.to).toEqual([item.email]);
  await expect(items.getByText('In progress', { exact: true })).toBeVisible();
  await expect(steps.nth(1)).toContainText(/Done by /);
  await expect(page.getByRole('region', { name: 'Timeline' })).toContainText('Email sent from Foresight');
});

test('Today lists the tasks due and approves every due tier-2 step after one confirmation', async ({ page }) => {
  await page.goto(`${preview.url}#/today`);
  const open = page.getByRole('button', { name: /^Tasks due today \(\d+\)$/ });
  await expect(open).toBeVisible();
  await page.locator('body').press('t');
  const dialog = page.getByRole('dialog', { name: /^Tasks due today/ });
  await expect(dialog.getByRole('list', { name: 'Tasks due today' }).getByRole('listitem').first()).toBeVisible();
  const approveAll = dialog.getByRole('button', { name: /^Approve all due tier-2 steps \((\d+)\)$/ });
  const count = Number((await approveAll.textContent())!.match(/\((\d+)\)/)![1]);
  expect(count).toBeGreaterThan(0);
  await approveAll.click();
  const confirm = dialog.getByRole('group', { name: 'Confirm sending' });
  await expect(confirm.getByRole('listitem')).toHaveCount(count);
  await page.screenshot({ path: join(SCREENSHOTS, 'today-tasks-due.png') });
  const before = smtp.received.length;
  await confirm.getByRole('button', { name: /^Send \d+ emails?$/ }).click();
  const summary = page.getByText(new RegExp(`^Approved \\d+ of ${count} emails?$`));
  await expect(summary).toBeVisible();
  const approved = Number((await summary.textContent())!.match(/^Approved (\d+)/)![1]);
  expect(approved).toBeGreaterThan(0);
  expect(smtp.received.length - before).toBe(approved);
  await expect(dialog.getByRole('button', { name: /^Approve all due tier-2 steps/ })).toHaveCount(
    approved === count ? 0 : 1,
  );
});

test('Settings → Playbooks edits a play with a sentence for a mistake, and resets it', async ({ page }) => {
  await page.goto(`${preview.url}#/settings`);
  const section = page.getByRole('region', { name: 'Playbooks' });
  await section.getByLabel('Choose a play').selectOption({ label: 'Payment failing' });
  const form = section.getByRole('form', { name: 'Payment failing playbook' });
  await form.getByRole('textbox', { name: 'Step 3 title', exact: true }).fill('');
  await form.getByRole('button', { name: 'Save playbook' }).click();
  await expect(form.getByRole('alert')).toHaveText(
    'Payment failing playbook, step 3 (title): each step needs a title.',
  );
  await form.getByRole('textbox', { name: 'Step 3 title', exact: true }).fill('Meet the CFO about billing');
  await form.getByLabel('Step 3 due after (days)').fill('3');
  await form.getByRole('button', { name: 'Save playbook' }).click();
  await expect(page.getByText('Saved the Payment failing playbook', { exact: true })).toBeVisible();
  await expect(section.getByLabel('Choose a play')).toContainText('Payment failing (edited)');
  await section.scrollIntoViewIfNeeded();
  await section.screenshot({ path: join(SCREENSHOTS, 'settings-playbooks.png') });
  const playbooks = JSON.parse(runForesight(['playbooks', '--json', '--db', db.dbPath])) as {
    triggerId: string;
    steps: { title: string; offsetDays: number }[];
  }[];
  expect(playbooks.find((p) => p.triggerId === 'payment_failing')!.steps[2]).toMatchObject({
    title: 'Meet the CFO about billing',
    offsetDays: 3,
  });
  await form.getByRole('button', { name: 'Reset to default' }).click();
  await expect(form.getByRole('textbox', { name: 'Step 3 title', exact: true })).toHaveValue(
    'Call the billing contact',
  );
});

test('Settings → Playbooks names every step’s fields by their step, in a group per step', async ({ page }) => {
  await page.goto(`${preview.url}#/settings`);
  const section = page.getByRole('region', { name: 'Playbooks' });
  await section.getByLabel('Choose a play').selectOption({ label: 'Payment failing' });
  const form = section.getByRole('form', { name: 'Payment failing playbook' });
  const steps = form.getByRole('group', { name: /^Step \d+$/ });
  const count = await steps.count();
  expect(count).toBeGreaterThan(1);
  for (let n = 1; n <= count; n += 1) {
    const step = form.getByRole('group', { name: `Step ${n}`, exact: true });
    await expect(step.getByRole('combobox', { name: `Step ${n} tier`, exact: true })).toBeVisible();
    await expect(step.getByRole('textbox', { name: `Step ${n} title`, exact: true })).toBeVisible();
    await expect(step.getByRole('spinbutton', { name: `Step ${n} due after (days)`, exact: true })).toBeVisible();
    await expect(step.getByRole('combobox', { name: `Step ${n} owner`, exact: true })).toBeVisible();
    await expect(step.getByRole('combobox', { name: `Step ${n} template`, exact: true })).toBeVisible();
  }
  // No field is called just by its column any more (the group, not the title box, is "Step 1").
  for (const bare of ['Tier', 'Due after (days)', 'Owner', 'Template'])
    await expect(form.getByLabel(bare, { exact: true })).toHaveCount(0);
  await expect(form.getByRole('textbox', { name: 'Step 1', exact: true })).toHaveCount(0);
});

test('Settings → Playbooks marks a step to send by rule; the checklist says when it will go, and the kill switch holds it', async ({
  page,
}) => {
  await page.goto(`${preview.url}#/settings`);
  const section = page.getByRole('region', { name: 'Playbooks' });
  const killSwitch = section.getByRole('checkbox', { name: /^Send steps marked “Send automatically when due”/ });
  await expect(killSwitch).toBeChecked();
  await section.getByLabel('Choose a play').selectOption({ label: 'Usage drop' });
  const form = section.getByRole('form', { name: 'Usage drop playbook' });
  await form
    .getByRole('checkbox', { name: /^Step \d+: send automatically when due$/ })
    .first()
    .check();
  await form.getByRole('button', { name: 'Save playbook' }).click();
  await expect(page.getByText('Saved the Usage drop playbook', { exact: true })).toBeVisible();
  const saved = JSON.parse(runForesight(['playbooks', '--json', '--db', db.dbPath])) as {
    triggerId: string;
    steps: { tier: number; autoSend: boolean }[];
  }[];
  expect(saved.find((p) => p.triggerId === 'usage_drop')!.steps.filter((s) => s.autoSend)).toHaveLength(1);
  await section.scrollIntoViewIfNeeded();
  await section.screenshot({ path: join(SCREENSHOTS, 'settings-playbooks-rule.png') });

  // An item opened after the edit carries the flag; due tomorrow, so no background run sends it yet.
  const sqlite = new Database(db.dbPath);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const task = sqlite
    .prepare(
      `SELECT t.task_id AS taskId, r.account_id AS accountId, t.title FROM playbook_tasks t JOIN risk_items r USING (item_id)
       WHERE t.tier = 2 AND t.status = 'pending' AND r.status IN ('open', 'in_progress') ORDER BY t.task_id LIMIT 1`,
    )
    .get() as { taskId: number; accountId: string; title: string };
  sqlite.prepare('UPDATE playbook_tasks SET auto_send = 1, due_on = ? WHERE task_id = ?').run(tomorrow, task.taskId);
  sqlite.close();

  await page.goto(`${preview.url}#/accounts/${task.accountId}`);
  const row = page.locator('li.task').filter({ hasText: task.title });
  await expect(row).toContainText(/Will send automatically on /);
  await expect(row.getByRole('button', { name: `Send now: ${task.title}` })).toBeVisible();
  await row.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, 'account-playbook-rule.png') });

  await page.goto(`${preview.url}#/settings`);
  const off = page.getByRole('checkbox', { name: /^Send steps marked “Send automatically when due”/ });
  await off.click();
  await expect(page.getByText('Nothing is sent without your approval now', { exact: true })).toBeVisible();
  await expect(off).not.toBeChecked();
  await page.goto(`${preview.url}#/accounts/${task.accountId}`);
  await expect(row.getByRole('button', { name: `Approve and send: ${task.title}` })).toBeVisible();
  await expect(row).not.toContainText('Will send automatically');
});
