/** Electron main: thin adapters around the same app core the CLI and the web preview use. */
import { app, BrowserWindow, session } from 'electron';
import { join } from 'node:path';
import { createApp, type App } from '../app/create-app.ts';
import { loadDemoOnFirstLaunch } from '../app/services/first-launch.ts';
import { resolveDbPath } from '../domain/db/paths.ts';
import { registerAppScheme, serveRenderer } from './app-protocol.ts';
import { forwardEvents, registerIpc } from './ipc.ts';
import { createMainWindow } from './window.ts';

const outDir = join(import.meta.dirname, '..');
let mainWindow: BrowserWindow | null = null;
let core: App | null = null;

registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.whenReady().then(async () => {
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    serveRenderer(join(outDir, 'renderer'));
    const dbArg = process.argv.find((arg) => arg.startsWith('--db='))?.slice('--db='.length);
    core = createApp({ dbPath: resolveDbPath(dbArg), createParents: true });
    registerIpc(core.dispatch, () => mainWindow);
    forwardEvents(core.subscribe, () => mainWindow);
    mainWindow = createMainWindow(outDir);
    await loadDemoOnFirstLaunch(core.ctx);
  });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => core?.close());
}
