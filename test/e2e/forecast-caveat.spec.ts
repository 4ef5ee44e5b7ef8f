/**
 * When the book's own history cannot support the P(churn) shown (here: 80 demo accounts, 8 churned,
 * too few to learn from, so the default curve is in use), Today and the account page say the
 * probabilities and expected ARR at risk are the default curve's and unvalidated, in one sentence.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { useDemoPreview } from './support/webPreview.ts';
import { SCREENSHOTS } from './support/screenshots.ts';

const CAVEAT = "P(churn) and expected ARR at risk come from the default curve, not validated on this book's history";

test.use({ viewport: { width: 1440, height: 900 }, reducedMotion: 'reduce' });
const { preview } = useDemoPreview({ accounts: 80 });

test("Today and the account page say the default curve's P(churn) is unvalidated on this book", async ({ page }) => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.goto(`${preview().url}#/today`);
  await expect(page.getByRole('heading', { level: 1, name: 'Today' })).toBeVisible();
  await expect(page.getByRole('note').filter({ hasText: CAVEAT })).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOTS, 'today-forecast-caveat.png') });

  const table = page.getByRole('table', { name: 'At-risk accounts' });
  await table.locator('tbody tr').first().getByRole('link').first().click();
  await expect(page.getByText('Expected ARR at risk', { exact: true })).toBeVisible();
  await expect(page.getByRole('note').filter({ hasText: CAVEAT })).toBeVisible();
  await page.screenshot({ path: join(SCREENSHOTS, 'account-forecast-caveat.png') });
});
