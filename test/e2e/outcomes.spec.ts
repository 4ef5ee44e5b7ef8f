/**
 * Interventions and Outcomes against the real web preview: a demo book with its deterministic
 * intervention history, the charts with their intervals, the exports as browser downloads (read
 * back: CSV bytes, XLSX sheets), and a bulk manual override that needs a note.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { expect, test, type Page } from '@playwright/test';
import { makeDemoDb, runForesight, startWebPreview, type TempDb, type WebPreview } from './support/webPreview.ts';
import { focusableInsideHidden, skippedHeadingLevels } from './support/a11y.ts';
import { SCREENSHOTS } from './support/screenshots.ts';

const ROOT = join(import.meta.dirname, '..', '..');

let db: TempDb;
let preview: WebPreview;

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1280, height: 800 } });

/** Logs the demo book's intervention history (what `init --demo` can do) into the database. */
function loadDemoHistory(dbPath: string): void {
  const script = `
    const { openDatabase, closeDatabase } = await import(${JSON.stringify(join(ROOT, 'src', 'domain', 'db', 'open.ts'))});
    const { loadDemoInterventionHistory } = await import(${JSON.stringify(join(ROOT, 'src', 'domain', 'interventions', 'demo-history.ts'))});
    const { db } = openDatabase(${JSON.stringify(dbPath)});
    const now = new Date();
    loadDemoInterventionHistory(db, { asOf: now.toISOString().slice(0, 10), now });
    closeDatabase(db);`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`Loading the demo history failed:\n${result.stderr}`);
}

/** Touches an account until the fatigue guard refuses, then logs one more with --force, as a CSM would. */
function logPastTheCap(dbPath: string, accountId: string): void {
  const log = (...extra: string[]) =>
    runForesight(['log', accountId, '--trigger', 'usage_drop', '--channel', 'call', '--db', dbPath, ...extra]);
  for (let i = 0; i < 3; i++) {
    try {
      log();
    } catch (error) {
      if (!/fatigue guard allows/.test((error as Error).message)) throw error;
      log('--force');
      return;
    }
  }
  throw new Error('The fatigue guard never refused a touch.');
}

test.beforeAll(async () => {
  // A demo book, its history and a few CLI touches: about a minute on a busy machine.
  test.setTimeout(180_000);
  mkdirSync(SCREENSHOTS, { recursive: true });
  db = makeDemoDb();
  loadDemoHistory(db.dbPath);
  logPastTheCap(db.dbPath, 'acc_00001');
  preview = await startWebPreview({ dbPath: db.dbPath });
});

test.afterAll(async () => {
  await preview?.stop();
  db?.remove();
});

async function open(page: Page, screen: 'Outcomes' | 'Interventions') {
  await page.goto(preview.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: screen }).click();
  await expect(page.getByRole('heading', { level: 1, name: screen })).toBeVisible();
}

test('Outcomes shows success rates, uplift with intervals and group sizes, and the report', async ({ page }) => {
  await open(page, 'Outcomes');
  const main = page.getByRole('main');
  // The card breaks the total down into the same parts as the Interventions screen, all of them.
  const card = main.getByRole('group', { name: 'Interventions' });
  await expect(card).toContainText(/\d+ succeeded, \d+ failed/);
  const total = Number((await card.locator('.stat__value').textContent())?.replace(/,/g, ''));
  const parts = [
    ...((await card.locator('.stat__hint').textContent()) ?? '').matchAll(/([\d,]+) (open|succeeded|failed|expired)/g),
  ];
  expect(parts.reduce((sum, m) => sum + Number(m[1]!.replace(/,/g, '')), 0)).toBe(total);
  await open(page, 'Interventions');
  const breakdown = await page.locator('.interventions__breakdown').textContent();
  expect(breakdown?.replace(/^\s*·\s*/, '')).toBe(parts.map((m) => m[0]).join(', '));
  await open(page, 'Outcomes');
  // The headline uplift is intention to treat, stratified by play and firing month, with its
  // interval and how many eligible firings were contacted, or it says why there is no number yet.
  await expect(main.getByRole('group', { name: 'Uplift vs control' })).toContainText(
    /(pts.*95% CI .* to .*all eligible firings vs held out.*\d+ of \d+ eligible firings contacted)|(Not enough data yet.*\d+ treated and \d+ control)/,
  );
  // Incremental ARR next to the gross figure, each labelled, in USD whatever the accounts' currencies.
  await expect(main.getByRole('group', { name: 'ARR retained because of outreach' })).toContainText(
    /USD equivalent · 95% CI .* each group’s uplift × its eligible ARR/,
  );
  await expect(main.getByRole('group', { name: 'ARR of accounts whose play succeeded' })).toContainText(
    /USD equivalent · gross/,
  );
  await expect(main.getByRole('note').filter({ hasText: /detect|Both groups/ })).toContainText(
    /To detect a 10-point difference|Both groups have/,
  );
  // Manual overrides are counted but never enter the uplift: no switch pretends otherwise.
  await expect(main.getByRole('checkbox', { name: /Count outcomes set by hand/ })).toHaveCount(0);

  for (const title of [
    'Success rate by trigger',
    'Uplift against the control group',
    'Time to success',
    'ARR retained over time',
  ]) {
    await expect(main.getByRole('heading', { level: 3, name: title })).toBeVisible();
  }
  // Intervals are drawn: whiskers on the success-rate bars.
  await expect(main.locator('.recharts-errorBar').first()).toBeVisible();
  await expect(
    main.getByRole('img', { name: /^Success rate by trigger\. Payment failing: eligible \d+%/ }),
  ).toBeVisible();

  const report = main.getByRole('table', { name: 'Outcomes by trigger' });
  await expect(report.getByRole('row', { name: /Payment failing/ })).toBeVisible();
  await expect(report.getByRole('row').last()).toContainText('All');
  await expect(report).toContainText(/Not enough data yet|\[[−+]?\d/);

  await page.getByRole('combobox', { name: 'Group by' }).selectOption('channel');
  await expect(
    main.getByRole('table', { name: 'Outcomes by channel' }).getByRole('row', { name: /^email/i }),
  ).toBeVisible();
  await page.getByRole('combobox', { name: 'Group by' }).selectOption('trigger');

  // The other measures: deflection over time as a chart, replies and resolution times.
  await expect(
    main.getByRole('heading', { level: 3, name: 'Inbound tickets per active account after the start' }),
  ).toBeVisible();
  await expect(
    main.getByRole('img', { name: /^Inbound tickets per active account\. days 1–30: eligible / }),
  ).toBeVisible();
  await expect(main.getByRole('group', { name: 'Response rate' })).toContainText(
    /of \d+ proactive messages got a reply/,
  );
  await expect(main.getByRole('group', { name: 'Median days to resolution' })).toContainText(/inbound tickets/);

  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(SCREENSHOTS, 'outcomes.png') });
  await main.getByRole('heading', { level: 2, name: 'Deflection, replies and resolution' }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, 'outcomes-measures.png') });
});

