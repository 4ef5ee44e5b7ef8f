/**
 * Outreach against the real web preview and a real demo database: the composer ("Draft
 * outreach") from Today's "d" on a payment_failing account to "Mark as sent", the holdout
 * explanation, and the template editor flagging a company-first template before it can be used.
 */
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import { makeDemoDb, startWebPreview, type TempDb, type WebPreview } from './support/webPreview.ts';
import { SCREENSHOTS } from './support/screenshots.ts';

let db: TempDb;
let preview: WebPreview;
let paying: { accountId: string; name: string; champion: string; email: string };
let heldOut: { accountId: string; name: string; triggerId: string; label: string };

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });

test.beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  db = makeDemoDb();
  const sqlite = new Database(db.dbPath);
  // The risk engine fills risk_items; make sure it has run for today's book.
  if ((sqlite.prepare('SELECT count(*) AS n FROM risk_items').get() as { n: number }).n === 0) {
    scoreAll(sqlite, { asOf: new Date().toISOString().slice(0, 10) });
  }
  const item = sqlite
    .prepare(
      `SELECT r.account_id AS accountId, a.name, c.name AS champion, c.email FROM risk_items r JOIN accounts a USING (account_id)
       JOIN contacts c ON c.account_id = r.account_id AND c.is_champion = 1 AND c.active = 1
       WHERE r.trigger_id = 'payment_failing' AND r.is_control = 0 AND r.status = 'open'
         -- Its only open item, so "d" on its row in Today drafts exactly this one.
         AND (SELECT count(*) FROM risk_items o WHERE o.account_id = r.account_id AND o.status IN ('open', 'in_progress')) = 1
       ORDER BY r.account_id LIMIT 1`,
    )
    .get() as typeof paying | undefined;
  if (!item) throw new Error('The demo book has no open payment_failing risk item to draft for.');
  paying = item;
  // A control-group item: the engine's own if it drew one, else one marked here as a fixture.
  let control = sqlite
    .prepare(
      "SELECT item_id FROM risk_items WHERE is_control = 1 AND status = 'open' AND trigger_id <> 'payment_failing' LIMIT 1",
    )
    .get() as { item_id: number } | undefined;
  if (!control) {
    control = sqlite
      .prepare("SELECT item_id FROM risk_items WHERE status = 'open' AND trigger_id = 'usage_drop' LIMIT 1")
      .get() as { item_id: number };
    sqlite.prepare('UPDATE risk_items SET is_control = 1 WHERE item_id = ?').run(control.item_id);
  }
  heldOut = sqlite
    .prepare(
      'SELECT r.account_id AS accountId, a.name, r.trigger_id AS triggerId FROM risk_items r JOIN accounts a USING (account_id) WHERE r.item_id = ?',
    )
    .get(control.item_id) as typeof heldOut;
  sqlite.close();
  preview = await startWebPreview({ dbPath: db.dbPath });
});

test.afterAll(async () => {
  await preview?.stop();
  db?.remove();
});

const dialog = (page: Page) => page.getByRole('dialog', { name: 'Draft outreach' });
const templates = (page: Page) => page.getByRole('region', { name: 'Templates' });

/** Settings → Templates, with a template chosen and previewed for an account. */
async function openTemplate(page: Page, templateId: string, accountId?: string) {
  await page.goto(preview.url);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  const section = templates(page);
  await section.getByRole('combobox', { name: /^Template/ }).selectOption(templateId);
  if (accountId) {
    await section.getByRole('searchbox', { name: 'Find an account' }).fill(accountId);
    await expect(
      section
        .getByRole('combobox', { name: 'Preview for' })
        .getByRole('option', { name: new RegExp(`\\(${accountId}\\)`) }),
    ).toHaveCount(1);
    await section.getByRole('combobox', { name: 'Preview for' }).selectOption(accountId);
  }
  return section;
}

/** Opens the composer for an account and trigger. */
async function openComposer(page: Page, accountId: string, triggerId: string) {
  const section = await openTemplate(page, `builtin.${triggerId}.email`, accountId);
  await section.getByRole('button', { name: 'Open in composer' }).click();
  await expect(dialog(page)).toBeVisible();
}

