/**
 * Today's view in the URL, against the real web preview: the filters, the sort and the keyboard
 * cursor survive opening an account and coming back.
 */
import { expect, test } from '@playwright/test';
import { runForesight, startWebPreview, tempDbPath, type TempDb, type WebPreview } from './support/webPreview.ts';

const AS_OF = '2026-03-31';
let db: TempDb;
let preview: WebPreview;

test.use({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });

test.beforeAll(async () => {
  db = tempDbPath();
  runForesight(['init', '--demo', '--accounts', '200', '--as-of', AS_OF, '--db', db.dbPath]);
  runForesight(['risks', '--as-of', AS_OF, '--top', '1', '--db', db.dbPath]);
  preview = await startWebPreview({ dbPath: db.dbPath });
});

test.afterAll(async () => {
  await preview?.stop();
  db?.remove();
});

test('filters, sort and cursor survive opening an account and coming back', async ({ page }) => {
  await page.goto(`${preview.url}#/today?asOf=${AS_OF}`);
  const table = page.getByRole('table', { name: 'At-risk accounts' });
  const rows = table.locator('tbody tr:not(.data-table__spacer)');
  await expect(rows.first()).toBeVisible();
  const filters = page.getByRole('group', { name: 'Filters' });
  // Band red: the demo book has several red accounts as of this day.
  await filters.getByLabel('Band').selectOption('red');
  await expect(page).toHaveURL(/band=red/);
  // The totals say they are of the filtered list, not the whole book.
  await expect(page.getByRole('group', { name: 'Accounts at risk' })).toContainText('matching the filters');
  await table.getByRole('button', { name: 'ARR' }).click();
  await expect(page).toHaveURL(/sort=arr/);
  const sortState = await table.getByRole('columnheader', { name: /ARR/ }).getAttribute('aria-sort');
  await expect(rows.nth(1)).toBeVisible();
  await page.keyboard.press('j');
  const active = table.locator('tbody tr[aria-current="true"]');
  const name = (await active.getByRole('link').first().textContent()) ?? '';
  expect(name).not.toBe('');
  await active.getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();

  await page.goBack();
  await expect(filters.getByLabel('Band')).toHaveValue('red');
  await expect(table.getByRole('columnheader', { name: /ARR/ })).toHaveAttribute('aria-sort', sortState ?? '');
  await expect(active).toContainText(name);
});