test('an uplift of exactly 0 still shows its interval and a zero marker', async ({ page }) => {
  // The demo's rows move with the day; make the first row's uplift exactly 0, as the demo's usage
  // drop (0 of 12 against 0 of 20: 0.0 [−16.1, +24.2]) was on the day it drew nothing.
  await page.route('**/api/outcomes.report', async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as {
      ok: boolean;
      value: { rows: { uplift: { value: number; ci_low: number; ci_high: number } | null }[] };
    };
    const row = body.value.rows.find((r) => r.uplift !== null);
    if (row) row.uplift = { value: 0, ci_low: -0.161, ci_high: 0.242 };
    // Only that row is exactly 0 (a play with no successes on either side would be too).
    for (const other of body.value.rows)
      if (other !== row && other.uplift && Math.abs(other.uplift.value) < 0.0005) other.uplift.value = 0.01;
    await route.fulfill({ response, json: body });
  });
  await open(page, 'Outcomes');
  const uplift = page.getByRole('main').getByRole('img', { name: /^Uplift by trigger\./ });
  await expect(uplift).toHaveAttribute('aria-label', /: 0\.0 points, 95% interval -16\.1 to 24\.2/);
  const rows = ((await uplift.getAttribute('aria-label')) ?? '').split('; ').length;
  await expect(uplift.locator('.recharts-errorBar')).toHaveCount(rows);
  await expect(uplift.locator('.recharts-label-list').getByText('0 pts', { exact: true })).toHaveCount(1);
});

test('Outcomes headings go down one level at a time and its charts are not keyboard stops', async ({ page }) => {
  await open(page, 'Outcomes');
  await expect(page.getByRole('heading', { name: 'Success rate by trigger' })).toBeVisible();
  await expect(page.locator('main .recharts-surface').first()).toBeVisible();
  expect(await skippedHeadingLevels(page)).toEqual([]);
  expect(await focusableInsideHidden(page)).toEqual([]);
});

test('the date range narrows the report', async ({ page }) => {
  await open(page, 'Outcomes');
  const interventions = page.getByRole('main').getByRole('group', { name: 'Interventions' }).locator('.stat__value');
  const all = Number((await interventions.textContent())?.replace(/\D/g, ''));
  await page.getByRole('button', { name: 'Last 90 days' }).click();
  await expect(page.getByRole('main').getByText(/As of .*, interventions sent from/)).toBeVisible();
  await expect.poll(async () => Number((await interventions.textContent())?.replace(/\D/g, ''))).toBeLessThan(all);
  await page.getByRole('button', { name: 'All time' }).click();
  await expect.poll(async () => Number((await interventions.textContent())?.replace(/\D/g, ''))).toBe(all);
});

