/**
 * The Account screen against the real web preview: the score explained component by component,
 * the history chart on the band zones, open risk items with their actions, contacts with the
 * champion marked, and the timeline.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { runForesight, startWebPreview, tempDbPath, type TempDb, type WebPreview } from './support/webPreview.ts';
import { focusableInsideHidden } from './support/a11y.ts';
import { SCREENSHOTS } from './support/screenshots.ts';

const AS_OF = '2026-03-31';

let db: TempDb;
let preview: WebPreview;
let account: { account_id: string; name: string; score: number; triggers: { id: string }[] };

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1440, height: 1000 }, reducedMotion: 'reduce' });

test.beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  db = tempDbPath();
  // 400 accounts: enough churned customers (42) for the churn model to learn, and so to raise an account.
  runForesight(['init', '--demo', '--as-of', AS_OF, '--db', db.dbPath]);
  // The riskiest account that still has a champion (the contacts table marks one).
  account = (
    JSON.parse(
      runForesight(['risks', '--as-of', AS_OF, '--top', '10', '--json', '--db', db.dbPath]),
    ) as (typeof account)[]
  ).find((a) => !a.triggers.some((t) => t.id === 'champion_left'))!;
  preview = await startWebPreview({ dbPath: db.dbPath });
});

test.afterAll(async () => {
  await preview?.stop();
  db?.remove();
});

async function openAccount(page: Page) {
  await page.goto(`${preview.url}#/accounts/${account.account_id}?asOf=${AS_OF}`);
  await expect(page.getByRole('heading', { level: 1, name: account.name })).toBeVisible();
}

test('an account the churn model moved to yellow says so in one voice, with its stored reasons and the overdue renewal', async ({
  page,
}) => {
  // QA: a "99 Yellow" badge beside "Score 99 (green)", the model's and the overdue renewal's
  // reasons only in --json, and "renews Nov 24" with no overdue marker.
  const ranked = JSON.parse(runForesight(['risks', '--as-of', AS_OF, '--top', '100', '--json', '--db', db.dbPath])) as {
    account_id: string;
    name: string;
    band: string;
    reasons: string[];
  }[];
  const moved = ranked.find(
    (a) =>
      a.reasons.some((r) => r.startsWith('The churn model sees risk')) &&
      a.reasons.some((r) => r.startsWith('Renewal overdue')),
  )!;
  expect(moved).toBeDefined();
  await page.goto(`${preview.url}#/accounts/${moved.account_id}?asOf=${AS_OF}`);
  await expect(page.getByRole('heading', { level: 1, name: moved.name })).toBeVisible();
  const score = page.getByRole('region', { name: 'Health score' });
  await expect(score).toContainText('Yellow');
  await expect(score).toContainText(
    /Health score \d+, green on its own; the churn model's P\(churn\) of \d+% puts it at yellow/,
  );
  await expect(score).not.toContainText(/Score \d+ \(green\)/);
  const reasons = score.getByRole('list', { name: 'Reasons' });
  await expect(reasons).toContainText('The churn model sees risk');
  await expect(reasons).toContainText('Renewal overdue');
  await expect(page.getByText(/renews .+ \(overdue: record the renewal or the new date\)/)).toBeVisible();
});

test('explains the score component by component, with history, contacts and timeline', async ({ page }) => {
  await openAccount(page);
  const score = page.getByRole('region', { name: 'Health score' });
  await expect(score).toContainText(String(account.score));
  await expect(score.getByText(/Score history, last \d+ days\./)).toBeVisible();
  await expect(score.locator('.recharts-reference-area')).toHaveCount(3);

  const components = page.getByRole('table', { name: 'Why this score: components' });
  await expect(components.getByRole('row')).toHaveCount(8);
  await expect(components.getByRole('row', { name: /Usage trend/ })).toContainText(
    /14-day mean .* vs 28-day baseline .* → \d+\/100/,
  );
  await expect(components.getByRole('row', { name: /Usage trend/ })).toContainText('Rule:');

  const contacts = page.getByRole('table', { name: 'Contacts' });
  await expect(contacts.getByText('Champion').first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Timeline' }).getByRole('listitem').first()).toBeVisible();
  await expect(page.getByRole('region', { name: 'Plays checked' })).toContainText('Fired');

  await page.screenshot({ path: join(SCREENSHOTS, 'account.png') });
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  await page.screenshot({ path: join(SCREENSHOTS, 'account-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
});

test('the score history chart is hidden from screen readers and out of the tab order, with a text summary', async ({
  page,
}) => {
  await openAccount(page);
  const score = page.getByRole('region', { name: 'Health score' });
  await expect(score.locator('.recharts-surface')).toBeVisible();
  await expect(score.getByText(/From \d+ on .* to \d+ on .*; lowest \d+ on/)).toBeVisible();
  expect(await focusableInsideHidden(page)).toEqual([]);
});

test('the timeline shows amounts as money and event names in words', async ({ page }) => {
  await openAccount(page);
  const timeline = page.getByRole('region', { name: 'Timeline' });
  await expect(timeline.getByRole('listitem').first()).toBeVisible();
  const texts = await timeline.getByRole('listitem').allInnerTexts();
  const payments = texts.filter((t) => /Payment (failed|succeeded)/.test(t));
  expect(payments.length).toBeGreaterThan(0);
  // "Payment succeeded $6,450", never "Payment succeeded 6450".
  for (const text of payments)
    expect(text).toMatch(/Payment (failed|succeeded) [^\d\s]{1,3}\d{1,3}(,\d{3})*(\.\d{2})?/);
  expect(texts.filter((t) => /\b[a-z]+_[a-z_]+\b/.test(t))).toEqual([]);
});

test('starts, snoozes and dismisses risk items from the account', async ({ page }) => {
  await openAccount(page);
  const items = page.getByRole('region', { name: /Open risk items/ });
  const count = account.triggers.length;
  await expect(items.getByRole('heading', { name: `Open risk items (${count})` })).toBeVisible();

  // Each item (not the steps of its playbook checklist, which are list items too) has a Dismiss button.
  const itemRows = items.getByRole('listitem').filter({ has: page.getByRole('button', { name: /^Dismiss / }) });
  const first = itemRows.first();
  const label = (await first.locator('strong').first().textContent()) ?? '';
  await items.getByRole('button', { name: `Start ${label}` }).click();
  await expect(first.getByText('In progress', { exact: true })).toBeVisible();

  await items.getByRole('button', { name: `Snooze ${label}` }).click();
  const snooze = page.getByRole('dialog', { name: `Snooze ${account.name}` });
  await snooze.getByRole('button', { name: 'Snooze' }).click();
  await expect(snooze.getByRole('alert')).toHaveText('Say why, so whoever sees the item next knows.');
  // A pasted reason over the cap is kept whole and refused in words, not cut by a maxlength.
  await snooze.getByRole('textbox', { name: 'Reason' }).fill('y'.repeat(5_001));
  await expect(snooze.getByText('5,001 / 5,000 characters')).toBeVisible();
  await snooze.getByRole('button', { name: 'Snooze' }).click();
  await expect(snooze.getByRole('alert')).toHaveText('The reason is 5,001 characters; keep it to 5,000.');
  await snooze.getByRole('textbox', { name: 'Reason' }).fill('Their CFO is out until next week');
  await snooze.getByRole('button', { name: 'Snooze' }).click();
  await expect(snooze).toBeHidden();
  await expect(items.getByText(/Snoozed until/).first()).toBeVisible();

  const second = itemRows.nth(1);
  const other = (await second.locator('strong').first().textContent()) ?? '';
  await items.getByRole('button', { name: `Dismiss ${other}` }).click();
  const dismiss = page.getByRole('dialog', { name: `Dismiss for ${account.name}` });
  await dismiss.getByRole('button', { name: 'Dismiss' }).click();
  await expect(dismiss).toBeHidden();
  await expect(items.getByRole('heading', { name: `Open risk items (${count - 1})` })).toBeVisible();
  await items.getByText(/Closed items/).click();
  await expect(items.getByText(new RegExp(`${other} — dismissed`))).toBeVisible();
});
