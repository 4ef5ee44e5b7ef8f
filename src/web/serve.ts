/**
 * `npm run serve:web -- --db PATH [--port N] [--no-demo] [--allow-link-host HOST …]`: the renderer and the real API in a
 * browser, on 127.0.0.1 only. Used by the end-to-end tests and for development without Electron.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createApp } from '../app/create-app.ts';
import { preferencesFor } from '../app/preferences.ts';
import { loadDemoOnFirstLaunch } from '../app/services/first-launch.ts';
import { createSyncScheduler } from '../app/services/periodic-sync.ts';
import { sendDueByRule } from '../app/services/rule-sends.ts';
import { syncDueSources } from '../app/services/sync-scheduler.ts';
import { resolveDbPath } from '../domain/db/paths.ts';
import { checkDatabaseAtStartup, recordRecovery } from '../domain/safety/restore.ts';
import { hasErrorCode, isUserFacing } from '../domain/errors.ts';
import { toUserFacing } from '../domain/failure-sentence.ts';
import { startWebServer } from './server.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      db: { type: 'string' },
      port: { type: 'string', default: '0' },
      'no-demo': { type: 'boolean', default: false },
      'allow-link-host': { type: 'string', multiple: true, default: [] },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a port number, not "${values.port}".`);
  const staticDir = join(import.meta.dirname, '..', '..', 'out', 'renderer');
  if (!existsSync(join(staticDir, 'index.html')))
    throw new Error('The renderer is not built yet; run "npm run build" first.');

  const dbPath = resolveDbPath(values.db);
  // Same start-up check as the desktop app: a damaged database is restored from its newest good backup.
  const startup = checkDatabaseAtStartup(dbPath, { now: new Date() });
  if (startup.status === 'recovered' || startup.status === 'damaged') console.warn(startup.notice.message);
  const app = createApp({ dbPath, createParents: values.db === undefined });
  // The page cannot widen the external-link list itself (allow-list-change.ts); configuration can.
  if (values['allow-link-host'].length > 0)
    preferencesFor(app.ctx).update({ externalLinks: { allowedHosts: values['allow-link-host'] } });
  if (startup.status === 'recovered' || startup.status === 'damaged') {
    try {
      recordRecovery(app.ctx.db, startup.notice);
    } catch (error) {
      console.warn(`Could not record the recovery notice: ${(error as Error).message}`);
    }
  }
  // The address is printed once the demo is in; a first launch says why it is not there yet.
  if (!values['no-demo'])
    await loadDemoOnFirstLaunch(app.ctx, () =>
      console.log('First launch: generating a demo book of 400 accounts; the address follows when it is ready…'),
    );
  const server = await startWebServer({ dispatch: app.dispatch, subscribe: app.subscribe, staticDir, port });
  console.log(`Foresight web preview: ${server.url}`);

  // Like the desktop app: sources are synced every 15 minutes and retried with backoff when offline.
  const background = createSyncScheduler({
    intervalMs: () => 60_000,
    enabled: () => true,
    isOnline: () => true,
    runSync: async () => {
      await sendDueByRule(app.ctx).catch((error: unknown) =>
        console.warn(`Mail and steps sent by rule: ${String(error)}`),
      );
      await syncDueSources(app.ctx, 15 * 60_000).catch((error: unknown) => {
        if (!hasErrorCode(error, 'SYNC_RUNNING')) throw error;
      });
    },
    log: (message) => console.warn(message),
  });
  background.start();

  const stop = async () => {
    await background.stop();
    await server.close();
    app.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  // One sentence for what the person can act on (a port in use, a missing database), from the one
  // place that words such failures; anything else is printed as it is.
  const sentence = toUserFacing(error)?.message;
  console.error(sentence ?? (isUserFacing(error) || error instanceof Error ? (error as Error).message : String(error)));
  process.exit(1);
});
