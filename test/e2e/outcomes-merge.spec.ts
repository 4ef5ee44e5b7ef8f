/**
 * A team lead's book that holds only colleagues' merged outcomes, in the real web preview: merging
 * files through the screen lists the rejected rows with their reasons (as the CLI does), and the
 * Interventions list says where the merged interventions count instead of "nothing logged".
 */
import { expect, test } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeEmptyDb, runForesight, startWebPreview, type TempDb, type WebPreview } from './support/webPreview.ts';

let db: TempDb;
let preview: WebPreview;

test.beforeAll(async () => {
  db = makeEmptyDb();
  // A lead's own book holds the team's accounts (an empty book shows only "Your book is empty").
  const accounts = join(db.dir, 'accounts.csv');
  writeFileSync(accounts, 'account_id,name,arr,owner_email\nacc_9,Acme,1000,ann@example.com\n');
  runForesight(['import', accounts, '--db', db.dbPath]);
  preview = await startWebPreview({ dbPath: db.dbPath });
});

test.afterAll(async () => {
  await preview?.stop();
  db?.remove();
});

const CSV = [
  'record_id,cohort,account_id,owner_email,trigger_id,channel,status,start_on',
  'int-a,treated,acc_9,ann@example.com,payment_failing,email,succeeded,2026-03-02',
  'int-b,test,acc_9,ann@example.com,payment_failing,email,failed,2026-03-02',
  'int-c,treated,acc_9,ann@example.com,payment_failing,email,failed,2026-02-31',
].join('\r\n');

test('merging files names each rejected row’s reason, and Interventions says where merged rows count', async ({
  page,
}) => {
  await page.goto(preview.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outcomes' }).click();
  await page.locator('input[type=file][aria-label="Outcome files to merge"]').setInputFiles({
    name: 'ann.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(CSV, 'utf8'),
  });
  const toast = page.getByRole('status').filter({ hasText: 'Merged 1 file' });
  await expect(toast).toContainText(
    '1 added, 0 updated, 0 already here, 2 rows rejected (ann.csv line 3: cohort must be treated, control or eligible, not "test"; ann.csv line 4: start_on "2026-02-31" is not a date (YYYY-MM-DD)).',
  );

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Interventions' }).click();
  await expect(page.getByRole('heading', { name: 'No interventions logged in this book' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText(
    '1 intervention merged from colleagues (their exports, or the team hub) counts in Outcomes; this list shows the interventions logged here.',
  );
});

test('a lead’s book with no accounts at all still opens Outcomes and shows what was merged', async ({ page }) => {
  // Found by QA: Outcomes needed accounts, so a book holding only merged files showed "Your book is empty".
  const empty = makeEmptyDb();
  const lead = await startWebPreview({ dbPath: empty.dbPath });
  try {
    await page.goto(lead.url);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Outcomes' }).click();
    await expect(page.getByRole('heading', { name: 'No outcomes to measure yet' })).toBeVisible();
    await page.locator('input[type=file][aria-label="Outcome files to merge"]').setInputFiles({
      name: 'ann.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(CSV, 'utf8'),
    });
    await expect(page.getByRole('status').filter({ hasText: 'Merged 1 file' })).toContainText('1 added');
    await expect(page.getByText('Includes 1 merged row')).toBeVisible();
  } finally {
    await lead.stop();
    empty.remove();
  }
});
