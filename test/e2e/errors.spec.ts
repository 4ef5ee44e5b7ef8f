/**
 * Failures the user can see and the log keeps: a screen that crashes shows a readable fallback
 * (and the rest of the app keeps working), a failed call says so with "Try again", and renderer
 * errors reach the app's log with their stacks.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { useDemoPreview } from './support/webPreview.ts';
import { SCREENSHOTS } from './support/screenshots.ts';

test.describe.configure({ mode: 'serial' });
const demo = useDemoPreview({ accounts: 30 });

test('a screen that crashes shows what happened and a Reload button, logs it, and leaves the app working', async ({
  page,
}) => {
  const preview = demo.preview();
  // An answer the screen cannot handle (as from a newer or broken app) makes it throw while rendering.
  await page.route('**/api/risk.account', (route) =>
    route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ok: true, value: { account: null } }) }),
  );
  await page.goto(`${preview.url}#/accounts/acc_probe`);

  const fallback = page
    .getByRole('alert')
    .filter({ has: page.getByRole('heading', { name: 'The Account screen stopped working' }) });
  await expect(fallback).toBeVisible();
  await expect(fallback).toContainText('Your data is safe');
  await expect(fallback.getByRole('button', { name: 'Reload' })).toBeVisible();
  // The particulars are folded away, and never a stack trace.
  const details = fallback.getByRole('group');
  await expect(details).not.toHaveAttribute('open');
  await expect(fallback.getByText('/accounts/acc_probe')).toBeHidden();
  await expect(fallback).not.toContainText(/\bat \w+ \(/);
  await fallback.getByText('Details', { exact: true }).click();
  await expect(fallback.getByText('/accounts/acc_probe')).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOTS, 'error-boundary.png') });

  // The log has the error with both stacks.
  await expect.poll(() => preview.output()).toContain('[renderer] boundary on #/accounts/acc_probe: TypeError');
  // The built bundle is minified; the chunk still names the screen that threw.
  expect(preview.output()).toMatch(/React components:\n\s+at \w+ \(\S+\/AccountScreen-[\w-]+\.js:/);

  // Only that screen failed: the sidebar still leads elsewhere.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Accounts' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Accounts' })).toBeVisible();
});

test('a failed call says what failed and "Try again" asks again', async ({ page }) => {
  const preview = demo.preview();
  let failing = true;
  await page.route('**/api/accounts.grid', (route) =>
    failing
      ? route.fulfill({
          contentType: 'application/json',
          body: JSON.stringify({
            ok: false,
            error: { code: 'INTERNAL', message: 'accounts.grid failed unexpectedly.' },
          }),
        })
      : route.continue(),
  );
  await page.goto(`${preview.url}#/accounts`);
  const failure = page.getByRole('region', { name: 'Accounts could not be loaded' });
  await expect(failure).toContainText('accounts.grid failed unexpectedly.');
  failing = false;
  await failure.getByRole('button', { name: 'Try again' }).click();
  await expect(failure).toBeHidden();
  await expect(page.getByRole('table', { name: 'Accounts' }).getByRole('row')).not.toHaveCount(0);
});

test('uncaught errors and unhandled rejections in the renderer reach the app log with their stacks', async ({
  page,
}) => {
  const preview = demo.preview();
  await page.goto(`${preview.url}#/accounts`);
  await expect(page.getByRole('heading', { level: 1, name: 'Accounts' })).toBeVisible();
  await page.evaluate(() => {
    window.setTimeout(function throwsLater() {
      throw new Error('window probe');
    });
    void Promise.reject(new Error('rejection probe'));
  });
  await expect.poll(() => preview.output()).toContain('[renderer] error on #/accounts: Error: window probe');
  await expect
    .poll(() => preview.output())
    .toContain('[renderer] unhandledrejection on #/accounts: Error: rejection probe');
  expect(preview.output()).toMatch(/Error: window probe\n\s+at throwsLater/);
});
