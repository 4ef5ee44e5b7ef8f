/**
 * Electron main: thin adapters around the same app core the CLI and the web preview use. Order
 * matters: the scheme is registered before 'ready'; logging (with secret redaction) and the
 * security handlers are installed before anything loads; the database is checked, and restored
 * from a backup if damaged, before it is opened.
 */
import { app, dialog, Menu, nativeTheme, net, powerMonitor, screen, shell, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { createApp, type App } from '../app/create-app.ts';
import { attachPreferences, lastScreenSchema, type PreferencesStore } from '../app/preferences.ts';
import { loadDemoOnFirstLaunch } from '../app/services/first-launch.ts';
import { resolveDbPath } from '../domain/db/paths.ts';
import { hasErrorCode } from '../domain/errors.ts';
import { backupIfDue, createBackup } from '../domain/safety/backup.ts';
import { backupsDirFor } from '../domain/safety/backup-files.ts';
import { checkDatabaseAtStartup, recordRecovery, type StartupCheck } from '../domain/safety/restore.ts';
import { registerAppScheme, serveRenderer } from './app-protocol.ts';
import { createSyncScheduler, type SyncScheduler } from '../app/services/periodic-sync.ts';
import { sendDueByRule } from '../app/services/rule-sends.ts';
import { syncDueSources } from '../app/services/sync-scheduler.ts';
import { forwardEvents, registerIpc } from './ipc.ts';
import { createInFlightTracker, createShutdown } from './lifecycle/shutdown.ts';
import { createFileLogger, logCrashes, routeConsoleThroughLogger, type Logger } from './logging/log-file.ts';
import { createRedactor } from './logging/redact.ts';
import { buildMenuTemplate } from './menu-template.ts';
import { electronNativeBridge } from './native-bridge.ts';
import { refreshBadge, sendDigestIfDue } from './notifications.ts';
import { electronPreferencesStore } from './preferences-store.ts';
import { createEncryptedSecretStore } from './secrets/encrypted-secret-store.ts';
import { safeStorageCipher } from './secrets/safe-storage.ts';
import { denyAllPermissions, guardAllWebContents } from './security/session.ts';
import { captureWindowState, initialWindowState } from './window-state.ts';
import { createMainWindow } from './window.ts';

const outDir = join(import.meta.dirname, '..');
const HOUSEKEEPING_MS = 10 * 60_000;
const ONLINE_POLL_MS = 60_000;
const SYNC_TICK_MS = 60_000;

let mainWindow: BrowserWindow | null = null;
let accepting = true;
let closedCleanly = false;
const tracker = createInFlightTracker();
const redactor = createRedactor();

// Tests and portable installs can keep all state in one folder; must be set before 'ready'.
if (process.env.FORESIGHT_USER_DATA_DIR) app.setPath('userData', process.env.FORESIGHT_USER_DATA_DIR);

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error('[main] start-up failed:', error);
      dialog.showErrorBox('Foresight could not start', error instanceof Error ? error.message : String(error));
      app.exit(1);
    });
}

