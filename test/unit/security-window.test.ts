import { beforeEach, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

const electron = vi.hoisted(() => {
  class FakeWebContents {
    listeners = new Map<string, Listener[]>();
    windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
    type = 'window';
    on(event: string, listener: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    emit(event: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(event) ?? []) listener(...args);
    }
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.windowOpenHandler = handler;
    }
    getType() {
      return this.type;
    }
  }
  const state = {
    windows: [] as { options: Record<string, unknown>; loaded: string[]; webContents: FakeWebContents }[],
    opened: [] as string[],
    appListeners: new Map<string, Listener>(),
    permission: null as null | { request: Listener; check: Listener; device: Listener; display: Listener },
    FakeWebContents,
  };
  return state;
});

vi.mock('electron', () => {
  class BrowserWindow {
    webContents = new electron.FakeWebContents();
    loaded: string[] = [];
    constructor(options: Record<string, unknown>) {
      electron.windows.push({ options, loaded: this.loaded, webContents: this.webContents });
    }
    once() {}
    on() {}
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
  }
  return {
    BrowserWindow,
    Menu: { buildFromTemplate: () => ({ popup: () => {} }) },
    shell: { openExternal: async (url: string) => void electron.opened.push(url) },
    app: { on: (event: string, listener: Listener) => electron.appListeners.set(event, listener) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (request: Listener) =>
          (electron.permission = { ...electron.permission!, request }),
        setPermissionCheckHandler: (check: Listener) => (electron.permission = { ...electron.permission!, check }),
        setDevicePermissionHandler: (device: Listener) => (electron.permission = { ...electron.permission!, device }),
        setDisplayMediaRequestHandler: (display: Listener) =>
          (electron.permission = { ...electron.permission!, display }),
      },
    },
  };
});

const { createMainWindow } = await import('../../src/main/window.ts');
const { denyAllPermissions, guardAllWebContents } = await import('../../src/main/security/session.ts');

const logs: string[] = [];
function makeWindow(allowedHosts: string[] = ['app.hubspot.com']) {
  createMainWindow({
    preloadPath: '/app/out/preload/index.cjs',
    initial: { bounds: { width: 1200, height: 800 }, maximized: false, fullScreen: false },
    hash: '#/accounts',
    backgroundColor: '#fff',
    devTools: false,
    allowedLinkHosts: () => allowedHosts,
    log: (message) => logs.push(message),
  });
  return electron.windows.at(-1)!;
}

beforeEach(() => {
  electron.opened.length = 0;
  logs.length = 0;
});

describe('the main window', () => {
  it('has the secure webPreferences of the checklist', () => {
    const { options } = makeWindow();
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      devTools: false,
    });
    expect(options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
  });

  it('loads the app from the custom protocol, never file://', () => {
    const { loaded } = makeWindow();
    expect(loaded).toEqual(['foresight://app/index.html#/accounts']);
  });

  it('denies every navigation, and hands only allowed links to the OS', () => {
    const { webContents } = makeWindow();
    for (const url of [
      'https://evil.example/',
      'file:///etc/passwd',
      'foresight://app/index.html',
      'https://app.hubspot.com/contacts',
    ]) {
      const event = { preventDefault: vi.fn() };
      webContents.emit('will-navigate', event, url);
      expect(event.preventDefault, url).toHaveBeenCalled();
    }
    expect(electron.opened).toEqual(['https://app.hubspot.com/contacts']);
    expect(logs.filter((l) => l.includes('blocked link'))).toHaveLength(3);
  });

  it('denies window.open, opening only mailto: and allowed https links externally', () => {
    const { webContents } = makeWindow();
    const handler = webContents.windowOpenHandler!;
    expect(handler({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'mailto:jane@acme.example' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'https://app.hubspot.com/x' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(electron.opened).toEqual(['mailto:jane@acme.example', 'https://app.hubspot.com/x']);
  });

  it('refuses webviews and redirects', () => {
    const { webContents } = makeWindow();
    for (const event of ['will-attach-webview', 'will-redirect']) {
      const e = { preventDefault: vi.fn() };
      webContents.emit(event, e, 'https://evil.example/');
      expect(e.preventDefault, event).toHaveBeenCalled();
    }
  });

  it('applies the same rules to any other web contents, once', () => {
    guardAllWebContents(
      () => [],
      () => {},
    );
    const contents = new electron.FakeWebContents();
    electron.appListeners.get('web-contents-created')!({}, contents);
    electron.appListeners.get('web-contents-created')!({}, contents);
    expect(contents.listeners.get('will-navigate')).toHaveLength(1);
    expect(contents.windowOpenHandler!({ url: 'https://x.example/' })).toEqual({ action: 'deny' });
  });
});

describe('permissions', () => {
  it('denies every permission request and every permission check', () => {
    denyAllPermissions();
    const { request, check, device, display } = electron.permission!;
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'midi',
      'fullscreen',
      'openExternal',
      'hid',
      'serial',
      'usb',
    ]) {
      const callback = vi.fn();
      request({}, permission, callback, { requestingUrl: 'foresight://app/index.html' });
      expect(callback, permission).toHaveBeenCalledWith(false);
      expect(check({}, permission, 'foresight://app', {})).toBe(false);
    }
    expect(device({ deviceType: 'usb' })).toBe(false);
    const displayCallback = vi.fn();
    display({}, displayCallback);
    expect(displayCallback).toHaveBeenCalledWith(null);
  });
});

describe('the one granted permission', () => {
  it('lets only our own page write plain text to the clipboard', () => {
    denyAllPermissions();
    const { request, check } = electron.permission!;
    const granted = vi.fn();
    request({}, 'clipboard-sanitized-write', granted, { requestingUrl: 'foresight://app/index.html' });
    expect(granted).toHaveBeenCalledWith(true);
    expect(check({}, 'clipboard-sanitized-write', 'foresight://app', {})).toBe(true);
    for (const origin of ['https://evil.example', 'file:///etc/passwd', 'foresight://other']) {
      const refused = vi.fn();
      request({}, 'clipboard-sanitized-write', refused, { requestingUrl: origin });
      expect(refused, origin).toHaveBeenCalledWith(false);
      expect(check({}, 'clipboard-sanitized-write', origin, {})).toBe(false);
    }
  });
});
