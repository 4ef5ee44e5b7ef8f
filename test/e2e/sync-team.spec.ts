/**
 * A team hub on the Sync screen, against the real web preview and the reference feed server acting
 * as a hub: after a sync the source says who its token signs in as and what it received from
 * colleagues and sent. Screenshot for docs/screenshots/sync-team-hub.png.
 */
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { SCREENSHOTS } from './support/screenshots.ts';
import { dismissToasts } from './support/toasts.ts';
import { makeEmptyDb, runForesight, startWebPreview, type TempDb, type WebPreview } from './support/webPreview.ts';

const TOKEN = 'e2e-hub-token-5d2';
const ME = 'dana.reyes@northwind-cs.com';
const COLLEAGUE = 'lee.park@northwind-cs.com';

let db: TempDb;
let preview: WebPreview;
let hub: FeedServer;

test.use({ viewport: { width: 1280, height: 900 } });

test.beforeAll(async () => {
  hub = await startFeedServer({
    token: TOKEN,
    hub: { user: { email: ME, role: 'csm' } },
    data: { accounts: [{ account_id: 'ACME-001', name: 'Acme, Inc.', arr: 240000, owner_email: ME }] },
  });
  hub.logs.activities.push({
    activity_id: 'act_lee_call_1',
    account_id: 'ACME-001',
    type: 'call',
    at: '2026-02-20T10:00:00.000Z',
    contact_id: null,
    summary: 'Covered the renewal call while Dana was out',
    outcome: null,
    actor_email: COLLEAGUE,
  });
  hub.logs.item_actions.push({
    action_id: 'act_lee_snooze_1',
    account_id: 'ACME-001',
    trigger_id: 'usage_drop',
    action: 'snooze',
    at: '2026-02-20T10:05:00.000Z',
    snooze_until: '2026-12-12',
    reason: 'Budget freeze until December',
    actor_email: COLLEAGUE,
  });
  process.env.FORESIGHT_FEED_TOKEN_TEAM_E2E = TOKEN;
  db = makeEmptyDb();
  preview = await startWebPreview({ dbPath: db.dbPath });
});

test.afterAll(async () => {
  await preview?.stop();
  await hub?.close();
  db?.remove();
  delete process.env.FORESIGHT_FEED_TOKEN_TEAM_E2E;
});

test('a team hub source shows who it signs in as and what it exchanged with colleagues', async ({ page }) => {
  await page.goto(`${preview.url}#/sync`);
  await page.getByRole('button', { name: 'Add source' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a feed source' });
  await dialog.getByLabel('Name').fill('team');
  await dialog.getByLabel('Feed URL').fill(hub.url);
  await dialog.getByLabel('Token variable').fill('FORESIGHT_FEED_TOKEN_TEAM_E2E');
  await dialog.getByRole('button', { name: 'Add source' }).click();
  await expect(dialog).toBeHidden();

  const sources = page.getByRole('list', { name: 'Feed sources' });
  await page.getByRole('button', { name: 'Sync now', exact: true }).click();
  await expect(sources).toContainText('Online', { timeout: 15_000 });
  await expect(sources).toContainText(`Team hub · signed in as ${ME} (CSM)`);
  await expect(sources).toContainText(
    'Last sync received 1 item action, 0 interventions, 1 activity from colleagues and sent 0 item actions, 0 interventions, 0 activities.',
  );
  await expect(page.getByText(TOKEN)).toHaveCount(0);

  await page.setViewportSize({ width: 1280, height: 1100 });
  await dismissToasts(page);
  await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 10_000 });
  await sources.screenshot({ path: join(SCREENSHOTS, 'sync-team-hub.png') });
});

test('an intervention the hub refuses is shown with its reason, does not hold back the outbox, and can be kept local', async ({
  page,
}) => {
  runForesight(['log', 'ACME-001', '--trigger', 'usage_drop', '--channel', 'email', '--force', '--db', db.dbPath]);
  // As a hub answers for an account outside the token's book (a cover that ended).
  hub.faults.push({ kind: 'interventions', method: 'POST', status: 422, times: 1 });
  await page.goto(`${preview.url}#/sync`);
  const sources = page.getByRole('list', { name: 'Feed sources' });
  await page.getByRole('button', { name: 'Sync now', exact: true }).click();
  const refused = sources.getByRole('group', { name: 'Rows team refused' });
  await expect(refused).toContainText('team refused 1 row; it stays in this book only:', { timeout: 15_000 });
  await expect(refused).toContainText('Intervention on ACME-001: injected 422.');
  await expect(sources).toContainText('Online');
  await expect(sources).not.toContainText('waiting to be sent');
  await expect(page.getByRole('status').first()).not.toContainText('not reachable');
  await refused.screenshot({ path: join(SCREENSHOTS, 'sync-team-refused.png') });
  await refused.getByRole('button', { name: 'Keep local' }).click();
  await expect(refused).toHaveCount(0);
});
