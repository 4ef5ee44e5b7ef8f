/**
 * Account notes and the success plan against the real web preview: a goal is added, its status
 * changed and edited, and a note added, edited and deleted, all from the keyboard; the CLI sees
 * what the page wrote.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { focusableInsideHidden } from './support/a11y.ts';
import { SCREENSHOTS } from './support/screenshots.ts';
import { runForesight, startWebPreview, tempDbPath, type TempDb, type WebPreview } from './support/webPreview.ts';

let db: TempDb;
let preview: WebPreview;
let account: { account_id: string; name: string };

test.use({ viewport: { width: 1440, height: 1000 }, reducedMotion: 'reduce' });

test.beforeAll(async () => {
  db = tempDbPath();
  runForesight(['init', '--demo', '--accounts', '60', '--db', db.dbPath]);
  account = (JSON.parse(runForesight(['risks', '--top', '1', '--json', '--db', db.dbPath])) as (typeof account)[])[0]!;
  // One goal already done, so the plan shows open goals before closed ones.
  const done = JSON.parse(
    runForesight([
      'goal',
      'add',
      account.account_id,
      '--title',
      'Turn on single sign-on',
      '--due',
      '2026-01-15',
      '--json',
      '--db',
      db.dbPath,
    ]),
  ) as { goalId: number };
  runForesight(['goal', 'set', String(done.goalId), '--status', 'done', '--db', db.dbPath]);
  preview = await startWebPreview({ dbPath: db.dbPath });
});

test.afterAll(async () => {
  await preview?.stop();
  db?.remove();
});

test('adds, re-rates and edits a goal and keeps notes, from the keyboard', async ({ page }) => {
  await page.goto(`${preview.url}#/accounts/${account.account_id}`);
  const plan = page.getByRole('region', { name: 'Success plan' });
  await expect(plan).toContainText('Turn on single sign-on');

  // Add a goal: focus the button, Enter, type, Tab to the date, Enter submits.
  await plan.getByRole('button', { name: 'Add goal' }).focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: `Add a goal for ${account.name}` });
  await expect(dialog.getByLabel('Goal')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alert')).toHaveText('Name the goal, e.g. “Roll out to the support team”.');
  await page.keyboard.type('Roll out to the support team');
  await dialog.getByLabel('Target date').fill('2030-04-30');
  await dialog.getByLabel('How it is measured (optional)').fill('40 weekly active users');
  await dialog.getByLabel('How it is measured (optional)').press('Enter');
  await expect(dialog).toBeHidden();
  const rows = plan.getByRole('row');
  await expect(rows.nth(1)).toContainText('Roll out to the support team');
  await expect(rows.nth(1)).toContainText('Measured by: 40 weekly active users');
  // The closed goal comes after the open one.
  await expect(rows.nth(2)).toContainText('Turn on single sign-on');

  // Change the status in place.
  const status = plan.getByRole('combobox', { name: 'Status of “Roll out to the support team”' });
  await status.selectOption('at_risk');
  await expect(status).toHaveValue('at_risk');

  // Edit the title.
  await plan.getByRole('button', { name: 'Edit the goal “Roll out to the support team”' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit the goal' });
  await edit.getByLabel('Goal').fill('Roll out to support and sales');
  await edit.getByRole('button', { name: 'Save goal' }).click();
  await expect(edit).toBeHidden();
  await expect(plan).toContainText('Roll out to support and sales');

  // Notes: add one, edit it, add another, delete the first.
  const notes = page.getByRole('region', { name: 'Notes' });
  await notes.getByRole('button', { name: 'Add note' }).click();
  const noteDialog = page.getByRole('dialog', { name: `Add a note for ${account.name}` });
  await page.keyboard.type('Budget is decided in September');
  await page.keyboard.press('Control+Enter');
  await expect(noteDialog).toBeHidden();
  await expect(notes.getByRole('listitem')).toHaveCount(1);
  await notes.getByRole('button', { name: 'Edit the note “Budget is decided in September”' }).click();
  const noteEdit = page.getByRole('dialog', { name: 'Edit the note' });
  await noteEdit.getByLabel('Note').fill('Budget is decided in October');
  await noteEdit.getByRole('button', { name: 'Save note' }).click();
  await expect(notes.getByRole('listitem').first()).toContainText('Budget is decided in October');
  await expect(notes.getByRole('listitem').first()).toContainText('edited');
  await notes.getByRole('button', { name: 'Add note' }).click();
  await page.keyboard.type('Ana prefers email to calls');
  await page.getByRole('button', { name: 'Add note', exact: true }).last().click();
  await expect(notes.getByRole('listitem')).toHaveCount(2);
  await notes.getByRole('button', { name: 'Delete the note “Budget is decided in October”' }).click();
  await page.getByRole('dialog', { name: 'Delete this note?' }).getByRole('button', { name: 'Delete note' }).click();
  await expect(notes.getByRole('listitem')).toHaveCount(1);
  await expect(notes).toContainText('Ana prefers email to calls');

  expect(await focusableInsideHidden(page)).toEqual([]);
  await page.locator('.plan').screenshot({ path: join(SCREENSHOTS, 'account-success-plan.png') });

  // What the page wrote is what the CLI reads.
  const goals = JSON.parse(runForesight(['goals', account.account_id, '--json', '--db', db.dbPath])) as {
    goals: { title: string; status: string; dueOn: string }[];
  };
  expect(goals.goals.map((g) => [g.title, g.status, g.dueOn])).toEqual([
    ['Roll out to support and sales', 'at_risk', '2030-04-30'],
    ['Turn on single sign-on', 'done', '2026-01-15'],
  ]);
});

test('an unbroken string in a goal wraps inside its card instead of widening the page', async ({ page }) => {
  await page.goto(`${preview.url}#/accounts/${account.account_id}`);
  await page.getByRole('button', { name: 'Add goal' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Goal', { exact: true }).fill(`https://example.com/${'a'.repeat(170)}`);
  await dialog.getByRole('button', { name: 'Add goal' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('cell', { name: /^https:\/\/example\.com\/a+$/ })).toBeVisible();
  const widths = await page.evaluate(() => ({
    page: document.documentElement.scrollWidth,
    window: window.innerWidth,
  }));
  expect(widths.page).toBeLessThanOrEqual(widths.window);
});

test('a note over the cap is refused with a count and a sentence, never cut', async ({ page }) => {
  await page.goto(`${preview.url}#/accounts/${account.account_id}`);
  const notes = page.getByRole('region', { name: 'Notes' });
  const stored = () =>
    (JSON.parse(runForesight(['notes', account.account_id, '--json', '--db', db.dbPath])) as { notes: unknown[] }).notes
      .length;
  const before = stored();
  await notes.getByRole('button', { name: 'Add note' }).click();
  const dialog = page.getByRole('dialog', { name: `Add a note for ${account.name}` });
  // Pasted in full: no maxlength drops the end without a word.
  await dialog.getByLabel('Note').fill('x'.repeat(6_000));
  expect((await dialog.getByLabel('Note').inputValue()).length).toBe(6_000);
  await expect(dialog.getByText('6,000 / 5,000 characters')).toBeVisible();
  await dialog.getByRole('button', { name: 'Add note' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('The note is 6,000 characters; keep it to 5,000.');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  expect(stored()).toBe(before);
});