test('Export CSV and Export XLSX download files that open cleanly', async ({ page }) => {
  await open(page, 'Outcomes');
  const [csvDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  expect(csvDownload.suggestedFilename()).toMatch(/^foresight-outcomes_\d{4}-\d{2}-\d{2}_to_\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await csvDownload.path());
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = csv.toString('utf8').slice(1);
  expect(text.split('\r\n')[0]).toMatch(/^record_id,cohort,account_id,account_name,/);
  // No cell of customer text may start a formula.
  expect(text).not.toMatch(/(^|,)[=+\-@]/m);

  const [xlsxDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export XLSX' }).click(),
  ]);
  expect(xlsxDownload.suggestedFilename()).toMatch(/^foresight-outcomes_.*\.xlsx$/);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(readFileSync(await xlsxDownload.path()) as unknown as ArrayBuffer);
  expect(workbook.worksheets.map((s) => s.name)).toEqual(['Summary', 'Interventions']);
  const sheet = workbook.getWorksheet('Interventions')!;
  const headers = (sheet.getRow(1).values as unknown[]).slice(1);
  const row = sheet.getRow(2);
  expect(row.getCell(headers.indexOf('start_on') + 1).value).toBeInstanceOf(Date);
  expect(typeof row.getCell(headers.indexOf('arr') + 1).value).toBe('number');
  await expect(page.getByText(/Exported \d+ rows/).first()).toBeVisible();
});

test('Interventions lists outcomes with evidence, filters, and a bulk override needs a note', async ({ page }) => {
  await open(page, 'Interventions');
  const table = page.getByRole('table', { name: 'Interventions' });
  await expect(table.getByRole('row').nth(1)).toBeVisible();
  const status = page.getByRole('main').getByRole('status').first();
  await expect(status).toContainText(/\d+ interventions/);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(SCREENSHOTS, 'interventions.png') });

  await page.getByRole('combobox', { name: 'Status' }).selectOption('succeeded');
  await expect(table.getByRole('row').nth(1)).toContainText('Succeeded');
  await expect(table.getByRole('row').nth(1)).toContainText(
    /Payment succeeded on|Champion assigned on|logged in on|reached/,
  );
  // The evidence is cut off in its column; focus reads the whole sentence.
  const evidence = table
    .getByRole('row')
    .nth(1)
    .getByRole('button', { name: /^Outcome and evidence: / });
  await evidence.focus();
  const sentence = ((await evidence.getAttribute('aria-label')) ?? '').replace(/^Outcome and evidence: /, '');
  await expect(page.getByRole('tooltip')).toHaveText(sentence);

  await page.getByRole('combobox', { name: 'Status' }).selectOption('sent');
  const first = table.getByRole('row').nth(1);
  await expect(first).toContainText('Sent');
  await first.getByRole('checkbox').check();
  await page.getByRole('button', { name: /Change status \(1\)/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Change status' });
  await dialog.getByRole('radio', { name: 'Failed' }).check();
  const apply = dialog.getByRole('button', { name: 'Apply to 1 intervention' });
  await expect(apply).toBeDisabled();
  await dialog.getByRole('textbox', { name: /Note/ }).fill('The customer told us they are moving to a competitor.');
  await apply.click();
  await expect(dialog).toBeHidden();
  await page.getByRole('combobox', { name: 'Status' }).selectOption('failed');
  await expect(
    table
      .getByRole('button', { name: /Set by hand: The customer told us/ })
      .or(table.getByLabel(/Set by hand: The customer told us/)),
  ).toBeVisible();
});

test('Interventions shows replies and touches logged past the fatigue cap; the export carries both', async ({
  page,
}) => {
  await open(page, 'Interventions');
  const table = page.getByRole('table', { name: 'Interventions' });
  // The demo history logs a reply on about a third of its touches.
  await expect(table.getByLabel(/^Replied .*, logged on this intervention$/).first()).toBeVisible();
  await page.getByLabel('Search by account').fill('acc_00001');
  await expect(table.getByLabel('Logged past the contact-fatigue cap')).toHaveCount(1);
  await expect(table.getByText('No reply yet').first()).toBeVisible();

  await open(page, 'Outcomes');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  const parsed = Papa.parse<Record<string, string>>(
    readFileSync(await download.path())
      .toString('utf8')
      .slice(1),
    {
      header: true,
      skipEmptyLines: true,
    },
  );
  expect(parsed.meta.fields).toEqual(expect.arrayContaining(['replied', 'fatigue_override']));
  const treated = parsed.data.filter((row) => row.cohort === 'treated');
  expect(treated.filter((row) => row.fatigue_override === 'true').map((row) => row.account_id)).toEqual(['acc_00001']);
  expect(treated.some((row) => row.replied === 'true')).toBe(true);
});

test('dark theme screenshots', async ({ browser }) => {
  const context = await browser.newContext({ colorScheme: 'dark', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await open(page, 'Outcomes');
  await expect(page.getByRole('heading', { level: 3, name: 'Success rate by trigger' })).toBeVisible();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(SCREENSHOTS, 'outcomes-dark.png') });
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Interventions' }).click();
  await expect(page.getByRole('table', { name: 'Interventions' }).getByRole('row').nth(1)).toBeVisible();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(SCREENSHOTS, 'interventions-dark.png') });
  await context.close();
});
