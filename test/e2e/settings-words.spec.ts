/**
 * Settings in plain language, in the web preview (Chromium) against a real database: every field
 * has a label in words (with its unit) and a line of help, a wrong value is answered with one
 * sentence naming the field, and an outreach setting saved in a form is stored and read back.
 */
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { focusableInsideHidden, skippedHeadingLevels } from './support/a11y.ts';
import { SCREENSHOTS } from './support/screenshots.ts';
import { makeDemoDb, startWebPreview, type TempDb, type WebPreview } from './support/webPreview.ts';

let db: TempDb;
let preview: WebPreview;

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1280, height: 900 } });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  db = makeDemoDb({ accounts: 30 });
  preview = await startWebPreview({ dbPath: db.dbPath });
});

test.afterAll(async () => {
  await preview?.stop();
  db?.remove();
});

async function openSettings(page: Page) {
  await page.goto(preview.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
}

/** Inputs in the main area a screen reader cannot name (no label, aria-label or aria-labelledby). */
async function unnamedInputs(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('main input, main select, main textarea')]
      .filter((el) => el.getAttribute('type') !== 'hidden')
      .filter(
        (el) =>
          !(
            (el as HTMLInputElement).labels?.length ||
            el.getAttribute('aria-label') ||
            el.getAttribute('aria-labelledby')
          ),
      )
      .map((el) => `${el.tagName.toLowerCase()}#${el.id}`),
  );
}

test('every section speaks words: labels with units, help under each field, no developer names', async ({ page }) => {
  await openSettings(page);
  const plays = page.getByRole('region', { name: 'Plays' });
  const usageDrop = plays.getByRole('group', { name: 'Usage drop' });
  await expect(usageDrop.getByLabel('Recent window (days)')).toHaveAttribute('placeholder', '14');
  await expect(
    usageDrop.getByText('Active users over these last days are compared with the usual level.'),
  ).toBeVisible();
  await expect(page.getByRole('region', { name: 'Health score' }).getByText('Red below (points of 100)')).toBeVisible();
  // The parameter names of the code never reach the screen.
  for (const name of ['recentDays', 'zeroAtRatio', 'penaltyPerFailure', 'maxTouches'])
    await expect(page.getByRole('main').getByText(name, { exact: true })).toHaveCount(0);
  expect(await unnamedInputs(page)).toEqual([]);
  expect(await focusableInsideHidden(page)).toEqual([]);
  expect(await skippedHeadingLevels(page)).toEqual([]);

  // The section list jumps to a section and puts focus on its heading.
  const toc = page.getByRole('navigation', { name: 'Settings sections' });
  for (const [section, file] of [
    ['Plays', 'settings-plays.png'],
    ['Outreach', 'settings-outreach.png'],
    // The last section: the screen cannot scroll it to the top, which used to move the whole page.
    ['Email (SMTP)', 'settings-smtp.png'],
  ] as const) {
    await toc.getByRole('button', { name: section }).click();
    await expect(page.getByRole('heading', { level: 2, name: section })).toBeFocused();
    // Only the screen scrolls: the page behind the shell (its banner, counts bar, navigation) stays put.
    expect(await scrolledOutsideMain(page)).toEqual([]);
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Today' })).toBeInViewport();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SCREENSHOTS, file) });
  }
  await page.getByRole('heading', { level: 3, name: /^Score configuration/ }).scrollIntoViewIfNeeded();
  await page.getByRole('heading', { level: 3, name: /^Score configuration/ }).evaluate((h) => h.scrollIntoView());
  await page.screenshot({ path: join(SCREENSHOTS, 'settings-health-score.png') });
});

