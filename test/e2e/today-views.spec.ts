/**
 * Today's view in the URL, against the real web preview: the filters, the sort and the keyboard
 * cursor survive opening an account and coming back; a saved view reopens as saved; a cut-off
 * owner can be read from the keyboard.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { SCREENSHOTS } from './support/screenshots.ts';
import { focusableInsideHidden } from './support/a11y.ts';
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

test('a saved view reopens as saved: filters, sort and cursor; it can be renamed and deleted', async ({ page }) => {
  await page.goto(`${preview.url}#/today?asOf=${AS_OF}`);
  const table = page.getByRole('table', { name: 'At-risk accounts' });
  const rows = table.locator('tbody tr:not(.data-table__spacer)');
  await expect(rows.nth(2)).toBeVisible();
  const filters = page.getByRole('group', { name: 'Filters' });
  await filters.getByLabel('Band').selectOption('red');
  await table.getByRole('button', { name: 'ARR' }).click();
  await expect(page).toHaveURL(/sort=arr/);
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  const active = table.locator('tbody tr[aria-current="true"]');
  const name = (await active.getByRole('link').first().textContent()) ?? '';
  const savedUrl = page.url();

  const views = page.getByRole('group', { name: 'Saved views' });
  await views.getByRole('button', { name: 'Save view…' }).click();
  const save = page.getByRole('dialog', { name: 'Save this view' });
  await save.getByLabel('Name').fill('My red accounts by ARR');
  await save.getByLabel('Name').press('Enter');
  await expect(save).toBeHidden();
  await expect(views.getByLabel('View')).toHaveValue('My red accounts by ARR');
  // Moving the cursor keeps the view open; changing a filter leaves it.
  await page.keyboard.press('k');
  await expect(views.getByLabel('View')).toHaveValue('My red accounts by ARR');
  await filters.getByLabel('Band').selectOption('');
  await expect(views.getByLabel('View')).toHaveValue('');
  await expect(filters.getByLabel('Band')).toHaveValue('');

  // Reopening restores the band, the sort and the row the cursor was on when it was saved.
  await views.getByLabel('View').selectOption('My red accounts by ARR');
  await expect(filters.getByLabel('Band')).toHaveValue('red');
  await expect(page).toHaveURL(/sort=arr/);
  await expect(active).toContainText(name);
  expect(new URL(page.url()).hash).toBe(new URL(savedUrl).hash);
  await page.screenshot({ path: join(SCREENSHOTS, 'today-saved-views.png') });

  await views.getByRole('button', { name: 'Rename' }).click();
  const rename = page.getByRole('dialog', { name: 'Rename “My red accounts by ARR”' });
  await rename.getByLabel('Name').fill('Red by ARR');
  await rename.getByRole('button', { name: 'Save' }).click();
  await expect(views.getByLabel('View')).toHaveValue('Red by ARR');
  await views.getByRole('button', { name: 'Delete' }).click();
  await expect(views.getByLabel('View').locator('option')).toHaveText(['Current (unsaved)']);
});

test('a cut-off owner is readable from the keyboard: focusable, named, with a tooltip on focus', async ({ page }) => {
  await page.goto(`${preview.url}#/today?asOf=${AS_OF}`);
  const table = page.getByRole('table', { name: 'At-risk accounts' });
  const owner = table.getByRole('button', { name: /^Owner: .+@.+/ }).first();
  await expect(owner).toBeVisible();
  const full = ((await owner.getAttribute('aria-label')) ?? '').replace(/^Owner: /, '');
  // The cell shows the part before the @; the whole address is the name and the tooltip.
  await expect(owner).toHaveText(full.split('@')[0]!);
  await owner.focus();
  await expect(page.getByRole('tooltip')).toHaveText(full);
  expect(await focusableInsideHidden(page)).toEqual([]);

  await page.goto(`${preview.url}#/accounts`);
  const gridOwner = page.getByRole('button', { name: /^Owner: .+@.+/ }).first();
  await gridOwner.focus();
  await expect(page.getByRole('tooltip')).toHaveText(
    ((await gridOwner.getAttribute('aria-label')) ?? '').replace(/^Owner: /, ''),
  );
});

test('saving a view under a taken name asks before replacing it', async ({ page }) => {
  await page.goto(`${preview.url}#/today?asOf=${AS_OF}&band=red`);
  const views = page.getByRole('group', { name: 'Saved views' });
  const save = page.getByRole('dialog', { name: 'Save this view' });
  await views.getByRole('button', { name: 'Save view…' }).click();
  await save.getByLabel('Name').fill('Red accounts');
  await save.getByRole('button', { name: 'Save' }).click();
  await expect(views.getByLabel('View')).toHaveValue('Red accounts');

  await page.goto(`${preview.url}#/today?asOf=${AS_OF}&band=yellow`);
  await expect(views.getByLabel('View')).toHaveValue('');
  await views.getByRole('button', { name: 'Save view…' }).click();
  await save.getByLabel('Name').fill('Red accounts');
  await save.getByRole('button', { name: 'Save' }).click();
  // Asked, not replaced: the stored view still opens the red accounts.
  await expect(save.getByRole('alert')).toHaveText(
    'A view called “Red accounts” already exists. Replace it with this view?',
  );
  await save.getByRole('button', { name: 'Cancel' }).click();
  await views.getByLabel('View').selectOption('Red accounts');
  await expect(page).toHaveURL(/band=red/);

  // Said yes: the yellow filter replaces it.
  await page.goto(`${preview.url}#/today?asOf=${AS_OF}&band=yellow`);
  await views.getByRole('button', { name: 'Save view…' }).click();
  await save.getByLabel('Name').fill('Red accounts');
  await save.getByRole('button', { name: 'Save' }).click();
  await save.getByRole('button', { name: 'Replace' }).click();
  await expect(save).toBeHidden();
  await expect(views.getByLabel('View')).toHaveValue('Red accounts');
  await page.goto(`${preview.url}#/today?asOf=${AS_OF}&band=red`);
  await expect(views.getByLabel('View')).toHaveValue('');
  await views.getByLabel('View').selectOption('Red accounts');
  await expect(page).toHaveURL(/band=yellow/);
});
