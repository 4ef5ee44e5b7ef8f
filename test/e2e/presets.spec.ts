/**
 * Vendor exports on the Sync screen against the real web preview: a HubSpot companies export, a
 * Stripe payments export, a Zendesk tickets export and a Mixpanel event log dropped together show
 * the preset used per file, its column mapping, how rows were matched to accounts and what the
 * event log was rolled up into; the remembered matches are listed and one can be added by hand.
 * Screenshot: docs/screenshots/sync-presets.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { dismissToasts } from './support/toasts.ts';
import { makeEmptyDb, startWebPreview, type TempDb, type WebPreview } from './support/webPreview.ts';
import { SCREENSHOTS } from './support/screenshots.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'presets');

let db: TempDb;
let preview: WebPreview;

test.use({ viewport: { width: 1280, height: 900 } });

test.beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  db = makeEmptyDb();
  preview = await startWebPreview({ dbPath: db.dbPath });
});

test.afterAll(async () => {
  await preview?.stop();
  db?.remove();
});

test('four vendor exports show their presets, mappings, matches and roll-up, and a match can be added', async ({
  page,
}) => {
  await page.goto(`${preview.url}#/sync`);
  await page
    .getByLabel('Files to import')
    .setInputFiles(
      ['stripe-payments.csv', 'zendesk-tickets.csv', 'mixpanel-events.csv', 'hubspot-companies.csv'].map((f) =>
        join(FIXTURES, f),
      ),
    );
  const summary = page.getByRole('region', { name: 'Last import' });
  await expect(summary).toContainText('Preset: HubSpot companies export', { timeout: 30_000 });
  await expect(summary).toContainText('Preset: Stripe payments (charges) export');
  await expect(summary).toContainText('Preset: Zendesk tickets export');
  await expect(summary).toContainText('Preset: Mixpanel raw event export');
  await expect(summary).toContainText('23 by domain, 3 by name, 1 unmatched');
  await expect(summary).toContainText(/Rolled up 3,473 events into [\d,]+ daily rows \(active_users, usage, logins\)/);
  await summary.getByText('Column mapping').first().click();
  await expect(summary).toContainText('accounts.account_id ← Record ID');

  const matches = page.getByRole('table', { name: 'Account matches' });
  await expect(matches).toContainText('northwind.example');
  await page.getByLabel('Source system').fill('stripe');
  await page.getByLabel('Their key or domain').fill('cus_Q8zTtd0A1mKxZq');
  await page.getByLabel('Account id').fill('18234567005');
  await page.getByRole('button', { name: 'Save match' }).click();
  await expect(matches.getByRole('row', { name: /cus_Q8zTtd0A1mKxZq/ })).toContainText('set by hand');

  // Without the toasts in the way: the import summary, then the matches, as docs/sync.md shows them.
  await dismissToasts(page);
  await page.setViewportSize({ width: 1280, height: 2400 });
  await summary.screenshot({ path: join(SCREENSHOTS, 'sync-presets.png') });
  await page
    .getByRole('region', { name: 'Account matches' })
    .screenshot({ path: join(SCREENSHOTS, 'sync-aliases.png') });
});
