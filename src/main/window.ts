import { BrowserWindow, Menu, shell, type WebContents } from 'electron';
import { editContextMenuTemplate } from './menu-template.ts';
import { decideExternalLink } from './security/external-links.ts';
import { APP_ENTRY_URL } from './security/origin.ts';
import { MIN_SIZE, type InitialWindowState } from './window-state.ts';

export interface MainWindowOptions {
  preloadPath: string;
  initial: InitialWindowState;
  /** The route to open, e.g. "#/accounts" (validated by the preferences schema). */
  hash: string;
  backgroundColor: string;
  /** Devtools only in development builds. */
  devTools: boolean;
  allowedLinkHosts(): readonly string[];
  log(message: string): void;
}

/**
 * The one window. Its webPreferences are written out literally (not built by a helper) so that both
 * the unit test and Electronegativity's static checks see exactly what the window gets.
 */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    ...options.initial.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Foresight',
    backgroundColor: options.backgroundColor,
    webPreferences: {
      preload: options.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      disableBlinkFeatures: 'Auxclick',
      safeDialogs: true,
      spellcheck: true,
      devTools: options.devTools,
    },
  });
  window.once('ready-to-show', () => {
    if (options.initial.maximized) window.maximize();
    if (options.initial.fullScreen) window.setFullScreen(true);
    window.show();
  });
  guardNavigation(window.webContents, options.allowedLinkHosts, options.log);
  window.webContents.on('context-menu', (_event, params) => {
    const template = editContextMenuTemplate(params);
    if (template) Menu.buildFromTemplate(template).popup({ window });
  });
  void window.loadURL(`${APP_ENTRY_URL}${options.hash}`);
  return window;
}

/**
 * The app is one page: it never navigates and never opens windows. A link the user clicks may
 * leave for the browser or mail client only if it passes the allow-list (mailto: and the https
 * hosts in preferences); everything else is denied and logged.
 */
const guarded = new WeakSet<WebContents>();

export function guardNavigation(
  contents: WebContents,
  allowedLinkHosts: () => readonly string[],
  log: (message: string) => void,
): void {
  // Applied both when a window is made and app-wide on 'web-contents-created'; once is enough.
  if (guarded.has(contents)) return;
  guarded.add(contents);
  const offerExternally = (url: string) => {
    const decision = decideExternalLink(url, allowedLinkHosts());
    if (decision.allowed) void shell.openExternal(decision.url);
    else log(`[security] blocked link (${decision.reason})`);
  };
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    offerExternally(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    offerExternally(url);
    return { action: 'deny' };
  });
}
