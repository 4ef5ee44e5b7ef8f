import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app/create-app.ts';
import { createDispatcher } from '../../src/app/dispatcher.ts';
import { handlers } from '../../src/app/handlers/index.ts';
import { inlineJobRunner } from '../../src/app/jobs/runner.ts';
import { attachPreferences, createPreferencesStore } from '../../src/app/preferences.ts';
import { closeDatabase } from '../../src/domain/db/open.ts';
import { createBackup } from '../../src/domain/safety/backup.ts';
import type { NativeBridge } from '../../src/app/native.ts';
import { apiContract, isApiMethod } from '../../src/shared/api.ts';
import { createFileLogger, logCrashes, routeConsoleThroughLogger } from '../../src/main/logging/log-file.ts';
import { createRedactor, REDACTED } from '../../src/main/logging/redact.ts';
import { createEncryptedSecretStore, type StringCipher } from '../../src/main/secrets/encrypted-secret-store.ts';
import { tempDir } from '../support/temp.ts';

vi.mock('electron', () => ({ safeStorage: {} }));
const { safeStorageCipher } = await import('../../src/main/secrets/safe-storage.ts');

/** Behaves like safeStorage: real encryption with a key the test never writes down. */
function fakeCipher(backend = 'gnome_libsecret', available = true): StringCipher & { calls: string[] } {
  const key = randomBytes(32);
  const calls: string[] = [];
  return {
    backend,
    calls,
    isAvailable: async () => available,
    async encrypt(plain) {
      calls.push('encrypt');
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    async decrypt(data) {
      calls.push('decrypt');
      const buffer = Buffer.from(data);
      const decipher = createDecipheriv('aes-256-gcm', key, buffer.subarray(0, 12));
      decipher.setAuthTag(buffer.subarray(12, 28));
      return {
        value: Buffer.concat([decipher.update(buffer.subarray(28)), decipher.final()]).toString('utf8'),
        shouldReEncrypt: false,
      };
    },
  };
}

/**
 * A feed on loopback that insists on the canary as its bearer token: accounts come back as a page
 * of data, contacts are refused (401), the rest are empty. It never echoes the token.
 */
async function fakeFeed(token: string): Promise<{ url: string; requests: string[]; server: Server }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401).end();
    const kind = new URL(req.url ?? '/', 'http://x').pathname.split('/').pop();
    if (kind === 'contacts') return void res.writeHead(401).end();
    const items =
      kind === 'accounts' ? [{ account_id: 'feed_1', name: 'Feed Customer', arr: 5000, currency: 'USD' }] : [];
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ items, next_cursor: null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

/** Every file under `dir` whose bytes contain the canary in any common encoding. */
function filesContaining(dir: string, canary: string): string[] {
  const needles = [
    Buffer.from(canary, 'utf8'),
    Buffer.from(canary, 'utf16le'),
    Buffer.from(Buffer.from(canary).toString('base64')),
    Buffer.from(Buffer.from(canary).toString('hex')),
  ];
  const hits: string[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (needles.some((needle) => readFileSync(full).includes(needle))) hits.push(full);
    }
  };
  walk(dir);
  return hits;
}

