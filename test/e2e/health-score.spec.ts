/**
 * Settings › Health score in the web preview (Chromium), against a real demo database: the churn
 * model in use and why, its rolling-origin backtest over time as a chart, the calibration (or why
 * it cannot be judged yet) and the component weights fitted from outcomes beside the defaults.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { makeDemoDb, runForesight, startWebPreview, type TempDb, type WebPreview } from './support/webPreview.ts';
import { SCREENSHOTS } from './support/screenshots.ts';

let db: TempDb;
let preview: WebPreview;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  db = makeDemoDb();
  // The scoring job fits the churn model for today's book (the demo ends today).
  runForesight(['score-quality', '--db', db.dbPath]);
  preview = await startWebPreview({ dbPath: db.dbPath });
});

test.afterAll(async () => {
  await preview?.stop();
  db?.remove();
});

test('shows the model in use, its backtest over time, calibration and fitted weights', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 1500 });
  await page.goto(`${preview.url}#/settings`);
  const section = page.getByRole('region', { name: 'Churn prediction' });
  await expect(section.getByText('Churn model', { exact: true })).toBeVisible();
  await expect(section.getByText(/Learned from this book|calibrated to this book|Default curve/)).toBeVisible();
  await expect(section.getByText(/Backtest AUC by past day/)).toBeVisible();
  // The demo's 120 days hold no whole 90-day outcome window before the model's fit day, so the
  // calibration says it cannot be judged instead of showing a table of part-windows (quality.ts).
  await expect(section.getByText(/Calibration cannot be judged yet: no past day has its whole 90-day/)).toBeVisible();
  await expect(section.getByRole('table', { name: /Calibration: predicted vs observed/ })).toHaveCount(0);
  const weights = section.getByRole('table', { name: /^Component weights: / });
  await expect(weights.getByRole('row')).toHaveCount(8);
  await expect(weights.getByRole('cell', { name: 'Usage trend' })).toBeVisible();
  // Default, fitted and in use side by side, and why those in use are.
  await expect(weights.getByRole('columnheader', { name: 'In use' })).toBeVisible();
  await expect(section.getByText(/^(Using|Keeping) (the default )?weights/)).toBeVisible();
  await section.screenshot({ path: join(SCREENSHOTS, 'health-score.png') });
});
