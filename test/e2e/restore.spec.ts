/**
 * A restore replaces the whole book, so every open screen must show the restored data without a
 * reload: the app announces the change as 'all' and each screen's queries refetch. Three tabs stay
 * open on three screens while the restore is started from one of them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { runForesight, useDemoPreview } from './support/webPreview.ts';

const demo = useDemoPreview({ accounts: 30 });

/** Calls the preview's API the way the renderer does; throws on a failed call. */
async function call<T>(method: string, input: unknown = {}): Promise<T> {
  const preview = demo.preview();
  const response = await fetch(`${preview.origin}/api/${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Foresight-Token': preview.token },
    body: JSON.stringify(input),
  });
  const result = (await response.json()) as { ok: true; value: T } | { ok: false; error: { message: string } };
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
  return result.value;
}

async function open(page: Page, path: string): Promise<void> {
  await page.goto(`${demo.preview().url}#${path}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

test('after a restore, every open screen shows the restored data without a reload', async ({ browser }) => {
  // The backup holds the demo book as it is now.
  const backup = await call<{ backup: { id: string } }>('backups.create');
  expect(backup.backup.id).toBeTruthy();

  // Then the book changes: a template of the user's own, a new score configuration version, and
  // an import of one account (written by the CLI, so no screen is told).
  await call('outreach.templates.save', {
    name: 'Restore check',
    triggerId: null,
    channel: 'email',
    subject: 'Your workspace',
    body: 'Hi {{contact.first_name}}, your team can keep its reports running with one change.',
    acknowledgeWarnings: true,
  });
  const config = await call<{ version: number; config: Record<string, unknown> }>('risk.config.get');
  await call('risk.config.save', { config: config.config, note: 'after the backup' });
  await expect.poll(async () => (await call<{ scoring: boolean }>('risk.list', { limit: 1 })).scoring).toBe(false);
  const { dir, dbPath } = demo.db();
  const csv = join(dir, 'probe.csv');
  writeFileSync(
    csv,
    'account_id,name,owner_email,segment,plan,arr,currency,renewal_date,status\n' +
      'probe_1,Restore Probe Ltd,csm@example.com,SMB,Pro,1200,USD,2027-06-30,active\n',
  );
  runForesight(['import', csv, '--db', dbPath]);

  const context = await browser.newContext();
  const [settings, sync, accounts] = [await context.newPage(), await context.newPage(), await context.newPage()];
  await open(settings, '/settings');
  await open(sync, '/sync');
  await open(accounts, '/accounts');
  await accounts.getByRole('searchbox', { name: 'Search accounts' }).fill('Restore Probe');

  const myTemplates = settings.locator('optgroup[label="Your templates"] option');
  await expect(myTemplates).toHaveText([/^Restore check ·/]);
  await expect(settings.getByText(`version ${config.version + 1}`, { exact: true })).toBeVisible();
  const history = sync.getByRole('table', { name: 'Import and sync history' });
  await expect(history.getByText('probe.csv')).toBeVisible();
  await expect(accounts.getByRole('cell', { name: 'Restore Probe Ltd' })).toBeVisible();

  // Restore from Settings, as a user would; the other tabs only hear about it.
  const section = settings.getByRole('region', { name: 'Data safety' });
  await section
    .getByRole('button', { name: /^Restore the backup taken/ })
    .first()
    .click();
  const dialog = settings.getByRole('dialog', { name: 'Restore this backup?' });
  await dialog.getByRole('button', { name: 'Restore backup' }).click();
  await expect(section.getByRole('status')).toContainText('Restored the backup taken');

  await expect(myTemplates).toHaveCount(0);
  await expect(settings.getByText(`version ${config.version}`, { exact: true })).toBeVisible();
  await expect(history.getByText('probe.csv')).toHaveCount(0);
  await expect(sync.getByText('Nothing imported or synced yet.')).toBeVisible();
  await expect(accounts.getByRole('cell', { name: 'Restore Probe Ltd' })).toHaveCount(0);
  await context.close();
});
