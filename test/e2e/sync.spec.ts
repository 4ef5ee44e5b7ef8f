/**
 * The Sync screen against the real web preview: import the messy CRM export through the file
 * input, watch the progress finish, read the rejected rows with their reasons in the quarantine,
 * export them, add a feed source and sync it. Screenshots for docs/screenshots/sync*.png.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { dismissToasts } from './support/toasts.ts';
import { makeEmptyDb, startWebPreview, type TempDb, type WebPreview } from './support/webPreview.ts';
import { SCREENSHOTS } from './support/screenshots.ts';

const CRM = join(import.meta.dirname, '..', 'fixtures', 'sync', 'crm-export.csv');
const TOKEN = 'e2e-feed-token-31c';

let db: TempDb;
let preview: WebPreview;
let feed: FeedServer;

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1280, height: 900 } });

test.beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  feed = await startFeedServer({
    token: TOKEN,
    pageSize: 2,
    data: {
      accounts: [{ account_id: 'MIRA-501', name: 'Mira Health', arr: 56000, renewal_date: '2026-09-01' }],
      metrics: [1, 2, 3].map((day) => ({
        account_id: 'ACME-001',
        date: `2026-02-0${day}`,
        metric: 'active_users',
        value: 300 + day,
      })),
    },
  });
  // The web preview reads feed tokens from environment variables (it has no encrypted store).
  process.env.FORESIGHT_FEED_TOKEN_SYNC_E2E = TOKEN;
  // A variable is bound to the address it was first saved with: a second feed server needs its own.
  process.env.FORESIGHT_FEED_TOKEN_SYNC_E2E_BAD = TOKEN;
  db = makeEmptyDb();
  preview = await startWebPreview({ dbPath: db.dbPath });
});

test.afterAll(async () => {
  await preview?.stop();
  await feed?.close();
  db?.remove();
  delete process.env.FORESIGHT_FEED_TOKEN_SYNC_E2E;
  delete process.env.FORESIGHT_FEED_TOKEN_SYNC_E2E_BAD;
});

/** The whole screen, without toasts or finished progress bars in the way. */
async function screenshot(page: Page, name: string) {
  await page.setViewportSize({ width: 1280, height: 1500 });
  await dismissToasts(page);
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 10_000 });
  await page.screenshot({ path: join(SCREENSHOTS, name) });
}

