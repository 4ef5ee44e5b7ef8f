/**
 * The app shell against the real web preview and a real demo database: navigation, live counts,
 * the demo banner, the Accounts list with server-side search, and clearing/reloading demo data.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { makeDemoDb, startWebPreview, type TempDb, type WebPreview } from './support/webPreview.ts';
import { SCREENSHOTS } from './support/screenshots.ts';

const NAV_LINKS = ['Today', 'Accounts', 'Renewals', 'Interventions', 'Outbox', 'Outcomes', 'Sync', 'Settings'];

let db: TempDb;
let preview: WebPreview;

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1280, height: 800 } });

test.beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  db = makeDemoDb();
  preview = await startWebPreview({ dbPath: db.dbPath });
});

test.afterAll(async () => {
  await preview?.stop();
  db?.remove();
});

/** The header's account count, e.g. "400 accounts". */
const accountCount = (page: Page) =>
  page.getByRole('list', { name: 'Database contents' }).getByRole('listitem').first();

async function openAccounts(page: Page) {
  await page.goto(preview.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
  await expect(page.getByRole('table', { name: 'Accounts' })).toBeVisible();
}

test('the shell shows navigation, real counts and the demo badge', async ({ page }) => {
  await page.goto(preview.url);

  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link')).toHaveText(NAV_LINKS);
  await expect(nav.getByRole('link', { name: 'Today' })).toHaveAttribute('aria-current', 'page');

  const header = page.getByRole('banner');
  await expect(accountCount(page)).toHaveText('400 accounts');
  await expect(header).toContainText('Last sync never');
  await expect(page.getByText('Demo data', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Clear demo data' })).toBeVisible();

  // Today opens on the ranked at-risk list (the risk engine's screen).
  await expect(page.getByRole('table', { name: 'At-risk accounts' })).toBeVisible();
  // The token is kept in memory and removed from the address bar.
  expect(page.url()).not.toContain('token=');

  await page.screenshot({ path: join(SCREENSHOTS, 'shell.png') });
});

test('every main link leads to its own screen', async ({ page }) => {
  await page.goto(preview.url);
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const label of NAV_LINKS) {
    await nav.getByRole('link', { name: label }).click();
    await expect(page.getByRole('heading', { level: 1, name: label })).toBeVisible();
    await expect(nav.getByRole('link', { name: label })).toHaveAttribute('aria-current', 'page');
    await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
  }
});

test('Accounts lists the whole book and searches it on the server', async ({ page }) => {
  await openAccounts(page);
  const main = page.getByRole('main');
  const table = page.getByRole('table', { name: 'Accounts' });
  // Active accounts by default, as Today and Renewals list them; the whole book on asking.
  await expect(main.getByRole('status')).toHaveText(/^\d+ active accounts$/);
  const active = await main.getByRole('status').textContent();
  await page.getByRole('group', { name: 'Filters' }).getByLabel('Status').selectOption('all');
  await expect(main.getByRole('status')).toHaveText('400 accounts');
  await expect(table.getByRole('columnheader')).toHaveText(
    ['Name', 'Health', 'Trend', 'P\\(churn\\)', 'ARR', 'Renewal', 'Last touch', 'Data age', 'Owner', 'Segment'].map(
      (h) => new RegExp(h),
    ),
  );
  // The server returns the largest ARR first, and the table says so.
  await expect(table.getByRole('columnheader', { name: /ARR/ })).toHaveAttribute('aria-sort', 'descending');

  const firstName = (await table.getByRole('row').nth(1).getByRole('link').textContent())?.trim() ?? '';
  expect(firstName).not.toBe('');
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(SCREENSHOTS, 'accounts.png') });

  await page.getByRole('searchbox', { name: 'Search accounts' }).fill(firstName);
  await expect(main.getByRole('status')).toContainText(`matching “${firstName}”`);
  const rows = table.getByRole('row');
  await expect(rows.nth(1)).toContainText(firstName);
  const shown = (await rows.count()) - 1;
  expect(shown).toBeGreaterThan(0);
  expect(shown).toBeLessThan(400);
  for (const name of await table.getByRole('link').allTextContents())
    expect(name.toLowerCase()).toContain(firstName.toLowerCase());

  await page.getByRole('searchbox', { name: 'Search accounts' }).fill('zz-no-such-account-zz');
  await expect(page.getByRole('heading', { name: 'No matching accounts' })).toBeVisible();
  await expect(main.getByRole('status')).toHaveText('0 accounts matching “zz-no-such-account-zz”');
  await page.getByRole('button', { name: 'Clear search and filters' }).click();
  await expect(main.getByRole('status')).toHaveText(active ?? '');
});

