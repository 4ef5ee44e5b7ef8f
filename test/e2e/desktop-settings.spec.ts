/**
 * Settings › Data safety and Preferences in the web preview (Chromium), against a real database:
 * Back up now, restore a listed backup, and saving preferences with validation.
 */
import { expect, test } from '@playwright/test';
import { makeDemoDb, startWebPreview, type TempDb, type WebPreview } from './support/webPreview.ts';

let db: TempDb;
let preview: WebPreview;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  db = makeDemoDb({ accounts: 30 });
  preview = await startWebPreview({ dbPath: db.dbPath });
});

test.afterAll(async () => {
  await preview?.stop();
  db?.remove();
});

test('Back up now adds a verified backup, and Restore… brings it back', async ({ page }) => {
  await page.goto(preview.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  const section = page.getByRole('region', { name: 'Data safety' });
  await expect(section.getByText('No backups yet.')).toBeVisible();
  await section.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByText('Backup complete', { exact: true })).toBeVisible();
  const table = section.getByRole('table', { name: 'Backups' });
  await expect(table.getByRole('row')).toHaveCount(2);
  await expect(table.getByRole('cell', { name: 'Manual' })).toBeVisible();
  // The web preview has no native file chooser.
  await expect(section.getByRole('button', { name: 'Restore from file…' })).toHaveCount(0);

  await table.getByRole('button', { name: /^Restore the backup taken/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Restore this backup?' });
  await expect(dialog).toContainText('kept as a "before a restore" backup');
  await dialog.getByRole('button', { name: 'Restore backup' }).click();
  await expect(dialog).toBeHidden();
  await expect(section.getByRole('status')).toContainText('Restored the backup taken');
  await expect(table.getByRole('cell', { name: 'Before a restore' })).toBeVisible();
});

test('preferences are validated and saved', async ({ page }) => {
  await page.goto(`${preview.url}#/settings`);
  const form = page.getByRole('form', { name: 'Preferences' });
  await form.getByLabel('Links may open in the browser for').fill('https://evil.example/path');
  await form.getByRole('button', { name: 'Save preferences' }).click();
  await expect(form.getByRole('alert')).toHaveText(
    'The allowed link host must be a host name such as app.hubspot.com.',
  );

  // The page cannot widen the list itself: in the web preview hosts come only from configuration.
  await form.getByLabel('Links may open in the browser for').fill('app.hubspot.com');
  await form.getByRole('button', { name: 'Save preferences' }).click();
  await expect(form.getByRole('alert')).toContainText('serve:web --allow-link-host');

  await form.getByLabel('Links may open in the browser for').fill('');
  await form.getByLabel('My email (account owner)').fill('csm@example.com');
  await form.getByLabel('Theme').selectOption('dark');
  await form.getByRole('button', { name: 'Save preferences' }).click();
  await expect(page.getByText('Preferences saved', { exact: true })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.getByRole('form', { name: 'Preferences' }).getByLabel('My email (account owner)')).toHaveValue(
    'csm@example.com',
  );
});
