/**
 * Renewals against the real web preview on a demo book scored as of a fixed day: overdue renewals
 * first, the window and owner kept in the URL, totals by month, and an account reachable from its
 * row. The book is big enough (~180 renewals in 180 days) that the list is virtualised: only the
 * rows on screen are in the DOM, which kept a 50,000-account book's Renewals from freezing the tab.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { runForesight, startWebPreview, tempDbPath, type TempDb, type WebPreview } from './support/webPreview.ts';
import { SCREENSHOTS } from './support/screenshots.ts';

const AS_OF = '2026-03-10';

let db: TempDb;
let preview: WebPreview;
let report: { rows: { name: string; overdue: boolean }[]; totals: { overdue: number } };

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1440, height: 1000 }, reducedMotion: 'reduce' });

test.beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  db = tempDbPath();
  runForesight(['init', '--demo', '--accounts', '400', '--as-of', AS_OF, '--db', db.dbPath]);
  report = JSON.parse(
    runForesight(['renewals', '--within', '180', '--as-of', AS_OF, '--json', '--db', db.dbPath]),
  ) as typeof report;
  preview = await startWebPreview({ dbPath: db.dbPath });
});

test.afterAll(async () => {
  await preview?.stop();
  db?.remove();
});

test('lists overdue renewals first, with months and the window in the URL', async ({ page }) => {
  expect(report.totals.overdue).toBeGreaterThan(0);
  await page.goto(`${preview.url}#/renewals?within=180&owner=all&asOf=${AS_OF}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Renewals' })).toBeVisible();
  await expect(page.getByRole('button', { name: '180 days' })).toHaveAttribute('aria-pressed', 'true');
  const table = page.getByRole('table', { name: 'Renewals', exact: true });
  const rows = table.locator('tbody tr:not([aria-hidden])');
  // Virtualised: every row counted for assistive tech, only a screenful in the DOM.
  expect(report.rows.length).toBeGreaterThan(150);
  await expect(table).toHaveAttribute('aria-rowcount', String(report.rows.length + 1));
  await expect(rows.first()).toContainText(report.rows[0]!.name);
  expect(await rows.count()).toBeLessThan(60);
  await expect(rows.first().getByRole('rowheader')).toContainText(report.rows[0]!.name);
  await expect(rows.first()).toContainText(/Overdue by \d+ days?/);
  // Days in words ("today", "tomorrow", "in 12 days"), never "in 0 d".
  await expect(table).not.toContainText(/in \d+ d\b/);
  await expect(rows.filter({ hasNotText: 'Overdue' }).first()).toContainText(/today|tomorrow|in \d+ days/);
  // The month table uses the page's width, as the renewals table under it does.
  const months = page.getByRole('table', { name: 'Renewals by month' });
  const listBox = (await page.getByRole('region', { name: 'Renewals' }).boundingBox())!;
  const [monthsBox, tableBox] = [(await months.boundingBox())!, listBox];
  expect(Math.abs(monthsBox.width - tableBox.width)).toBeLessThan(2);
  await expect(page.getByRole('group', { name: 'Overdue' })).toContainText(`${report.totals.overdue}`);
  await expect(page.getByRole('table', { name: 'Renewals by month' }).locator('tbody tr').first()).toContainText(
    'Overdue',
  );
  await page.screenshot({ path: join(SCREENSHOTS, 'renewals.png') });

  // The list scrolls by keyboard: its region takes focus, End reaches the last renewal.
  const region = page.getByRole('region', { name: 'Renewals' });
  await region.focus();
  await page.keyboard.press('End');
  const last = report.rows[report.rows.length - 1]!;
  await expect(table.getByRole('row').filter({ hasText: last.name })).toHaveAttribute(
    'aria-rowindex',
    String(report.rows.length + 1),
  );
  await page.keyboard.press('Home');

  await page.getByRole('button', { name: '30 days' }).click();
  await expect(page).toHaveURL(new RegExp(`#/renewals\\?within=30&owner=all&asOf=${AS_OF}$`));
  await expect(table).not.toHaveAttribute('aria-rowcount', String(report.rows.length + 1));
  await rows.first().getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1, name: report.rows[0]!.name })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('button', { name: '30 days' })).toHaveAttribute('aria-pressed', 'true');
});
