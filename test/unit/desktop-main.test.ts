/**
 * Electron main, wired end to end in Node: the real src/main/index.ts against a stand-in for the
 * electron module (no binary here), a real database and real backups. What it checks is our
 * configuration and wiring: the order of start-up, what is registered, and what happens on quit.
 */
import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

const h = await vi.hoisted(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const root = mkdtempSync(join(tmpdir(), 'foresight-main-'));
  class Emitter {
    listeners = new Map<string, Listener[]>();
    on(event: string, listener: Listener) {
      this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
      return this;
    }
    once(event: string, listener: Listener) {
      return this.on(event, listener);
    }
    emit(event: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(event) ?? []) listener(...args);
    }
  }
  let resolveReady!: () => void;
  return {
    root,
    Emitter,
    order: [] as string[],
    lock: true,
    ready: new Promise<void>((resolve) => (resolveReady = resolve)),
    resolveReady: () => resolveReady(),
    app: new Emitter(),
    windows: [] as {
      options: Record<string, unknown>;
      webContents: Emitter & { sent: unknown[][]; mainFrame: { url: string } };
      shown: number;
      focused: number;
      loaded: string[];
    }[],
    handled: new Map<string, Listener>(),
    ipc: new Map<string, Listener>(),
    permission: {} as Record<string, Listener>,
    dialogs: [] as { message?: string; detail?: string }[],
    notifications: [] as (Emitter & { options: { title: string; body: string } })[],
    badge: [] as number[],
    menus: 0,
    quitCalls: 0,
    theme: { themeSource: 'system', shouldUseDarkColors: false },
  };
});

vi.mock('electron', () => {
  class FakeWebContents extends h.Emitter {
    sent: unknown[][] = [];
    mainFrame = { url: 'foresight://app/index.html' };
    setWindowOpenHandler() {}
    getType() {
      return 'window';
    }
    send(...args: unknown[]) {
      this.sent.push(args);
    }
  }
  class BrowserWindow extends h.Emitter {
    webContents = new FakeWebContents();
    record: (typeof h.windows)[number];
    constructor(options: Record<string, unknown>) {
      super();
      h.order.push('window');
      this.record = { options, webContents: this.webContents, shown: 0, focused: 0, loaded: [] };
      h.windows.push(this.record);
    }
    loadURL(url: string) {
      this.record.loaded.push(url);
      return Promise.resolve();
    }
    isMinimized() {
      return false;
    }
    isDestroyed() {
      return false;
    }
    restore() {}
    show() {
      this.record.shown++;
    }
    focus() {
      this.record.focused++;
    }
    maximize() {}
    setFullScreen() {}
    getNormalBounds() {
      return { x: 10, y: 10, width: 1200, height: 800 };
    }
    isMaximized() {
      return false;
    }
    isFullScreen() {
      return false;
    }
  }
  class Notification extends h.Emitter {
    options: { title: string; body: string };
    static isSupported() {
      return true;
    }
    constructor(options: { title: string; body: string }) {
      super();
      this.options = options;
    }
    show() {
      h.notifications.push(this as never);
    }
  }
  return {
    app: Object.assign(h.app, {
      name: 'Foresight',
      isPackaged: true,
      setPath: () => {},
      getPath: (name: string) => `${h.root}/${name}`,
      requestSingleInstanceLock: () => (h.order.push('lock'), h.lock),
      whenReady: () => h.ready,
      quit: () => {
        h.quitCalls++;
        const event = { preventDefault: () => (event.prevented = true), prevented: false };
        h.app.emit('before-quit', event);
      },
      exit: () => {},
      setBadgeCount: (n: number) => h.badge.push(n),
      setAppUserModelId: () => {},
    }),
    BrowserWindow,
    Notification,
    Menu: { buildFromTemplate: (t: unknown) => ({ t, popup() {} }), setApplicationMenu: () => h.menus++ },
    nativeTheme: h.theme,
    net: { isOnline: () => true },
    powerMonitor: { on: () => {} },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    shell: { openExternal: async () => {}, openPath: async () => '' },
    dialog: {
      showMessageBox: async (_w: unknown, options: { message?: string; detail?: string }) => (
        h.dialogs.push(options),
        { response: 0 }
      ),
      showErrorBox: (message: string, detail: string) => h.dialogs.push({ message, detail }),
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
      showSaveDialog: async () => ({ canceled: true }),
    },
    protocol: {
      registerSchemesAsPrivileged: () => h.order.push('scheme'),
      handle: (scheme: string, handler: Listener) => h.handled.set(scheme, handler),
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (l: Listener) => (h.permission.request = l),
        setPermissionCheckHandler: (l: Listener) => (h.permission.check = l),
        setDevicePermissionHandler: (l: Listener) => (h.permission.device = l),
        setDisplayMediaRequestHandler: (l: Listener) => (h.permission.display = l),
      },
    },
    ipcMain: { handle: (channel: string, l: Listener) => h.ipc.set(channel, l) },
    safeStorage: {
      getSelectedStorageBackend: () => 'gnome_libsecret',
      isAsyncEncryptionAvailable: async () => true,
      isEncryptionAvailable: () => true,
      encryptStringAsync: async (s: string) => Buffer.from(s).reverse(),
      decryptStringAsync: async (b: Buffer) => ({
        result: Buffer.from(b).reverse().toString(),
        shouldReEncrypt: false,
      }),
      encryptString: (s: string) => Buffer.from(s).reverse(),
      decryptString: (b: Buffer) => Buffer.from(b).reverse().toString(),
    },
  };
});

