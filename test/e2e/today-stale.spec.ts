/**
 * Today never shows stale data as healthy: accounts whose feed stopped more than a week before the
 * day are listed in their own "stale data" group with the age of their data, not ranked, and the
 * header says how far the data goes ("data through 31 Mar").
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { runForesight, startWebPreview, tempDbPath, type TempDb, type WebPreview } from './support/webPreview.ts';
import { SCREENSHOTS } from './support/screenshots.ts';

const AS_OF = '2026-03-31';
const FEED_STOPPED = '2026-03-11';

let db: TempDb;
let preview: WebPreview;
let stopped: { account_id: string; name: string }[];
let empty: { account_id: string; name: string };

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });

test.beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  db = tempDbPath();
  runForesight(['init', '--demo', '--accounts', '120', '--as-of', AS_OF, '--db', db.dbPath]);
  // The feed of three active accounts stopped on FEED_STOPPED; the day is scored afresh.
  const sqlite = new Database(db.dbPath);
  stopped = sqlite
    .prepare<[], { account_id: string; name: string }>(
      "SELECT account_id, name FROM accounts WHERE status = 'active' ORDER BY arr DESC LIMIT 3",
    )
    .all();
  for (const { account_id } of stopped) {
    sqlite.prepare('DELETE FROM metrics WHERE account_id = ? AND date > ?').run(account_id, FEED_STOPPED);
    sqlite.prepare('DELETE FROM events WHERE account_id = ? AND occurred_at > ?').run(account_id, `${FEED_STOPPED}T23`);
  }
  // And one account has no data at all: it is listed beside them (QA saw it nowhere on Today).
  empty = sqlite
    .prepare<[], { account_id: string; name: string }>(
      "SELECT account_id, name FROM accounts WHERE status = 'active' ORDER BY arr DESC LIMIT 1 OFFSET 3",
    )
    .get()!;
  sqlite.prepare('DELETE FROM metrics WHERE account_id = ?').run(empty.account_id);
  sqlite.prepare('DELETE FROM events WHERE account_id = ?').run(empty.account_id);
  sqlite.prepare('DELETE FROM risk_runs').run();
  sqlite.close();
  runForesight(['risks', '--as-of', AS_OF, '--db', db.dbPath]);
  preview = await startWebPreview({ dbPath: db.dbPath });
});

test.afterAll(async () => {
  await preview?.stop();
  db?.remove();
});

test('lists stale accounts in their own group with the data age, and the header says how far the data goes', async ({
  page,
}) => {
  await page.goto(`${preview.url}#/today?asOf=${AS_OF}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Today' })).toBeVisible();
  const through = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${AS_OF}T00:00:00Z`),
  );
  await expect(page.getByText(`data through ${through}`, { exact: false }).first()).toBeVisible();

  const group = page.getByRole('region', { name: /Stale or no data: 4 accounts/ });
  await expect(group).toBeVisible();
  for (const account of stopped) {
    const item = group.getByRole('listitem').filter({ hasText: account.name });
    await expect(item).toContainText('(20 days old)');
  }
  await expect(group.getByRole('listitem').filter({ hasText: empty.name })).toContainText('no data');
  // Not ranked on old numbers: none of them is in the at-risk table.
  const table = page.getByRole('table', { name: 'At-risk accounts' });
  await expect(table.locator('tbody tr').first()).toBeVisible();
  for (const account of [...stopped, empty])
    await expect(table.getByText(account.name, { exact: true })).toHaveCount(0);
  await page.screenshot({ path: join(SCREENSHOTS, 'today-stale.png') });
});

test('a stale account opens on its page from the group, which says how old its data is', async ({ page }) => {
  await page.goto(`${preview.url}#/today?asOf=${AS_OF}`);
  const group = page.getByRole('region', { name: /Stale or no data/ });
  await group.getByRole('link', { name: stopped[0]!.name }).click();
  await expect(page.getByRole('heading', { level: 1, name: stopped[0]!.name })).toBeVisible();
  await expect(page.getByText('Stale data: 20 days old')).toBeVisible();
  await expect(page.getByText(/^Stale data: the newest data is from 2026-03-11 \(20 days ago\)/)).toBeVisible();
});
