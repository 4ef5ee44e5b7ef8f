/**
 * Logging activities against the real web preview on a demo book of today: a call logged from
 * Today with `l`, a summary and Enter is a CSM touch (the account's relationship component says
 * "last CSM touch … (today)" at once) and is listed on the account page; a note from the account
 * page is listed but is not a touch.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { runForesight, startWebPreview, tempDbPath, type TempDb, type WebPreview } from './support/webPreview.ts';
import { SCREENSHOTS } from './support/screenshots.ts';

let db: TempDb;
let preview: WebPreview;
let top: { account_id: string; name: string }[];

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1440, height: 1000 }, reducedMotion: 'reduce' });

test.beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  db = tempDbPath();
  runForesight(['init', '--demo', '--accounts', '120', '--db', db.dbPath]);
  top = JSON.parse(runForesight(['risks', '--top', '5', '--json', '--db', db.dbPath])) as typeof top;
  preview = await startWebPreview({ dbPath: db.dbPath });
});

test.afterAll(async () => {
  await preview?.stop();
  db?.remove();
});

test('logs a call from Today with l, a summary and Enter; the touch shows on the account', async ({ page }) => {
  const account = top[0]!;
  await page.goto(`${preview.url}#/today`);
  const table = page.getByRole('table', { name: 'At-risk accounts' });
  await expect(table.locator('tbody tr').first()).toContainText(account.name);

  await page.keyboard.press('l');
  const dialog = page.getByRole('dialog', { name: `Log an activity for ${account.name}` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('radio', { name: 'Call' })).toBeChecked();
  await page.keyboard.type('Walked through the billing page with their admin');
  await page.screenshot({ path: join(SCREENSHOTS, 'activity-log.png') });
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByText(`Logged a call for ${account.name}`, { exact: true })).toBeVisible();

  await page.goto(`${preview.url}#/accounts/${account.account_id}`);
  const relationship = page
    .getByRole('table', { name: 'Why this score: components' })
    .getByRole('row', { name: /Relationship/ });
  await expect(relationship).toContainText(/last CSM touch \d{4}-\d{2}-\d{2} \(today\)/);
  const activities = page.getByRole('region', { name: 'Activities' });
  await expect(activities).toContainText('Walked through the billing page with their admin');
  await expect(page.getByRole('region', { name: 'Timeline' })).toContainText(
    'Call: Walked through the billing page with their admin',
  );
});

test('logs a note from the account page; it is listed but is not a touch', async ({ page }) => {
  const account = top[1]!;
  await page.goto(`${preview.url}#/accounts/${account.account_id}`);
  const activities = page.getByRole('region', { name: 'Activities' });
  await activities.getByRole('button', { name: 'Log activity' }).click();
  const dialog = page.getByRole('dialog', { name: `Log an activity for ${account.name}` });
  await dialog.getByRole('radio', { name: 'Note' }).check();
  await dialog.getByRole('button', { name: 'Log note' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Write a summary, so the next person knows what happened.');
  await dialog.getByLabel('Summary').fill('Champion is on parental leave until May');
  await dialog.getByLabel('Outcome (optional)').fill('Talk to the deputy');
  await dialog.getByRole('button', { name: 'Log note' }).click();
  await expect(dialog).toBeHidden();
  await expect(activities.getByRole('listitem').first()).toContainText(
    'Champion is on parental leave until May — outcome: Talk to the deputy',
  );
  await page.screenshot({ path: join(SCREENSHOTS, 'account-activities.png'), fullPage: true });
});
