/**
 * Today against the real web preview and a scored demo book as of a fixed day: the ranked,
 * virtualised "At-risk accounts" table, its totals, filters, search and sorting, and keyboard
 * triage (j/k, Enter, s, x, ?).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { runForesight, startWebPreview, tempDbPath, type TempDb, type WebPreview } from './support/webPreview.ts';
import { SCREENSHOTS } from './support/screenshots.ts';

const AS_OF = '2026-03-31';

let db: TempDb;
let preview: WebPreview;
let top: { account_id: string; name: string; triggers: { id: string }[] }[];

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });

test.beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  db = tempDbPath();
  runForesight(['init', '--demo', '--accounts', '200', '--as-of', AS_OF, '--db', db.dbPath]);
  top = JSON.parse(runForesight(['risks', '--as-of', AS_OF, '--top', '10', '--json', '--db', db.dbPath])) as typeof top;
  preview = await startWebPreview({ dbPath: db.dbPath });
});

test.afterAll(async () => {
  await preview?.stop();
  db?.remove();
});

const table = (page: Page) => page.getByRole('table', { name: 'At-risk accounts' });
const rows = (page: Page) => table(page).locator('tbody tr:not(.data-table__spacer)');
const activeRow = (page: Page) => table(page).locator('tbody tr[aria-current="true"]');

async function openToday(page: Page) {
  await page.goto(`${preview.url}#/today?asOf=${AS_OF}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Today' })).toBeVisible();
  await expect(rows(page).first()).toContainText(top[0]!.name);
}

test('ranks the at-risk accounts with totals and a reason on every row', async ({ page }) => {
  await openToday(page);
  await expect(page.getByRole('group', { name: 'Accounts at risk' })).toContainText(/\d+ accounts/);
  await expect(page.getByRole('group', { name: 'Expected ARR at risk' })).toContainText('$');
  const names = await rows(page).locator('td:nth-child(2) a').allTextContents();
  expect(names.slice(0, 5)).toEqual(top.slice(0, 5).map((r) => r.name));
  // Each row answers "why?": a reason and the band, in words.
  const first = rows(page).first();
  await expect(
    first.getByText(/Renewal at risk|Usage|Seat|Champion|Support|Payment|Silent|Detractor/).first(),
  ).toBeVisible();
  await expect(first.getByText(/Red|Yellow|Green/)).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOTS, 'today.png') });
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  await page.screenshot({ path: join(SCREENSHOTS, 'today-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
});

test('truncated Owner, Last touch and Triggers cells can be read in full', async ({ page }) => {
  await openToday(page);
  const headers = await table(page).locator('thead th').allInnerTexts();
  const column = (name: string) => headers.findIndex((h) => h.trim().startsWith(name)) + 1;
  const cells = await rows(page).evaluateAll(
    (trs, at) =>
      trs.map((tr) =>
        Object.fromEntries(
          Object.entries(at).map(([name, index]) => {
            const td = tr.querySelector(`td:nth-child(${index})`)!;
            // A hover title, or (Owner) a focusable cell text whose name carries the whole text.
            const titles = [td, ...td.querySelectorAll('[title], .cell-text')]
              .map((el) => el.getAttribute('title') ?? el.getAttribute('aria-label') ?? '')
              .join('\n');
            const chips = [...td.querySelectorAll('.chip')].map((el) => el.textContent ?? '');
            const list = td.querySelector('.today__triggers')?.getAttribute('title') ?? '';
            return [
              name,
              { text: (td as HTMLElement).innerText.trim(), spoken: td.textContent ?? '', titles, chips, list },
            ];
          }),
        ),
      ),
    { owner: column('Owner'), lastTouch: column('Last touch'), triggers: column('Triggers') },
  );
  expect(cells.length).toBeGreaterThan(5);
  for (const row of cells) {
    // Hovering shows the whole text of the cell, not only a part of it.
    for (const name of ['owner', 'lastTouch'] as const) {
      const { text, titles } = row[name]!;
      if (text !== '—' && text !== 'None') expect(titles, `${name} cell "${text}"`).toContain(text);
    }
    const { chips, titles, spoken, list } = row.triggers!;
    for (const chip of chips) expect(titles).toContain(chip.replace(' (snoozed)', ''));
    // A screen reader hears every trigger's name, including those behind "+N".
    // (A control-group trigger's line adds " (control group: …)"; its chip says "Control".)
    const labels = list.split('\n').map((line) => line.split(/:| \(snoozed| \(control group/)[0]!.trim());
    for (const label of labels.filter(Boolean)) expect(spoken, `Triggers cell "${spoken}"`).toContain(label);
  }
});

test('at 1440 px every column fits: no cell cut at its edge, no sideways scroll', async ({ page }) => {
  // QA: the Triggers and Last touch columns were clipped mid-word ("Detrac", "8 weeks ag").
  await openToday(page);
  const layout = await table(page).evaluate((t) => {
    const region = t.closest('.data-table') as HTMLElement;
    const cut = [...t.querySelectorAll('tbody tr:not(.data-table__spacer) td')]
      .filter((td) => td.scrollWidth > td.clientWidth + 1)
      .map((td) => (td as HTMLElement).innerText.replace(/\s+/g, ' ').slice(0, 40));
    return { sideways: region.scrollWidth - region.clientWidth, cut };
  });
  expect(layout).toEqual({ sideways: 0, cut: [] });
});

test('at 900 px the toolbar wraps: every control is whole and on screen', async ({ page }) => {
  // QA: "Tasks due toda…" was cut off and "Keyboard shortcuts" was off-screen at 900 px.
  await page.setViewportSize({ width: 900, height: 800 });
  await openToday(page);
  const viewport = page.viewportSize()!;
  const controls = page.locator('.page-header__actions').locator('button, input, select, a');
  const count = await controls.count();
  expect(count).toBeGreaterThanOrEqual(4);
  for (let i = 0; i < count; i++) {
    const control = controls.nth(i);
    if (!(await control.isVisible())) continue;
    const box = (await control.boundingBox())!;
    const name = (await control.getAttribute('aria-label')) ?? (await control.textContent());
    expect(box.x, `${name} starts on screen`).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `${name} ends on screen`).toBeLessThanOrEqual(viewport.width);
    // Whole: its text is not cut by its own box either.
    expect(await control.evaluate((el) => el.scrollWidth <= el.clientWidth + 1), `${name} is not cut`).toBe(true);
  }
  await expect(page.getByRole('button', { name: /Tasks due today/ })).toBeInViewport({ ratio: 1 });
  await expect(page.getByRole('button', { name: 'Keyboard shortcuts' })).toBeInViewport({ ratio: 1 });
  await page.screenshot({ path: join(SCREENSHOTS, 'today-900.png') });
});

test('filters by band and searches by name on the server', async ({ page }) => {
  await openToday(page);
  // The top of the list is red (the planted renewals), so filtering to green visibly changes it.
  await page.getByRole('combobox', { name: 'Band' }).selectOption('green');
  await expect(rows(page).first()).toContainText('Green');
  const bands = await rows(page).locator('td:nth-child(4)').allTextContents();
  expect(bands.every((b) => b.includes('Green'))).toBe(true);
  await page.getByRole('combobox', { name: 'Band' }).selectOption('');

  const name = top[3]!.name;
  await page.getByRole('searchbox', { name: 'Search accounts' }).fill(name);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText(name);
  // Rank stays the position in the whole list.
  await expect(rows(page).first().locator('td').first()).toHaveText('4');
  await page.getByRole('searchbox', { name: 'Search accounts' }).fill('');

  await page.getByRole('combobox', { name: 'Trigger' }).selectOption('payment_failing');
  await expect(rows(page).first()).toContainText('Payment failing');
});

test('a name typed quickly asks the server at once for the first key and once more for the rest', async ({ page }) => {
  await openToday(page);
  const searches: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/risk.list'))
      searches.push((JSON.parse(request.postData() ?? '{}') as { search?: string }).search ?? '');
  });
  const name = top[2]!.name;
  await page.getByRole('searchbox', { name: 'Search accounts' }).pressSequentially(name, { delay: 0 });
  await expect.poll(() => searches.at(-1)).toBe(name.trim());
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText(name);
  // The first key after a pause is not held back; the keys typed right after it make one request.
  expect(searches[0]).toBe(name[0]);
  expect(searches.length).toBeLessThan(name.length);
  await page.getByRole('searchbox', { name: 'Search accounts' }).fill('');
});

test('sorts on the server by a column header', async ({ page }) => {
  await openToday(page);
  await table(page)
    .getByRole('button', { name: /^Score/ })
    .click();
  await expect(table(page).getByRole('columnheader', { name: /Score/ })).toHaveAttribute('aria-sort', 'ascending');
  // The header flips at once; the server-sorted page replaces the previous rows when it arrives.
  const firstScores = async () =>
    (await rows(page).locator('td:nth-child(4)').allTextContents()).slice(0, 10).map((t) => Number.parseInt(t, 10));
  await expect
    .poll(async () => {
      const scores = await firstScores();
      return scores.every((score, i) => i === 0 || scores[i - 1]! <= score);
    })
    .toBe(true);
  const scores = await firstScores();
  expect(scores).toEqual([...scores].sort((a, b) => a - b));
});

test('keyboard triage: j/k move, ? lists the keys, s snoozes, x dismisses, Enter opens', async ({ page }) => {
  await openToday(page);
  await expect(activeRow(page)).toContainText(top[0]!.name);
  await page.keyboard.press('j');
  await expect(activeRow(page)).toContainText(top[1]!.name);
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  await expect(activeRow(page)).toContainText(top[1]!.name);

  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toBeVisible();
  await expect(help.getByRole('row', { name: /Snooze/ })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  // s: snooze every open item of the second account, with a reason and a date.
  await page.keyboard.press('s');
  const snooze = page.getByRole('dialog', { name: `Snooze ${top[1]!.name}` });
  await expect(snooze).toBeVisible();
  await snooze.getByRole('textbox', { name: 'Reason' }).fill('Waiting for their budget review');
  await snooze.getByRole('button', { name: 'Snooze' }).click();
  await expect(snooze).toBeHidden();
  await expect(page.getByText(`Snoozed`).first()).toBeVisible();
  // Every open item snoozed: the account is hidden from Today until the date, as the dialog says.
  await expect(rows(page).filter({ hasText: top[1]!.name })).toHaveCount(0);

  // x: dismiss the open items of the first account.
  await page.keyboard.press('k');
  await expect(activeRow(page)).toContainText(top[0]!.name);
  await page.keyboard.press('x');
  const dismiss = page.getByRole('dialog', { name: `Dismiss for ${top[0]!.name}` });
  await expect(dismiss).toBeVisible();
  await dismiss.getByRole('textbox', { name: 'Reason (optional)' }).fill('Handled by the account executive');
  await dismiss.getByRole('button', { name: 'Dismiss' }).click();
  await expect(dismiss).toBeHidden();
  await expect(page.getByText(`Dismissed`).first()).toBeVisible();

  // Enter: open the account under the cursor.
  await page.keyboard.press('j');
  const target = (await activeRow(page).locator('td:nth-child(2) a').textContent()) ?? '';
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: target })).toBeVisible();
  expect(page.url()).toContain(`asOf=${AS_OF}`);
});

test('a re-run of the scoring keeps snoozed items snoozed and adds no duplicates', async ({ page }) => {
  const read = () =>
    JSON.parse(runForesight(['account', top[1]!.account_id, '--as-of', AS_OF, '--json', '--db', db.dbPath])) as {
      items: { itemId: number; snoozed: boolean; status: string }[];
    };
  const before = read().items;
  expect(before.filter((i) => i.status === 'open').every((i) => i.snoozed)).toBe(true);
  // What a sync does afterwards: the same day scored again, through the app's API.
  const response = await page.request.post(`${preview.origin}/api/risk.rescore`, {
    headers: { 'X-Foresight-Token': preview.token },
    data: { asOf: AS_OF },
  });
  expect(response.ok()).toBe(true);
  expect(await response.json()).toMatchObject({ ok: true, value: { asOf: AS_OF } });
  const after = read().items;
  expect(after.map((i) => [i.itemId, i.status, i.snoozed])).toEqual(before.map((i) => [i.itemId, i.status, i.snoozed]));
  // Re-scored, the snoozed account and the dismissed one stay off Today; the next account leads.
  await page.goto(`${preview.url}#/today?asOf=${AS_OF}`);
  await expect(rows(page).first()).toContainText(top[2]!.name);
  await expect(rows(page).filter({ hasText: top[1]!.name })).toHaveCount(0);
  await expect(rows(page).filter({ hasText: top[0]!.name })).toHaveCount(0);
});

test('after a snooze the cursor moves to the next row; dialogs and the composer give focus back to the row', async ({
  page,
}) => {
  // QA: snoozing row 4 jumped the cursor to row 1 with the URL still naming the snoozed account;
  // Escape from the composer and closing the snooze dialog left focus on <body>; "Say why…" stayed
  // after a reason was typed; a snooze until 9999-12-31 was accepted. (Earlier tests took the first
  // two accounts off the list.)
  await page.goto(`${preview.url}#/today?asOf=${AS_OF}`);
  await expect(rows(page).nth(5)).toBeVisible();
  const names = await rows(page).locator('td:nth-child(2) a').allTextContents();
  for (let i = 0; i < 3; i++) await page.keyboard.press('j');
  await expect(activeRow(page)).toContainText(names[3]!);
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-current'))).toBe('true');

  // d, then Escape: focus is back on the row, not on <body>.
  await page.keyboard.press('d');
  const composer = page.getByRole('dialog', { name: /Draft outreach/ });
  await expect(composer).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(composer).toBeHidden();
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-current'))).toBe('true');

  await page.keyboard.press('s');
  const snooze = page.getByRole('dialog', { name: `Snooze ${names[3]}` });
  await expect(snooze).toBeVisible();
  await snooze.getByRole('button', { name: 'Snooze' }).click();
  await expect(snooze.getByText(/^Say why/)).toBeVisible();
  await snooze.getByRole('textbox', { name: 'Reason' }).fill('Waiting for their budget review');
  await expect(snooze.getByText(/^Say why/)).toBeHidden();
  await snooze.getByLabel('Snooze until').fill('9999-12-31');
  await snooze.getByRole('button', { name: 'Snooze' }).click();
  await expect(snooze.getByText(/^Snooze for at most 90 days/)).toBeVisible();

  // Cancelled: focus back on the row.
  await snooze.getByRole('button', { name: 'Cancel' }).click();
  await expect(snooze).toBeHidden();
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-current'))).toBe('true');

  // Snoozed: the cursor and the URL move to the next account, which holds focus.
  await page.keyboard.press('s');
  await snooze.getByRole('textbox', { name: 'Reason' }).fill('Waiting for their budget review');
  await snooze.getByRole('button', { name: 'Snooze' }).click();
  await expect(snooze).toBeHidden();
  await expect(rows(page).filter({ hasText: names[3]! })).toHaveCount(0);
  await expect(activeRow(page)).toContainText(names[4]!);
  const next = await activeRow(page).locator('td:nth-child(2) a').getAttribute('href');
  expect(page.url()).not.toContain(`at=${top.find((t) => t.name === names[3])?.account_id ?? '—'}`);
  expect(next).toBeTruthy();
  await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain(names[4]!);
});

test('closing the keyboard shortcuts gives focus back: to the row after ?, to the button after a click', async ({
  page,
}) => {
  await page.goto(`${preview.url}#/today?asOf=${AS_OF}`);
  await expect(rows(page).nth(2)).toBeVisible();
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  const focused = () => page.evaluate(() => document.activeElement?.outerHTML.slice(0, 80) ?? '');

  // ? with no row focused yet (the page just opened), then Escape.
  await page.keyboard.press('?');
  await expect(help).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-current'))).toBe('true');

  // j, ?, Close.
  await page.keyboard.press('j');
  await page.keyboard.press('?');
  await help.getByRole('button', { name: 'Close' }).click();
  await expect(help).toBeHidden();
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-current'))).toBe('true');

  // Opened with the button: focus goes back to the button.
  const button = page.getByRole('button', { name: 'Keyboard shortcuts' });
  await button.click();
  await expect(help).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await expect(button).toBeFocused();
  expect(await focused()).not.toContain('<body');
});