test('a wrong value is answered with one sentence naming the field, and nothing is saved', async ({ page }) => {
  await openSettings(page);
  const health = page.getByRole('region', { name: 'Health score' });
  await health.getByLabel('Usage trend weight').fill('-5');
  await health.getByRole('button', { name: /^Save as version/ }).click();
  await expect(health.getByRole('alert')).toHaveText("The usage trend weight can't be negative. Nothing was saved.");

  const plays = page.getByRole('region', { name: 'Plays' });
  await plays.getByRole('group', { name: 'Usage drop' }).getByLabel('Recent window (days)').fill('0');
  await plays.getByRole('button', { name: 'Save plays' }).click();
  const alert = plays.getByRole('alert');
  await expect(alert).toHaveText('The “Usage drop” play’s recent window must be at least 1 day. Nothing was saved.');
  await alert.scrollIntoViewIfNeeded();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(SCREENSHOTS, 'settings-validation.png') });
});

test('the fatigue cap and working hours saved in Outreach are stored and read back', async ({ page }) => {
  await openSettings(page);
  const outreach = page.getByRole('region', { name: 'Outreach' });
  const fatigue = outreach.getByRole('group', { name: 'Fatigue cap' });
  await expect(fatigue.getByLabel('Proactive touches allowed (number)')).toHaveValue('2');
  await fatigue.getByLabel('Proactive touches allowed (number)').fill('3');
  await fatigue.getByLabel('Fatigue period (days)').fill('21');
  await fatigue.getByRole('button', { name: 'Save fatigue cap' }).click();
  await expect(page.getByText('Fatigue cap saved', { exact: true })).toBeVisible();

  const hours = outreach.getByRole('group', { name: 'Working hours' });
  await hours.getByLabel('Working hours start (HH:MM)').fill('18:30');
  await hours.getByRole('button', { name: 'Save working hours' }).click();
  await expect(hours.getByRole('alert')).toHaveText('Working hours must start before they end. Nothing was saved.');

  await page.reload();
  const again = page.getByRole('region', { name: 'Outreach' }).getByRole('group', { name: 'Fatigue cap' });
  await expect(again.getByLabel('Proactive touches allowed (number)')).toHaveValue('3');
  await expect(again.getByLabel('Fatigue period (days)')).toHaveValue('21');
  await expect(page.getByRole('region', { name: 'Outreach' }).getByLabel('Working hours start (HH:MM)')).toHaveValue(
    '09:00',
  );
});

/** Elements scrolled away from their top other than the screen's own scroller (#main-content). */
async function scrolledOutsideMain(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [document.documentElement, ...document.body.querySelectorAll('*'), document.body]
      .filter((el) => el.scrollTop > 0 && el.id !== 'main-content')
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
  );
}

test('an empty sender address falls back to your email from Preferences, as the help says', async ({ page }) => {
  await openSettings(page);
  const signing = page.getByRole('region', { name: 'Outreach' }).getByRole('group', { name: 'How you sign' });
  await signing.getByLabel('Your email address').fill('');
  await signing.getByLabel('Name').fill('Maya Chen');
  await signing.getByRole('button', { name: 'Save sender' }).click();
  // No email of yours yet: one sentence says where to give it.
  await expect(signing.getByRole('alert')).toHaveText(
    'The sender’s email address is empty and there is no email of yours to use instead: enter it here or in Settings → Preferences.',
  );

  const preferences = page.getByRole('form', { name: 'Preferences' });
  await preferences.getByLabel('My email (account owner)').fill('maya.chen@example.com');
  await preferences.getByRole('button', { name: 'Save preferences' }).click();
  await expect(page.getByText('Preferences saved', { exact: true })).toBeVisible();
  await expect(signing.getByLabel('Your email address')).toHaveAttribute('placeholder', 'maya.chen@example.com');
  await signing.getByRole('button', { name: 'Save sender' }).click();
  await expect(page.getByText('How you sign saved', { exact: true })).toBeVisible();
  await page.reload();
  const again = page.getByRole('region', { name: 'Outreach' }).getByRole('group', { name: 'How you sign' });
  await expect(again.getByLabel('Your email address')).toHaveValue('maya.chen@example.com');
  await expect(again.getByLabel('Name')).toHaveValue('Maya Chen');
});
