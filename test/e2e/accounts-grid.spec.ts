/**
 * The Accounts grid against the real web preview on a demo book of today: health on every row,
 * ARR sorted in USD across currencies (the CLI's order), a band filter and the column chooser kept
 * in the URL across opening an account and coming back, and a CSV export of the current view.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { runForesight, startWebPreview, tempDbPath, type TempDb, type WebPreview } from './support/webPreview.ts';
import { SCREENSHOTS } from './support/screenshots.ts';

let db: TempDb;
let preview: WebPreview;
let byArr: { name: string; currency: string }[];

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });

test.beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  db = tempDbPath();
  runForesight(['init', '--demo', '--accounts', '150', '--db', db.dbPath]);
  byArr = (JSON.parse(runForesight(['accounts', '--top', '8', '--json', '--db', db.dbPath])) as { rows: typeof byArr })
    .rows;
  preview = await startWebPreview({ dbPath: db.dbPath });
});

test.afterAll(async () => {
  await preview?.stop();
  db?.remove();
});

test('shows health and sorts ARR across currencies; filters and columns survive opening an account', async ({
  page,
}) => {
  await page.goto(`${preview.url}#/accounts`);
  const table = page.getByRole('table', { name: 'Accounts' });
  const rows = table.locator('tbody tr:not([aria-hidden])');
  await expect(rows.first()).toContainText(byArr[0]!.name);
  expect(new Set(byArr.map((r) => r.currency)).size).toBeGreaterThan(1);
  const names = await table.locator('tbody tr a').allTextContents();
  expect(names.slice(0, byArr.length)).toEqual(byArr.map((r) => r.name));
  await expect(rows.first()).toContainText(/\d+ (Red|Yellow|Green)/);
  // The trend label is the week's change and says so; its tooltip also words the 30-day line beside it.
  const trend = rows.first().locator('.accounts__trend');
  await expect(trend).toContainText(/this week: (up \d+|down \d+|flat|new)/);
  await expect(trend).toHaveAttribute(
    'title',
    /^Health score over the last 30 days: \d+ → \d+\. (Up|Down|Flat|No score)/,
  );
  await page.screenshot({ path: join(SCREENSHOTS, 'accounts-grid.png') });

  await page.getByRole('group', { name: 'Filters' }).getByLabel('Band').selectOption('red');
  await expect(page).toHaveURL(/band=red/);
  await expect(rows.first()).toContainText(/\d+ Red/);
  const redCount = await page.getByRole('main').getByRole('status').textContent();
  await page.getByText('Columns', { exact: true }).click();
  await page.getByRole('checkbox', { name: 'Segment' }).uncheck();
  await expect(table.getByRole('columnheader', { name: 'Segment' })).toHaveCount(0);

  const first = (await rows.first().getByRole('link').textContent()) ?? '';
  await rows.first().getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: first })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('group', { name: 'Filters' }).getByLabel('Band')).toHaveValue('red');
  await expect(page.getByRole('main').getByRole('status')).toHaveText(redCount ?? '');
  await expect(table.getByRole('columnheader', { name: 'Segment' })).toHaveCount(0);

  // Saved as a named view, it reopens as saved after the filters change.
  const views = page.getByRole('group', { name: 'Saved views' });
  await views.getByRole('button', { name: 'Save view…' }).click();
  await page.getByRole('dialog', { name: 'Save this view' }).getByLabel('Name').fill('Red, no segment');
  await page.getByRole('dialog', { name: 'Save this view' }).getByRole('button', { name: 'Save' }).click();
  await expect(views.getByLabel('View')).toHaveValue('Red, no segment');
  await page.getByRole('group', { name: 'Filters' }).getByLabel('Band').selectOption('');
  await expect(views.getByLabel('View')).toHaveValue('');
  await views.getByLabel('View').selectOption('Red, no segment');
  await expect(page.getByRole('group', { name: 'Filters' }).getByLabel('Band')).toHaveValue('red');
  await expect(table.getByRole('columnheader', { name: 'Segment' })).toHaveCount(0);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  // A job on the server: its progress shows while it runs, the buttons wait for it.
  await expect(page.getByRole('progressbar', { name: /^Exporting accounts as CSV/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Export XLSX' })).toBeDisabled();
  const file = await download;
  await expect(page.getByRole('progressbar', { name: /^Exporting accounts as CSV/ })).toHaveCount(0);
  const csv = readFileSync((await file.path())!, 'utf8');
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const lines = csv.trim().split('\r\n');
  expect(lines[0]).toBe(
    'Account ID,Account,Status,Churned on,Health score,Band,No score because,Trend,P(churn),ARR,Currency,ARR (USD),Renewal,Last touch,Newest data,Data age (days),Owner',
  );
  expect(lines.slice(1).every((l) => l.includes(',red,'))).toBe(true);
});
