import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createDispatcher } from '../../src/app/dispatcher.ts';
import { handlers } from '../../src/app/handlers/index.ts';
import { createApp } from '../../src/app/create-app.ts';
import { IPC_CALL } from '../../src/shared/api.ts';
import { join } from 'node:path';

type Handler = (
  event: unknown,
  method: unknown,
  input: unknown,
) => Promise<{ ok: boolean; error?: { code: string }; value?: unknown }>;
const electron = vi.hoisted(() => ({ handlers: new Map<string, Handler>() }));
vi.mock('electron', () => ({
  ipcMain: { handle: (channel: string, handler: Handler) => electron.handlers.set(channel, handler) },
}));

const { registerIpc, isTrustedSender } = await import('../../src/main/ipc.ts');

function fakeWindow(url = 'foresight://app/index.html#/today') {
  const mainFrame = { url };
  const webContents = { mainFrame };
  return { webContents, isDestroyed: () => false };
}

describe('IPC', () => {
  const window = fakeWindow();
  // One database for the whole suite (tempDir() would remove it after the first test).
  const dir = mkdtempSync(join(tmpdir(), 'foresight-ipc-'));
  const app = createApp({ dbPath: join(dir, 'f.db') });
  afterAll(() => {
    app.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const dispatch = vi.fn(createDispatcher(handlers, app.ctx, () => {}));
  registerIpc(dispatch, () => window as never);
  const handle = electron.handlers.get(IPC_CALL)!;
  const own = { sender: window.webContents, senderFrame: window.webContents.mainFrame };

  it('answers our own top frame on foresight://app', async () => {
    const result = await handle(own, 'app.status', {});
    expect(result.ok).toBe(true);
  });

  it('validates senderFrame on every call: other frames, other web contents, other origins and missing frames are refused', async () => {
    dispatch.mockClear();
    const forged = [
      { sender: window.webContents, senderFrame: { url: 'foresight://app/index.html' } }, // a sub-frame
      { sender: {}, senderFrame: window.webContents.mainFrame }, // another web contents
      { sender: window.webContents, senderFrame: null }, // frame gone
    ];
    for (const event of forged) expect((await handle(event, 'app.status', {})).error?.code).toBe('FORBIDDEN');
    // The same window after navigating elsewhere (were navigation ever allowed).
    window.webContents.mainFrame.url = 'https://evil.example/';
    expect((await handle(own, 'app.status', {})).error?.code).toBe('FORBIDDEN');
    window.webContents.mainFrame.url = 'file:///index.html';
    expect((await handle(own, 'app.status', {})).error?.code).toBe('FORBIDDEN');
    window.webContents.mainFrame.url = 'foresight://app/index.html';
    expect(dispatch).not.toHaveBeenCalled();
    expect(isTrustedSender(own as never, null)).toBe(false);
  });

  it('schema-validates every input: unknown methods, wrong types and extra keys are refused before any handler runs', async () => {
    expect((await handle(own, 'fs.readFile', { path: '/etc/passwd' })).error?.code).toBe('UNKNOWN_METHOD');
    expect((await handle(own, 'accounts.list', { limit: 'all' })).error?.code).toBe('INVALID_INPUT');
    expect((await handle(own, 'accounts.list', { search: 'a', __proto__: { x: 1 }, extra: true })).error?.code).toBe(
      'INVALID_INPUT',
    );
    expect((await handle(own, 'preferences.set', { theme: 'neon' })).error?.code).toBe('INVALID_INPUT');
    expect((await handle(own, 'backups.restore', { id: '../../etc/passwd' })).error?.code).toBe('INVALID_INPUT');
    expect((await handle(own, 'backups.restore', { path: '/tmp/x.db' })).error?.code).toBe('INVALID_INPUT');
    expect((await handle(own, { toString: () => 'app.status' }, {})).error?.code).toBe('UNKNOWN_METHOD');
  });

  it('every method in the contract has an input schema (there is no unvalidated call)', async () => {
    const { apiContract } = await import('../../src/shared/api.ts');
    for (const [method, entry] of Object.entries(apiContract)) {
      expect(typeof (entry.input as { safeParse?: unknown }).safeParse, method).toBe('function');
    }
  });

  it('refuses calls once quitting has begun, and lets shutdown track the calls in flight', async () => {
    const tracked: Promise<unknown>[] = [];
    let accepting = true;
    electron.handlers.clear();
    registerIpc(dispatch, () => window as never, {
      track: (work) => (tracked.push(work), work),
      accepting: () => accepting,
    });
    const handleTracked = electron.handlers.get(IPC_CALL)!;
    await handleTracked(own, 'app.status', {});
    expect(tracked).toHaveLength(1);
    accepting = false;
    expect((await handleTracked(own, 'app.status', {})).error?.code).toBe('APP_CLOSING');
  });
});