test('sorting by a column header reorders the book on the server', async ({ page }) => {
  await openAccounts(page);
  const table = page.getByRole('table', { name: 'Accounts' });
  await table.getByRole('button', { name: 'Name' }).click();
  await expect(table.getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'ascending');
  // The header shows the new order at once; the rows follow when the server's page arrives (the
  // previous page stays on screen meanwhile), so the check waits for them.
  const firstNames = async () =>
    (await table.getByRole('link').allTextContents()).slice(0, 10).map((name) => name.toLowerCase());
  await expect
    .poll(async () => {
      const lower = await firstNames();
      return lower.join('|') === [...lower].sort().join('|');
    })
    .toBe(true);
  const lower = await firstNames();
  expect(lower).toEqual([...lower].sort());
});

test('dark theme follows the system', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(preview.url);
  await expect(page.getByRole('banner')).toContainText('400 accounts');
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).toBe('rgb(17, 18, 22)');
  await page.screenshot({ path: join(SCREENSHOTS, 'shell-dark.png') });

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
  await expect(page.getByRole('main').getByRole('status')).toHaveText(/^\d+ active accounts$/);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(SCREENSHOTS, 'accounts-dark.png') });
  await context.close();
});

// Last: it changes the database the other tests read.
test('demo data can be cleared after confirming, and loaded again', async ({ page }) => {
  await page.goto(preview.url);
  await page.getByRole('button', { name: 'Clear demo data' }).click();
  const dialog = page.getByRole('dialog', { name: 'Clear demo data?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('banner')).toContainText('400 accounts');

  await page.getByRole('button', { name: 'Clear demo data' }).click();
  await dialog.getByRole('button', { name: 'Clear demo data' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Demo data', { exact: true })).toBeHidden();
  await expect(accountCount(page)).toHaveText('0 accounts');
  await expect(page.getByRole('heading', { name: 'Your book is empty' })).toBeVisible();

  await page.getByRole('button', { name: 'Load demo data' }).click();
  await expect(accountCount(page)).toHaveText('400 accounts', { timeout: 45_000 });
  await expect(page.getByText('Demo data', { exact: true })).toBeVisible();
  await expect(page.getByRole('table', { name: 'At-risk accounts' })).toBeVisible();
});

test.describe('a book larger than one page', () => {
  let bigDb: TempDb;
  let bigPreview: WebPreview;

  test.beforeAll(async () => {
    // Generating and scoring 1,200 demo accounts takes several seconds, more on a busy machine.
    test.setTimeout(180_000);
    bigDb = makeDemoDb({ accounts: 1200 });
    bigPreview = await startWebPreview({ dbPath: bigDb.dbPath });
  });

  test.afterAll(async () => {
    await bigPreview?.stop();
    bigDb?.remove();
  });

  test('renders only the visible rows and loads more as the table scrolls', async ({ page }) => {
    await page.goto(bigPreview.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
    const main = page.getByRole('main');
    const table = page.getByRole('table', { name: 'Accounts' });
    await page.getByRole('group', { name: 'Filters' }).getByLabel('Status').selectOption('all');
    await expect(main.getByRole('status')).toHaveText('1,200 accounts');
    await expect(table).toHaveAttribute('aria-rowcount', '1201');
    // Virtualised: a few dozen rows in the DOM, not 500.
    expect(await table.locator('tbody tr:not([aria-hidden])').count()).toBeLessThan(100);
    // Sorted on the server, so the headers sort the whole book even while it is partly loaded.
    await expect(table.getByRole('button', { name: 'Name' })).toBeVisible();

    const scroller = page.getByRole('region', { name: 'Accounts' });
    await expect(async () => {
      await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
      await expect(main.getByText('Loading more accounts…')).toBeHidden({ timeout: 500 });
    }).toPass({ timeout: 20_000 });
    await expect(table.getByRole('button', { name: 'Name' })).toBeVisible();
    // Appending the last page left the viewport mid-list; the final row renders once scrolled to.
    await scroller.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect(table.locator('tbody tr[aria-rowindex]').last()).toHaveAttribute('aria-rowindex', '1201');
  });
});
