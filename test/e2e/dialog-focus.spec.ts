/**
 * Every dialog gives keyboard focus back to what opened it, on Escape and on submit. QA: a dialog
 * whose first field has autoFocus (Save view, Log activity, Add note, Add goal, Snooze, Today's `l`)
 * left focus on <body> when it closed, because the opener was recorded after that field took focus.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { runForesight, startWebPreview, tempDbPath, type TempDb, type WebPreview } from './support/webPreview.ts';

let db: TempDb;
let preview: WebPreview;
let accountId: string;

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1440, height: 1000 }, reducedMotion: 'reduce' });

test.beforeAll(async () => {
  db = tempDbPath();
  // Today's book (the account page shows the open items of today's scoring).
  runForesight(['init', '--demo', '--accounts', '60', '--db', db.dbPath]);
  const top = JSON.parse(runForesight(['risks', '--top', '1', '--json', '--db', db.dbPath])) as {
    account_id: string;
  }[];
  accountId = top[0]!.account_id;
  preview = await startWebPreview({ dbPath: db.dbPath });
});

test.afterAll(async () => {
  await preview?.stop();
  db?.remove();
});

const focusedIs = (page: Page, target: Locator) =>
  expect.poll(() => target.evaluate((el) => el === document.activeElement)).toBe(true);

/** Focuses the opener, opens its dialog with Enter, closes it with `close`, and checks focus came back. */
async function roundTrip(page: Page, opener: Locator, dialogName: RegExp, close: (dialog: Locator) => Promise<void>) {
  await opener.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: dialogName });
  await expect(dialog).toBeVisible();
  // The first field has taken focus inside the dialog.
  await expect.poll(() => dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await close(dialog);
  await expect(dialog).toBeHidden();
  await focusedIs(page, opener);
}

const escape = (page: Page) => async () => page.keyboard.press('Escape');

test('Save view gives focus back to its button, after Escape and after saving', async ({ page }) => {
  await page.goto(`${preview.url}#/accounts`);
  const save = page.getByRole('button', { name: 'Save view…' });
  await roundTrip(page, save, /Save this view/, escape(page));
  await roundTrip(page, save, /Save this view/, async () => {
    await page.keyboard.type('Big accounts');
    await page.keyboard.press('Enter');
  });
});

test('the account page dialogs give focus back to their buttons', async ({ page }) => {
  await page.goto(`${preview.url}#/accounts/${accountId}`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const log = page.getByRole('button', { name: 'Log activity' });
  await roundTrip(page, log, /Log an activity/, escape(page));
  await roundTrip(page, log, /Log an activity/, async () => {
    await page.keyboard.type('Quick call about the renewal');
    await page.keyboard.press('Enter');
  });
  await roundTrip(page, page.getByRole('button', { name: 'Add note' }), /Add a note/, escape(page));
  await roundTrip(page, page.getByRole('button', { name: 'Add goal' }), /Add a goal/, escape(page));
  await roundTrip(page, page.getByRole('button', { name: /^Snooze / }).first(), /Snooze/, escape(page));
});

test("Today's l (log activity) gives focus back to the cursor's row", async ({ page }) => {
  await page.goto(`${preview.url}#/today`);
  const list = page.getByRole('table', { name: 'At-risk accounts' });
  await expect(list.locator('tbody tr').nth(3)).toBeVisible();
  for (let i = 0; i < 3; i++) await page.keyboard.press('j');
  const row = list.locator('tbody tr[aria-current="true"]');
  await focusedIs(page, row);
  await page.keyboard.press('l');
  const dialog = page.getByRole('dialog', { name: /Log an activity/ });
  await expect(dialog).toBeVisible();
  await page.keyboard.type('Left a voicemail');
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await focusedIs(page, row);
});