describe('secret store on safeStorage', () => {
  it('stores ciphertext only, reads it back, and deletes it', async () => {
    const dir = tempDir();
    const file = join(dir, 'secrets.json');
    const store = await createEncryptedSecretStore({
      file,
      cipher: fakeCipher(),
      confirmWeakStorage: async () => true,
    });
    expect(store.isEncrypted).toBe(true);
    await store.set('feed:hubspot', 'pat-na1-0123456789abcdef');
    expect(readFileSync(file, 'utf8')).not.toContain('pat-na1');
    expect(await store.get('feed:hubspot')).toBe('pat-na1-0123456789abcdef');
    await store.delete('feed:hubspot');
    expect(await store.get('feed:hubspot')).toBeNull();
    expect(existsSync(file)).toBe(false);
  });

  it('on Linux basic_text, warns and asks before storing, and stores nothing when the user declines', async () => {
    const file = join(tempDir(), 'secrets.json');
    const ask = vi.fn(async () => false);
    const store = await createEncryptedSecretStore({ file, cipher: fakeCipher('basic_text'), confirmWeakStorage: ask });
    expect(store.isEncrypted).toBe(false);
    expect(store.needsConsent).toBe(true);
    await expect(store.set('feed:x', 'token-value-123')).rejects.toThrow(/not stored/);
    expect(ask).toHaveBeenCalledOnce();
    expect(existsSync(file)).toBe(false);
    ask.mockResolvedValueOnce(true);
    await store.set('feed:x', 'token-value-123');
    expect(await store.get('feed:x')).toBe('token-value-123');
  });

  it('refuses to store anything when the OS offers no encryption at all', async () => {
    const file = join(tempDir(), 'secrets.json');
    const store = await createEncryptedSecretStore({
      file,
      cipher: fakeCipher('unknown', false),
      confirmWeakStorage: async () => true,
    });
    await expect(store.set('feed:x', 'token-value-123')).rejects.toThrow(/no way to encrypt/);
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a cipher that returns the token in clear text', async () => {
    const file = join(tempDir(), 'secrets.json');
    const broken: StringCipher = {
      backend: 'keychain',
      isAvailable: async () => true,
      encrypt: async (p) => Buffer.from(`x${p}`),
      decrypt: async (d) => ({ value: Buffer.from(d).toString().slice(1), shouldReEncrypt: false }),
    };
    const store = await createEncryptedSecretStore({ file, cipher: broken, confirmWeakStorage: async () => true });
    await expect(store.set('feed:x', 'token-value-123')).rejects.toThrow(/clear text/);
    expect(existsSync(file)).toBe(false);
  });

  it('uses the asynchronous safeStorage API when present, and the deprecated sync API only as a fallback', async () => {
    const asyncApi = {
      getSelectedStorageBackend: () => 'kwallet6' as const,
      isEncryptionAvailable: vi.fn(() => true),
      isAsyncEncryptionAvailable: vi.fn(async () => true),
      encryptString: vi.fn((s: string) => Buffer.from(s)),
      decryptString: vi.fn((b: Buffer) => b.toString()),
      encryptStringAsync: vi.fn(async (s: string) => Buffer.from(s).reverse()),
      decryptStringAsync: vi.fn(async (b: Buffer) => ({
        result: Buffer.from(b).reverse().toString(),
        shouldReEncrypt: false,
      })),
    };
    const cipher = safeStorageCipher(asyncApi, 'linux');
    expect(cipher.backend).toBe('kwallet6');
    expect(await cipher.isAvailable()).toBe(true);
    expect((await cipher.decrypt(await cipher.encrypt('hello'))).value).toBe('hello');
    expect(asyncApi.encryptStringAsync).toHaveBeenCalled();
    expect(asyncApi.decryptStringAsync).toHaveBeenCalled();
    expect(asyncApi.encryptString).not.toHaveBeenCalled();
    expect(asyncApi.isEncryptionAvailable).not.toHaveBeenCalled();

    const { encryptStringAsync: _e, decryptStringAsync: _d, isAsyncEncryptionAvailable: _i, ...syncOnly } = asyncApi;
    const fallback = safeStorageCipher(syncOnly, 'darwin');
    expect(fallback.backend).toBe('keychain');
    expect((await fallback.decrypt(await fallback.encrypt('hi'))).value).toBe('hi');
    expect(asyncApi.encryptString).toHaveBeenCalled();
  });

  it('re-encrypts when safeStorage says the key was rotated', async () => {
    const file = join(tempDir(), 'secrets.json');
    const cipher = fakeCipher();
    const store = await createEncryptedSecretStore({ file, cipher, confirmWeakStorage: async () => true });
    await store.set('feed:x', 'token-value-123');
    const before = readFileSync(file, 'utf8');
    const original = cipher.decrypt.bind(cipher);
    cipher.decrypt = async (data) => ({ ...(await original(data)), shouldReEncrypt: true });
    expect(await store.get('feed:x')).toBe('token-value-123');
    expect(readFileSync(file, 'utf8')).not.toBe(before);
  });
});