// electron-store's own tests are in desktop-preferences.test.ts; here it is an in-memory stand-in.
vi.mock('electron-store', () => ({
  default: class {
    store: unknown;
    path = '/dev/null';
    constructor(options: { defaults: { notifications: object } }) {
      // Digest at midnight, so it is due whatever the time of day the test runs.
      this.store = {
        ...structuredClone(options.defaults),
        notifications: { ...options.defaults.notifications, digestTime: '00:00' },
      };
    }
  },
}));

const dbPath = join(h.root, 'data', 'foresight.db');

afterAll(() => rmSync(h.root, { recursive: true, force: true }));

/** A database with a good backup, then damaged: start-up must restore it. */
async function prepareDamagedDatabase(): Promise<void> {
  const { openDatabase, closeDatabase } = await import('../../src/domain/db/open.ts');
  const { createBackup } = await import('../../src/domain/safety/backup.ts');
  mkdirSync(join(h.root, 'data'), { recursive: true });
  const { db } = openDatabase(dbPath, { create: true });
  const insert = db.prepare(
    "INSERT INTO accounts (account_id, name, owner_email, arr, currency, status) VALUES (?, ?, 'me@example.com', 100000, 'USD', 'active')",
  );
  for (let i = 0; i < 200; i++) insert.run(`acc_${i}`, `Customer ${i} ${'x'.repeat(60)}`);
  const now = new Date();
  const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
  const item =
    db.prepare(`INSERT INTO risk_items (account_id, trigger_id, status, priority, tier, evidence, first_fired_on, last_fired_on, status_changed_at, created_at, updated_at)
    VALUES (?, 'usage_drop', 'open', 1, 'human', 'x', ?, ?, 't', 't', 't')`);
  for (let i = 0; i < 5; i++) item.run(`acc_${i}`, today, today);
  await createBackup(db, { dbPath, now: new Date(Date.now() - 26 * 3_600_000), kind: 'manual' });
  closeDatabase(db);
  const probe = new Database(dbPath, { readonly: true });
  const { rootpage } = probe.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'accounts'").get() as {
    rootpage: number;
  };
  const pageSize = probe.pragma('page_size', { simple: true }) as number;
  probe.close();
  const fd = openSync(dbPath, 'r+');
  writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, (rootpage - 1) * pageSize);
  closeSync(fd);
}

