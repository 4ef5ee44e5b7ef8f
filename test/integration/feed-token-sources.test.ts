/**
 * Issue 15, Medium 4: a caller of the API (the renderer, or anything holding the web token) must
 * not be able to make the app send an arbitrary environment variable, or a stored token, to a URL
 * of its choosing. Tokens come only from the secret store or FORESIGHT_FEED_TOKEN_* variables.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/create-app.ts';
import { inlineJobRunner } from '../../src/app/jobs/runner.ts';
import { feedRepo } from '../../src/domain/feed/repo.ts';
import { saveSource } from '../../src/domain/feed/sources.ts';
import { resolveFeedToken } from '../../src/domain/feed/tokens.ts';
import { environmentSecretStore, type SecretStore } from '../../src/domain/secrets/secret-store.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { runCli } from '../support/cli.ts';
import { tempDir } from '../support/temp.ts';

const NOW = new Date('2026-03-04T12:00:00Z');
let app: App | null = null;
let feed: FeedServer | null = null;
afterEach(async () => {
  app?.close();
  app = null;
  await feed?.close();
  feed = null;
});

function memorySecrets(): SecretStore & { stored: Map<string, string> } {
  const stored = new Map<string, string>();
  return {
    stored,
    isEncrypted: true,
    needsConsent: false,
    get: async (name) => stored.get(name) ?? null,
    set: async (name, value) => void stored.set(name, value),
    delete: async (name) => void stored.delete(name),
  };
}

function start(secrets?: SecretStore) {
  const dbPath = join(tempDir(), 'foresight.db');
  app = createApp({ dbPath, now: () => NOW, secrets, jobs: inlineJobRunner(dbPath) });
  const call = async (method: string, input: unknown = {}) => {
    const result = await app!.dispatch(method, input);
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value as Record<string, unknown>;
  };
  return { call, dbPath };
}

describe('feed tokens through the API', () => {
  it('refuses an environment variable outside FORESIGHT_FEED_TOKEN_*, so no secret is ever sent', async () => {
    feed = await startFeedServer({ token: 'x' });
    process.env.HARDENING_TEST_SECRET = 'aws-secret-value';
    try {
      const { call } = start();
      await expect(
        call('sync.sources.save', { name: 'evil', url: feed.url, tokenEnv: 'HARDENING_TEST_SECRET' }),
      ).rejects.toMatchObject({ code: 'INVALID_TOKEN_ENV', message: expect.stringContaining('FORESIGHT_FEED_TOKEN_') });
      expect(feedRepo(app!.ctx.db).get('evil')).toBeUndefined();
      expect(feed.requests).toHaveLength(0);
    } finally {
      delete process.env.HARDENING_TEST_SECRET;
    }
  });

  it('does not follow a reference to another variable already in the database', async () => {
    feed = await startFeedServer({ token: 'aws-secret-value' });
    process.env.HARDENING_TEST_SECRET = 'aws-secret-value';
    try {
      const { call } = start();
      saveSource(app!.ctx.db, { name: 'old', url: feed.url, tokenRef: 'env:HARDENING_TEST_SECRET' }, NOW);
      const result = (await call('sync.run', {})) as { sources: { status: string; message: string }[] };
      expect(result.sources[0]).toMatchObject({
        status: 'error',
        message: expect.stringContaining('FORESIGHT_FEED_TOKEN_'),
      });
      expect(feed.requests).toHaveLength(0);
    } finally {
      delete process.env.HARDENING_TEST_SECRET;
    }
  });

  it('needs the token again before a source with a token is pointed at a new address', async () => {
    const secrets = memorySecrets();
    const { call } = start(secrets);
    await call('sync.sources.save', { name: 'warehouse', url: 'https://data.example.com/feed', token: 's3cret-token' });
    await expect(
      call('sync.sources.save', { name: 'warehouse', url: 'https://attacker.example/collect' }),
    ).rejects.toMatchObject({ code: 'TOKEN_NEEDED' });
    expect(feedRepo(app!.ctx.db).get('warehouse')!.url).toBe('https://data.example.com/feed');
    // The same address without a token keeps the stored one, and a new token with a new address is fine.
    await call('sync.sources.save', { name: 'warehouse', url: 'https://data.example.com/feed/' });
    await call('sync.sources.save', { name: 'warehouse', url: 'https://new.example.com/feed', token: 'n3w-token' });
    expect(secrets.stored.get('feed-token:warehouse')).toBe('n3w-token');
  });
});

describe('an environment variable token stays with its address', () => {
  it('refuses moving a source, or a second source, to another address by repeating the variable name', async () => {
    const { call } = start();
    const env = 'FORESIGHT_FEED_TOKEN_WAREHOUSE';
    await call('sync.sources.save', { name: 'warehouse', url: 'https://data.example.com/feed', tokenEnv: env });
    await expect(
      call('sync.sources.save', { name: 'warehouse', url: 'https://attacker.example/collect', tokenEnv: env }),
    ).rejects.toMatchObject({ code: 'TOKEN_NEEDED', message: expect.stringContaining('new variable') });
    await expect(
      call('sync.sources.save', { name: 'other', url: 'https://attacker.example/collect', tokenEnv: env }),
    ).rejects.toMatchObject({ code: 'TOKEN_NEEDED' });
    // Removing the source does not free the variable for another address.
    await call('sync.sources.remove', { name: 'warehouse' });
    await expect(
      call('sync.sources.save', { name: 'other', url: 'https://attacker.example/collect', tokenEnv: env }),
    ).rejects.toMatchObject({ code: 'TOKEN_NEEDED' });
    expect(feedRepo(app!.ctx.db).get('other')).toBeUndefined();
    // The same server (another path) is fine, and so is a new variable for a new address.
    await call('sync.sources.save', { name: 'warehouse', url: 'https://data.example.com/feed/v2', tokenEnv: env });
    await call('sync.sources.save', {
      name: 'warehouse',
      url: 'https://new.example.com/feed',
      tokenEnv: 'FORESIGHT_FEED_TOKEN_NEW',
    });
  });

  it('lets the terminal move the variable to a new address', async () => {
    const { call, dbPath } = start();
    const env = 'FORESIGHT_FEED_TOKEN_WAREHOUSE';
    await call('sync.sources.save', { name: 'warehouse', url: 'https://data.example.com/feed', tokenEnv: env });
    const moved = runCli([
      'source',
      'add',
      'warehouse',
      '--url',
      'https://new.example.com/feed',
      '--token-env',
      env,
      '--db',
      dbPath,
    ]);
    expect(moved.code).toBe(0);
    await call('sync.sources.save', { name: 'warehouse', url: 'https://new.example.com/feed/x', tokenEnv: env });
  });
});

describe('feed tokens in the CLI', () => {
  it('accepts --token-env FORESIGHT_FEED_TOKEN_X and refuses another name with one sentence', async () => {
    const db = join(tempDir(), 'f.db');
    const ok = runCli([
      'source',
      'add',
      'w',
      '--url',
      'https://x.example',
      '--token-env',
      'FORESIGHT_FEED_TOKEN_W',
      '--db',
      db,
    ]);
    expect(ok.code).toBe(0);
    const refused = runCli(['source', 'add', 'w', '--url', 'https://x.example', '--token-env', 'HOME', '--db', db]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/only from environment variables named FORESIGHT_FEED_TOKEN_<NAME>/);
    const resolved = await resolveFeedToken(
      environmentSecretStore({ FORESIGHT_FEED_TOKEN_W: 't0k' }),
      { name: 'w', token_ref: 'env:FORESIGHT_FEED_TOKEN_W' },
      { FORESIGHT_FEED_TOKEN_W: 't0k' },
    );
    expect(resolved).toEqual({ token: 't0k', problem: null });
  });
});