async function start(): Promise<void> {
  const logger = createFileLogger({
    dir: app.getPath('logs'),
    redactor,
    echo: (level, line) => (level === 'error' ? process.stderr : process.stdout).write(`${line}\n`),
  });
  routeConsoleThroughLogger(logger);
  logCrashes(logger);
  if (process.platform === 'win32') app.setAppUserModelId('app.foresight.desktop');

  const preferences = electronPreferencesStore((message) => logger.warn(message));
  const allowedHosts = () => preferences.get().externalLinks.allowedHosts;
  denyAllPermissions();
  guardAllWebContents(allowedHosts, (message) => logger.warn(message));
  serveRenderer(join(outDir, 'renderer'));
  nativeTheme.themeSource = preferences.get().theme;

  const dbArg = process.argv.find((arg) => arg.startsWith('--db='))?.slice('--db='.length);
  const dbPath = resolveDbPath(dbArg);
  const startup = checkDatabaseAtStartup(dbPath, { now: new Date() });
  if (startup.status !== 'ok' && startup.status !== 'new') logger.warn(`[safety] ${startup.notice.message}`);

  const secrets = await createEncryptedSecretStore({
    file: join(app.getPath('userData'), 'secrets.json'),
    cipher: safeStorageCipher(),
    redactor,
    confirmWeakStorage: () => confirmWeakSecretStorage(preferences),
  });
  if (secrets.needsConsent)
    logger.warn(
      `[secrets] the OS offers only "${secrets.backend}" storage; the user will be asked before a token is stored.`,
    );

  const appCore = createApp({
    dbPath,
    createParents: true,
    secrets,
    native: electronNativeBridge(() => mainWindow),
    log: (message) => logger.error(message),
  });
  attachPreferences(appCore.ctx, preferences);
  // Kept in the database so Settings can show it later; a damaged file may refuse the write.
  if (startup.status === 'recovered' || startup.status === 'damaged')
    safely(logger, () => recordRecovery(appCore.ctx.db, startup.notice));

  registerIpc(appCore.dispatch, () => mainWindow, { track: (work) => tracker.track(work), accepting: () => accepting });
  forwardEvents(appCore.subscribe, () => mainWindow);
  const navigate = (to: string) => {
    showWindow();
    appCore.ctx.emit({ type: 'navigate', to });
  };
  const backUpNow = () =>
    void tracker
      .track(createBackup(appCore.ctx.db, { dbPath: appCore.ctx.dbPath, now: new Date(), kind: 'manual' }))
      .then((result) => notifyBackup(`Backed up to ${result.path}.`))
      .catch((error: unknown) =>
        dialog.showErrorBox('Backup failed', error instanceof Error ? error.message : String(error)),
      );
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        platform: process.platform,
        isPackaged: app.isPackaged,
        appName: app.name,
        actions: {
          navigate,
          backUpNow,
          openBackupsFolder: () => void shell.openPath(backupsDirFor(appCore.ctx.dbPath)),
          openLogsFolder: () => void shell.openPath(app.getPath('logs')),
        },
      }),
    ),
  );

  mainWindow = openMainWindow(preferences, logger);
  if (startup.status === 'recovered' || startup.status === 'damaged') void showStartupNotice(startup);

  const syncScheduler = startBackgroundSync(appCore, preferences, logger);
  const housekeeping = () => runHousekeeping(appCore, preferences, logger, () => navigate('/today'));
  const housekeepingTimer = setInterval(housekeeping, HOUSEKEEPING_MS);
  powerMonitor.on('resume', () => {
    housekeeping();
    syncScheduler?.notifyOnline();
  });
  let badgeTimer: NodeJS.Timeout | null = null;
  appCore.subscribe((event) => {
    if (event.type !== 'data-changed') return;
    if (badgeTimer) clearTimeout(badgeTimer);
    badgeTimer = setTimeout(
      () => safely(logger, () => refreshBadge(appCore.ctx.db, preferences.get(), new Date())),
      2_000,
    );
  });
  preferences.onChange((next, previous) => {
    if (next.theme !== previous.theme) nativeTheme.themeSource = next.theme;
    if (next.sync !== previous.sync) syncScheduler?.reschedule();
    if (next.notifications !== previous.notifications || next.identity !== previous.identity)
      safely(logger, () => refreshBadge(appCore.ctx.db, next, new Date()));
  });

  const shutdown = createShutdown({
    stopAccepting: () => {
      accepting = false;
      clearInterval(housekeepingTimer);
      if (badgeTimer) clearTimeout(badgeTimer);
    },
    stopBackground: async () => {
      await syncScheduler?.stop();
    },
    tracker,
    closeDatabase: () => appCore.close(),
    log: (message) => logger.warn(message),
  });
  app.on('before-quit', (event) => {
    if (closedCleanly) return;
    event.preventDefault();
    void shutdown().finally(() => {
      closedCleanly = true;
      app.quit();
    });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  await loadDemoOnFirstLaunch(appCore.ctx);
  housekeeping();
}

function openMainWindow(preferences: PreferencesStore, logger: Logger): BrowserWindow {
  const saved = preferences.get();
  const window = createMainWindow({
    preloadPath: join(outDir, 'preload', 'index.cjs'),
    initial: initialWindowState(
      saved.window,
      screen.getAllDisplays().map((display) => display.workArea),
    ),
    hash: saved.lastScreen,
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#111318' : '#ffffff',
    devTools: !app.isPackaged,
    allowedLinkHosts: () => preferences.get().externalLinks.allowedHosts,
    log: (message) => logger.warn(message),
  });
  let saveTimer: NodeJS.Timeout | null = null;
  const saveState = () => {
    if (window.isDestroyed()) return;
    safely(logger, () => preferences.setInternal('window', captureWindowState(window)));
  };
  const saveSoon = () => {
    if (saveTimer) clearTimeout(saveTimer);
    saveTimer = setTimeout(saveState, 500);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize', 'enter-full-screen', 'leave-full-screen'] as const)
    window.on(event as 'resize', saveSoon);
  window.on('close', () => {
    if (saveTimer) clearTimeout(saveTimer);
    saveState();
  });
  window.on('closed', () => {
    mainWindow = null;
  });
  window.webContents.on('did-navigate-in-page', (_event, url) => {
    const hash = new URL(url).hash;
    if (lastScreenSchema.safeParse(hash).success) safely(logger, () => preferences.setInternal('lastScreen', hash));
  });
  return window;
}

function showWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

function notifyBackup(message: string): void {
  if (mainWindow) void dialog.showMessageBox(mainWindow, { type: 'info', message: 'Backup complete', detail: message });
}

async function showStartupNotice(startup: Extract<StartupCheck, { notice: unknown }>): Promise<void> {
  const options = {
    type: 'warning' as const,
    message:
      startup.status === 'recovered'
        ? 'Foresight restored your data from a backup'
        : 'Foresight found a problem with its database',
    detail: startup.notice.message,
    buttons: ['OK'],
  };
  if (mainWindow) await dialog.showMessageBox(mainWindow, options);
  else await dialog.showMessageBox(options);
}

async function confirmWeakSecretStorage(preferences: PreferencesStore): Promise<boolean> {
  if (preferences.get().secrets.allowBasicTextStorage) return true;
  const options = {
    type: 'warning' as const,
    buttons: ['Store Anyway', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    message: 'No system keyring is available',
    detail:
      'Foresight could not find a password manager (such as GNOME Keyring or KWallet) on this computer, so the feed token could only be stored obfuscated with a fixed key that other programs running as you could undo. Store it anyway?',
  };
  const { response } = mainWindow
    ? await dialog.showMessageBox(mainWindow, options)
    : await dialog.showMessageBox(options);
  if (response !== 0) return false;
  preferences.setInternal('secrets', { allowBasicTextStorage: true });
  return true;
}

function startBackgroundSync(appCore: App, preferences: PreferencesStore, logger: Logger): SyncScheduler | null {
  // Ticks every minute so a failing source is retried when its backoff ends; each source is synced
  // once per the user's interval (syncDueSources decides which are due).
  const scheduler = createSyncScheduler({
    intervalMs: () => SYNC_TICK_MS,
    enabled: () => preferences.get().sync.enabled,
    isOnline: () => net.isOnline(),
    runSync: async () => {
      // Steps sent by rule that may go now, and mail queued while offline, go out on each tick (which
      // also runs when the network returns).
      await sendDueByRule(appCore.ctx).catch((error: unknown) =>
        logger.warn(`Mail and steps sent by rule: ${String(error)}`),
      );
      try {
        await tracker.track(syncDueSources(appCore.ctx, preferences.get().sync.intervalMinutes * 60_000));
      } catch (error) {
        // The user started a sync by hand: not a failure of the timer.
        if (!hasErrorCode(error, 'SYNC_RUNNING')) throw error;
      }
    },
    log: (message) => logger.warn(message),
  });
  scheduler.start();
  let wasOnline = net.isOnline();
  const poll = setInterval(() => {
    const online = net.isOnline();
    if (online && !wasOnline) scheduler.notifyOnline();
    wasOnline = online;
  }, ONLINE_POLL_MS);
  poll.unref();
  return scheduler;
}

function runHousekeeping(appCore: App, preferences: PreferencesStore, logger: Logger, openToday: () => void): void {
  if (!accepting) return;
  const now = new Date();
  void tracker
    .track(backupIfDue(appCore.ctx.db, { dbPath: appCore.ctx.dbPath, now }))
    .then((result) => result && logger.info(`[safety] daily backup written to ${result.path}`))
    .catch((error: unknown) => logger.error('[safety] daily backup failed:', error));
  safely(logger, () => sendDigestIfDue(appCore.ctx.db, preferences.get(), now, openToday));
  safely(logger, () => refreshBadge(appCore.ctx.db, preferences.get(), now));
}

function safely(logger: Logger, work: () => unknown): void {
  try {
    work();
  } catch (error) {
    logger.error('[main]', error);
  }
}