/** Adds a feed source through the Sync screen's dialog, its token from the test's variable. */
async function addSource(page: Page, name: string, url: string, tokenEnv = 'FORESIGHT_FEED_TOKEN_SYNC_E2E') {
  await page.goto(`${preview.url}#/sync`);
  await page.getByRole('button', { name: 'Add source' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a feed source' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByLabel('Feed URL').fill(url);
  await dialog.getByLabel('Token variable').fill(tokenEnv);
  await dialog.getByRole('button', { name: 'Add source' }).click();
  await expect(dialog).toBeHidden();
}

test('import a messy export through the screen, see progress finish and the rejected rows with reasons', async ({
  page,
}) => {
  await page.goto(`${preview.url}#/sync`);
  await expect(page.getByRole('heading', { name: 'Sync', level: 1 })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'No data has been synced or imported yet.' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sync now' })).toBeDisabled();

  await page.getByLabel('Files to import').setInputFiles(CRM);

  // The job's progress bar runs to the end.
  await expect(page.getByRole('progressbar', { name: 'Importing crm-export.csv: done' })).toHaveAttribute(
    'aria-valuenow',
    '12',
    { timeout: 15_000 },
  );
  const summary = page.getByRole('region', { name: 'Last import' });
  await expect(summary).toContainText('crm-export.csv', { timeout: 15_000 });
  await expect(summary).toContainText('12 rows · 9 new or changed · 0 unchanged · 3 rejected');
  await expect(summary.getByRole('list', { name: 'Rejected rows' })).toContainText(
    "line 6, renewal_date: '31/02/2026' is not a date",
  );

  const quarantine = page.getByRole('table', { name: 'Rejected rows' });
  await expect(quarantine.getByRole('row')).toHaveCount(4);
  await expect(quarantine.getByRole('row', { name: /renewal_date/ })).toContainText(
    "'31/02/2026' is not a date (expected YYYY-MM-DD)",
  );
  // The row names the record it rejected.
  await expect(quarantine.getByRole('row', { name: /renewal_date/ })).toContainText('DELT-031');
  await expect(quarantine.getByRole('row', { name: /\barr\b/ })).toContainText("'n/a' is not a number");
  await expect(quarantine.getByRole('row', { name: /owner_email/ })).toContainText(
    "'lee.park@' is not an email address",
  );
  await expect(page.getByRole('group', { name: 'Quarantined rows' })).toContainText('3');

  const history = page.getByRole('table', { name: 'Import and sync history' });
  await expect(history.getByRole('row').nth(1)).toContainText('crm-export.csv');
  await expect(history.getByRole('row').nth(1)).toContainText('Some rejected');
  await expect(page.getByRole('status').filter({ hasText: 'Last successful sync' })).toContainText(
    'data is up to date',
  );

  // Searching narrows the quarantine.
  await page.getByRole('searchbox', { name: 'Search rejected rows' }).fill('n/a');
  await expect(quarantine.getByRole('row')).toHaveCount(2);
  await page.getByRole('searchbox', { name: 'Search rejected rows' }).fill('');

  // The rejected rows can be exported for fixing.
  const downloadPromise = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export rejected rows (CSV)' }).click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/^foresight-quarantine-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8')
    .trim()
    .split('\n');
  expect(csv[0]).toMatch(/^\uFEFF?quarantine_id,kind,file,line,field,reason,account_id,name,/);
  expect(csv).toHaveLength(4);
});

test('a file that is not text is refused in one sentence, said once', async ({ page }) => {
  await page.goto(`${preview.url}#/sync`);
  await page
    .getByLabel('Files to import')
    .setInputFiles({ name: 'photo.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,\u00002\n') });
  const summary = page.getByRole('region', { name: 'Last import' });
  await expect(summary).toContainText('Not imported', { timeout: 15_000 });
  const sentence =
    'photo.csv is not a text file (it contains NUL bytes, like an image, a zip or an .xlsx workbook); save the data as CSV, JSON or NDJSON and import that.';
  await expect(summary.getByText(sentence, { exact: true })).toHaveCount(1);
  await expect(summary.getByRole('list', { name: 'Rejected rows' })).toHaveCount(0);
});

test('add a feed source and sync it now', async ({ page }) => {
  await addSource(page, 'warehouse', feed.url);

  const sources = page.getByRole('list', { name: 'Feed sources' });
  await expect(sources).toContainText('Not synced yet');
  // Not synced yet: neither "reachable" nor "up to date" (the data so far came from a file).
  const freshness = page.getByRole('region', { name: 'Data freshness' });
  await expect(freshness).toContainText('1 not synced yet');
  await expect(freshness).toContainText('warehouse has not been synced yet');
  await expect(freshness).not.toContainText('up to date');
  await page.getByRole('button', { name: 'Sync now', exact: true }).click();
  await expect(sources).toContainText('Online', { timeout: 15_000 });
  await expect(sources).toContainText('data is up to date');
  await expect(sources).toContainText('Token: env:FORESIGHT_FEED_TOKEN_SYNC_E2E');
  await expect(page.getByRole('table', { name: 'Import and sync history' }).getByRole('row').nth(1)).toContainText(
    'warehouse',
  );
  expect(feed.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
  await expect(page.getByText(TOKEN)).toHaveCount(0);

  await screenshot(page, 'sync.png');
});

test('dark theme', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${preview.url}#/sync`);
  await expect(page.getByRole('table', { name: 'Rejected rows' }).getByRole('row')).toHaveCount(4);
  await screenshot(page, 'sync-dark.png');
  await context.close();
});

test('an import that brings usage says what it did to the ranked list, and stale data is not called healthy', async ({
  page,
}) => {
  await page.goto(`${preview.url}#/sync`);
  await page.getByLabel('Files to import').setInputFiles(join(CRM, '..', 'crm-usage.csv'));
  const summary = page.getByRole('region', { name: 'Last import' });
  await expect(summary).toContainText('crm-usage.csv', { timeout: 15_000 });
  // The usage ends in February 2026, months before the preview's today: the accounts it covers are
  // stale, and none is at risk or healthy. (The feed's sync above scored the day already, so only
  // the accounts whose data changed are rescored.)
  await expect(summary).toContainText(
    /Rescored the 5 active accounts whose data changed, as of .+ 2026: 0 at risk, 5 with stale data\./,
  );
  await expect(summary.getByRole('link', { name: 'Open Today' })).toHaveCount(0);
});

test('discarding with a kind filter discards only the rows shown, and the dialog says which', async ({ page }) => {
  await page.goto(`${preview.url}#/sync`);
  await page.getByLabel('Files to import').setInputFiles({
    name: 'contacts.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('contact_id,account_id,name\nc1,NOPE-1,Ana\n'),
  });
  await expect(page.getByRole('region', { name: 'Last import' })).toContainText('contacts.csv', { timeout: 15_000 });
  const quarantine = page.getByRole('table', { name: 'Rejected rows' });
  const others = await quarantine.getByRole('row').count();
  expect(others).toBeGreaterThan(2);

  await page.getByRole('combobox', { name: /^Kind/ }).selectOption('contacts');
  await expect(quarantine.getByRole('row')).toHaveCount(2);
  await page.getByRole('button', { name: 'Discard shown' }).click();
  const dialog = page.getByRole('alertdialog').or(page.getByRole('dialog'));
  await expect(dialog).toContainText('Discard 1 rejected contacts row?');
  await dialog.getByRole('button', { name: 'Discard 1 row' }).click();
  await expect(page.getByText('No rejected rows match.')).toBeVisible();

  await page.getByRole('combobox', { name: /^Kind/ }).selectOption('');
  await expect(quarantine.getByRole('row')).toHaveCount(others - 1);
});

test('a feed that answers with bad JSON is a failed sync, not an unreachable one, and said once', async ({ page }) => {
  const bad = await startFeedServer({ token: TOKEN, data: { accounts: [] } });
  try {
    for (const kind of ['accounts', 'contacts', 'metrics', 'events'] as const)
      bad.faults.push({ kind, body: '{not json', times: 10 });
    await addSource(page, 'wh', bad.url, 'FORESIGHT_FEED_TOKEN_SYNC_E2E_BAD');
    await page.getByRole('button', { name: 'Sync wh now' }).click();
    const toast = page
      .getByRole('region', { name: /Notifications/ })
      .getByRole('listitem')
      .filter({ hasText: 'wh: sync failed' });
    await expect(toast).toContainText('4 rows went to the quarantine.', { timeout: 30_000 });
    await expect(toast).not.toContainText('unchanged');
    const freshness = page.getByRole('region', { name: 'Data freshness' });
    await expect(freshness).toContainText('1 last sync failed');
    await expect(freshness).not.toContainText('not reachable');
    await expect(freshness).toContainText('wh answered, but its last sync failed');
    const card = page.getByRole('list', { name: 'Feed sources' }).getByRole('listitem').filter({ hasText: bad.url });
    await expect(card).toContainText('Sync failed');
    await expect(card.getByText(/malformed JSON for accounts, contacts, metrics and events:/)).toHaveCount(1);
    await expect(card.getByText(/malformed JSON/)).not.toContainText('; the feed sent');
  } finally {
    await bad.close();
  }
});