describe('Electron main process (electron stood in)', () => {
  it('registers the scheme and takes the single-instance lock before the app is ready', async () => {
    await prepareDamagedDatabase();
    process.argv.push(`--db=${dbPath}`);
    await import('../../src/main/index.ts');
    expect(h.order).toEqual(['scheme', 'lock']);
    expect(h.windows).toHaveLength(0);
  });

  it('on ready: checks the database and restores the damaged file from its backup, telling the user what and from when', async () => {
    h.resolveReady();
    await vi.waitFor(() => expect(h.badge.length).toBeGreaterThan(0), { timeout: 10_000 });
    const notice = h.dialogs.find((d) => d.message === 'Foresight restored your data from a backup');
    expect(notice?.detail).toMatch(/restored the backup taken \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    expect(readdirSync(join(h.root, 'data')).some((f) => f.startsWith('foresight.db.damaged-'))).toBe(true);
  });

  it('installs the permission deny-all, the protocol with its CSP, the one IPC handler and the menu', async () => {
    const callback = vi.fn();
    h.permission.request!({}, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(h.permission.check!({}, 'notifications')).toBe(false);
    const response = (await h.handled.get('foresight')!(new Request('foresight://app/index.html'))) as Response;
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect([...h.ipc.keys()]).toEqual(['foresight:call']);
    expect(h.menus).toBe(1);
    expect(h.windows).toHaveLength(1);
    expect(h.windows[0]!.loaded).toEqual(['foresight://app/index.html#/today']);
  });

  it('answers the renderer over IPC, and applies the theme preference to nativeTheme', async () => {
    const window = h.windows[0]!;
    const call = (method: string, input: unknown) =>
      h.ipc.get('foresight:call')!(
        { sender: window.webContents, senderFrame: window.webContents.mainFrame },
        method,
        input,
      ) as Promise<{ ok: boolean; value?: unknown }>;
    expect(await call('backups.list', {})).toMatchObject({
      ok: true,
      value: { lastRecovery: { kind: 'restored-damaged' }, canChooseFile: true },
    });
    expect(await call('preferences.set', { theme: 'dark' })).toMatchObject({
      ok: true,
      value: { persistence: 'desktop', secretsEncrypted: true },
    });
    expect(h.theme.themeSource).toBe('dark');
  });

  it('takes the daily backup, sets the badge to the open high-priority items, and sends the digest', async () => {
    const scheduled = () => readdirSync(join(h.root, 'data', 'backups')).filter((f) => f.endsWith('Z.db'));
    await vi.waitFor(() => expect(scheduled()).toHaveLength(1));
    expect(h.badge.at(-1)).toBe(5);
    expect(h.notifications).toHaveLength(1);
    expect(h.notifications[0]!.options.body).toBe('5 new at-risk accounts ($500K ARR)');
    expect(h.notifications[0]!.options.title).toBe('Your Foresight morning digest');
  });

  it('clicking the digest opens Today', () => {
    const window = h.windows[0]!;
    window.webContents.sent.length = 0;
    h.notifications[0]!.emit('click');
    expect(window.webContents.sent).toContainEqual(['foresight:event', { type: 'navigate', to: '/today' }]);
    expect(window.shown).toBeGreaterThan(0);
  });

  it('a second launch focuses the first window', () => {
    const window = h.windows[0]!;
    const focused = window.focused;
    h.app.emit('second-instance');
    expect(window.focused).toBe(focused + 1);
  });

  it('quits gracefully: holds the quit, finishes, checkpoints the WAL and closes the database, then quits', async () => {
    expect(existsSync(`${dbPath}-wal`)).toBe(true);
    const event = {
      prevented: false,
      preventDefault() {
        this.prevented = true;
      },
    };
    h.app.emit('before-quit', event);
    expect(event.prevented).toBe(true);
    await vi.waitFor(() => expect(h.quitCalls).toBe(1));
    // closeDatabase folded the WAL back in: one file, nothing pending.
    expect(existsSync(`${dbPath}-wal`)).toBe(false);
    const db = new Database(dbPath, { readonly: true });
    expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('a second instance that does not get the lock quits without opening anything', async () => {
    vi.resetModules();
    h.lock = false;
    h.order.length = 0;
    const windows = h.windows.length;
    const quits = h.quitCalls;
    await import('../../src/main/index.ts');
    expect(h.order).toEqual(['scheme', 'lock']);
    expect(h.quitCalls).toBe(quits + 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(h.windows).toHaveLength(windows);
  });
});