describe('canary: no secret in clear text on disk', () => {
  const restore: (() => void)[] = [];
  afterEach(() => restore.splice(0).forEach((undo) => undo()));

  it('a token stored, synced with, logged, failed on, crashed on, exported and backed up never appears in the database, WAL, backups, exports, logs or preferences', async () => {
    const canary = `fs-canary-${randomBytes(12).toString('hex')}`;
    const root = tempDir();
    const dbPath = join(root, 'data', 'foresight.db');
    const redactor = createRedactor();
    const logger = createFileLogger({ dir: join(root, 'logs'), redactor });
    // The same console routing and crash logging main installs.
    restore.push(routeConsoleThroughLogger(logger));
    const fakeProcess = { on: vi.fn() } as unknown as NodeJS.Process;
    logCrashes(logger, fakeProcess);

    const secrets = await createEncryptedSecretStore({
      file: join(root, 'secrets.json'),
      cipher: fakeCipher(),
      confirmWeakStorage: async () => true,
      redactor,
    });
    // Exports that save through the native dialog land in root/exports, so the scan sees them.
    mkdirSync(join(root, 'exports'));
    const native: NativeBridge = {
      saveFile: async ({ defaultName, data }) => {
        const path = join(root, 'exports', defaultName.replace(/[\\/]/g, '_'));
        writeFileSync(path, data);
        return { saved: true, path };
      },
      chooseFiles: async () => [],
    };
    const app = createApp({ dbPath, createParents: true, secrets, jobs: inlineJobRunner(dbPath), native });
    const preferencesFile = join(root, 'preferences.json');
    attachPreferences(
      app.ctx,
      createPreferencesStore(
        {
          read: () => (existsSync(preferencesFile) ? JSON.parse(readFileSync(preferencesFile, 'utf8')) : {}),
          write: (p) => writeFileSync(preferencesFile, JSON.stringify(p)),
        },
        'desktop',
      ),
    );
    await secrets.set('feed:canary', canary);

    // Use it the way a feed sync does: read it back, call the API, fail with the token in the
    // message (as HTTP clients do with URLs and headers), crash with it, log it.
    const token = await app.ctx.secrets.get('feed:canary');
    expect(token).toBe(canary);
    const failing = createDispatcher(
      {
        ...handlers,
        'app.status': () => {
          throw new Error(`GET https://api.example/feed?token=${token} failed: 401 Bearer ${token}`);
        },
      },
      app.ctx,
    );
    expect((await failing('app.status', {})).ok).toBe(false);
    // A real feed sync through the sync capability's API, when it exists: the token is saved
    // through sources.save, resolved from the secret store and sent to a loopback feed.
    if (isApiMethod('sync.sources.save') && isApiMethod('sync.run')) {
      const feed = await fakeFeed(canary);
      restore.push(() => feed.server.close());
      expect(await app.dispatch('sync.sources.save', { name: 'crm', url: feed.url, token: canary })).toMatchObject({
        ok: true,
      });
      await app.dispatch('sync.run', {});
      // The sync really used the token: the feed's account arrived.
      expect(app.ctx.db.prepare("SELECT count(*) AS n FROM accounts WHERE account_id = 'feed_1'").get()).toEqual({
        n: 1,
      });
      expect(feed.requests.some((url) => url.startsWith('/v1/accounts'))).toBe(true);
      expect(feed.requests.some((url) => url.startsWith('/v1/contacts'))).toBe(true);
    }
    console.error('sync failed for token', token, { headers: { Authorization: `Bearer ${token}` } });
    console.log(`retrying with ${encodeURIComponent(token!)}`);
    const crash = (fakeProcess.on as ReturnType<typeof vi.fn>).mock.calls.find(
      ([event]) => event === 'uncaughtException',
    )![1] as (e: Error) => void;
    crash(new Error(`unexpected response for ${token}`));
    expect(await app.dispatch('preferences.set', { identity: { ownerEmail: 'csm@example.com' } })).toMatchObject({
      ok: true,
    });
    // Every export the API offers, with its default input: nothing it returns or saves has the token.
    for (const method of Object.keys(apiContract).filter((name) => name.endsWith('.export'))) {
      const result = await app.dispatch(method, {});
      expect(JSON.stringify(result), method).not.toContain(canary);
    }
    await createBackup(app.ctx.db, { dbPath, now: new Date(), kind: 'manual' });
    expect(await app.dispatch('backups.create', {})).toMatchObject({ ok: true });
    // Look while the WAL is still there, then again after the clean shutdown folded it in.
    expect(existsSync(`${dbPath}-wal`)).toBe(true);
    expect(filesContaining(root, canary)).toEqual([]);
    closeDatabase(app.ctx.db);
    restore.splice(0).forEach((undo) => undo());

    const files = readdirSync(root, { recursive: true }).map(String);
    expect(files).toEqual(
      expect.arrayContaining([
        'secrets.json',
        'preferences.json',
        join('logs', 'main.log'),
        join('data', 'foresight.db'),
      ]),
    );
    expect(files.some((f) => f.startsWith(join('data', 'backups')) && f.endsWith('.db'))).toBe(true);
    expect(readFileSync(logger.file, 'utf8')).toContain(REDACTED);
    expect(filesContaining(root, canary)).toEqual([]);

    // The scan itself can fail: a file with the canary is found.
    writeFileSync(join(root, 'control.txt'), `oops ${canary}`);
    expect(filesContaining(root, canary)).toEqual([join(root, 'control.txt')]);
  });
});