test('pressing d on a payment_failing account in Today gives a ready email, and "Mark as sent" logs it', async ({
  page,
}) => {
  await page.goto(preview.url);
  await expect(page.getByRole('heading', { name: 'Today', level: 1 })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search accounts' }).fill(paying.name);
  const row = page.getByRole('region', { name: 'At-risk accounts' }).getByRole('row').filter({ hasText: paying.name });
  await expect(row).toHaveCount(1, { timeout: 30_000 });
  await row.getByRole('cell').last().click();
  await page.keyboard.press('d');
  const composer = dialog(page);
  await expect(composer).toBeVisible();
  const first = paying.champion.split(' ')[0];

  await expect(composer).toContainText(paying.name);
  await expect(composer.getByRole('combobox', { name: 'Reason' })).toHaveValue('payment_failing');
  await expect(composer.getByRole('radio', { name: 'Email' })).toBeChecked();
  await expect(composer).toContainText(`${paying.champion} <${paying.email}>`);
  await expect(composer.getByRole('textbox', { name: 'Subject', exact: true })).toHaveValue(
    `Keep ${paying.name} running: a one-minute card update`,
  );
  const message = composer.getByRole('textbox', { name: 'Message', exact: true });
  await expect(message).toHaveValue(new RegExp(`^Hi ${first},\\n\\nYour team's workspace is still running as usual`));
  const body = await message.inputValue();
  expect(body.match(/https:\/\//g)).toHaveLength(1);
  const check = composer.getByRole('region', { name: 'Benefit-first check' });
  await expect(check).toContainText('Passes the benefit-first check');
  await page.screenshot({ path: join(SCREENSHOTS, 'composer.png') });
  await page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  await page.screenshot({ path: join(SCREENSHOTS, 'composer-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });

  // The check follows the text as it is edited.
  await message.fill(body.replace("Your team's workspace is still running as usual", 'We noticed your card failed'));
  await expect(check).toContainText('The email opens with us, not the customer');
  await page.screenshot({ path: join(SCREENSHOTS, 'composer-warning.png') });
  await message.fill(body);
  await expect(check).toContainText('Passes the benefit-first check');

  // Open in mail app: a mailto: URL with the recipient, subject and body, correctly encoded.
  const mailLink = composer.getByRole('link', { name: 'Open in mail app' });
  await expect(mailLink).toHaveAttribute(
    'href',
    new RegExp(`^mailto:${paying.email.replace(/[.+]/g, '\\$&')}\\?subject=`),
  );
  const href = (await mailLink.getAttribute('href')) as string;
  const params = new URLSearchParams(href.split('?')[1]?.replace(/\+/g, '%2B'));
  expect(params.get('body')).toBe(body.split('\n').join('\r\n'));

  // Save .eml downloads an RFC 5322 message in the web preview.
  const downloading = page.waitForEvent('download');
  await composer.getByRole('button', { name: 'Save .eml' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.eml$/);
  const eml = readFileSync(await download.path(), 'utf8');
  expect(eml).toContain(`\r\nTo: "${paying.champion}" <${paying.email}>\r\n`);
  expect(eml).toContain('Content-Type: text/plain; charset=UTF-8');

  await composer.getByRole('button', { name: 'Mark as sent' }).click();
  await expect(page.getByText('Marked as sent', { exact: true })).toBeVisible();
  await expect(dialog(page)).toBeHidden();

  const sqlite = new Database(db.dbPath, { readonly: true });
  // The demo book replays past interventions (noted "Demo history"); only the one just marked as sent is new.
  const logged = sqlite
    .prepare(
      "SELECT trigger_id, template_id, template_version, channel, status FROM interventions WHERE account_id = ? AND coalesce(notes, '') NOT LIKE 'Demo history%'",
    )
    .all(paying.accountId);
  sqlite.close();
  expect(logged).toEqual([
    {
      trigger_id: 'payment_failing',
      template_id: 'builtin.payment_failing.email',
      template_version: 2,
      channel: 'email',
      status: 'sent',
    },
  ]);
});

test('a holdout account cannot be drafted, and the composer says why', async ({ page }) => {
  await openComposer(page, heldOut.accountId, heldOut.triggerId);
  const composer = dialog(page);
  await expect(composer.getByRole('alert')).toContainText('Not drafted: control group');
  await expect(composer.getByRole('alert')).toContainText(`${heldOut.name} is in the control group`);
  await expect(composer.getByRole('alert')).toContainText(
    'leaving a few accounts untouched is how you learn whether outreach works',
  );
  await expect(composer.getByRole('textbox', { name: 'Message', exact: true })).toHaveCount(0);
  await expect(composer.getByRole('button', { name: 'Mark as sent' })).toHaveCount(0);
  await page.screenshot({ path: join(SCREENSHOTS, 'composer-holdout.png') });
  await composer.getByRole('button', { name: 'Close' }).click();
  await expect(composer).toBeHidden();
});

test('the template editor flags a company-first template and refuses unknown tokens before it can be used', async ({
  page,
}) => {
  const section = await openTemplate(page, 'builtin.payment_failing.email', paying.accountId);
  await expect(section.getByText('Built-in, read-only')).toBeVisible();
  await expect(section.getByRole('region', { name: 'Preview' })).toContainText(`Hi ${paying.champion.split(' ')[0]},`);
  await page.getByRole('heading', { name: 'Templates' }).scrollIntoViewIfNeeded();
  await templates(page).screenshot({ path: join(SCREENSHOTS, 'templates.png') });

  await section.getByRole('button', { name: 'Duplicate to edit' }).click();
  const text = section.getByRole('textbox', { name: 'Template text' });
  const original = await text.inputValue();
  const check = section.getByRole('region', { name: 'Benefit-first check' });

  await text.fill(`${original}\n{{csm.mobile}}`);
  await expect(check).toContainText('“{{csm.mobile}}” in the body is not a token Foresight knows');
  await expect(section.getByRole('button', { name: /^Save/ })).toBeDisabled();

  await text.fill(
    original.replace("Your team's workspace is still running as usual", 'Our systems experienced a malfunction'),
  );
  await expect(check).toContainText(
    'The email opens with us, not the customer (“Our systems experienced a malfunction',
  );
  await section.getByRole('button', { name: 'Save with 1 warning…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Save with warnings?' });
  await expect(confirm).toContainText('The email opens with us, not the customer');
  await confirm.getByRole('button', { name: 'Save anyway' }).click();
  await expect(section.getByText('Yours · v1')).toBeVisible();

  // The composer now suggests the copy, and shows the same warning.
  await section.getByRole('button', { name: 'Open in composer' }).click();
  const composer = dialog(page);
  await expect(composer.getByRole('combobox', { name: 'Template' })).toContainText('(my copy)');
  await expect(composer.getByRole('region', { name: 'Benefit-first check' })).toContainText(
    'The email opens with us, not the customer',
  );
});
