import { UserFacingError } from '../../src/domain/errors.ts';
/**
 * The sync API through the real dispatcher: chunked uploads imported by a job in a worker thread,
 * progress and data-changed events, the overview, history and quarantine calls, sources with
 * their tokens, and "Sync now" against the test feed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/create-app.ts';
import { afterDataChangeSteps, type DataChange } from '../../src/app/jobs/after-data-change.ts';
import { inlineJobRunner } from '../../src/app/jobs/runner.ts';
import type { SecretStore } from '../../src/domain/secrets/secret-store.ts';
import type { ApiEvent } from '../../src/shared/events.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { tempDir } from '../support/temp.ts';

const CRM = join(import.meta.dirname, '..', 'fixtures', 'sync', 'crm-export.csv');
const NOW = new Date('2026-03-04T12:00:00Z');

let app: App | null = null;
let feed: FeedServer | null = null;
afterEach(async () => {
  app?.close();
  app = null;
  await feed?.close();
  feed = null;
});

function start(options: { inline?: boolean; secrets?: SecretStore } = {}) {
  const dbPath = join(tempDir(), 'foresight.db');
  app = createApp({
    dbPath,
    now: () => NOW,
    secrets: options.secrets,
    ...(options.inline ? { jobs: inlineJobRunner(dbPath) } : {}),
    // No score-history fill in a worker after each job: nothing here reads it, and one still
    // writing the book when the test's folder is removed made that removal fail (ENOTEMPTY).
    historyInBackground: false,
  });
  const events: ApiEvent[] = [];
  app.subscribe((event) => events.push(event));
  const call = async (method: string, input: unknown = {}) => {
    const result = await app!.dispatch(method, input);
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value as Record<string, unknown> & Record<string, never>;
  };
  return { app, call, events, dbPath };
}

async function upload(call: ReturnType<typeof start>['call'], name: string, bytes: Buffer, parts = 3) {
  const begun = (await call('sync.upload.begin', { fileName: name, size: bytes.length })) as unknown as {
    uploadId: string;
  };
  const size = Math.ceil(bytes.length / parts);
  for (let i = 0; i * size < bytes.length; i++)
    await call('sync.upload.chunk', {
      uploadId: begun.uploadId,
      index: i,
      data: bytes.subarray(i * size, (i + 1) * size).toString('base64'),
    });
  return begun.uploadId;
}

describe('importing through the API', () => {
  it('words a file of unknown kind for the screen: its Record kind menu, not --kind', async () => {
    const { call } = start({ inline: true });
    const id = await upload(call, 'mystery.csv', Buffer.from('foo,bar\n1,2\n'), 1);
    const result = await call('sync.upload.finish', { uploadIds: [id] });
    const message = (result.files as unknown as { message: string }[])[0]!.message;
    expect(message).toBe(
      'mystery.csv: cannot tell which kind of record it holds from its columns ("foo", "bar"); choose its kind under "Record kind" and import it again',
    );
  });

  it('imports an uploaded file in a worker, reporting progress, then the screen data follows', async () => {
    const { call, events } = start();
    expect(await call('sync.overview')).toMatchObject({
      lastSyncAt: null,
      sources: [],
      quarantined: 0,
      canChooseFiles: false,
      canStoreTokens: false,
      maxUploadBytes: 50 * 1024 * 1024,
    });

    const id = await upload(call, 'crm-export.csv', readFileSync(CRM));
    const result = await call('sync.upload.finish', { uploadIds: [id] });
    expect(result).toMatchObject({
      accepted: { accounts: 9 },
      rejected: 3,
      files: [{ file: 'crm-export.csv', status: 'partial' }],
      // Accounts alone: nothing to score yet, so no ranking is claimed.
      ranking: null,
    });
    expect(result.errors).toContainEqual({
      file: 'crm-export.csv',
      line: 6,
      field: 'renewal_date',
      message: "line 6, renewal_date: '31/02/2026' is not a date (expected YYYY-MM-DD)",
    });

    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ label: 'Importing crm-export.csv', processed: 12, total: 12, done: true });
    expect(events.at(-1)).toEqual({ type: 'data-changed', kinds: ['accounts', 'sync'] });

    const overview = await call('sync.overview');
    expect(overview).toMatchObject({ quarantined: 3 });
    expect(Date.parse(overview.lastSyncAt as unknown as string)).toBeGreaterThanOrEqual(NOW.getTime());
    expect(await call('sync.runs.list', {})).toMatchObject({
      total: 1,
      rows: [{ origin: 'crm-export.csv', status: 'partial', rejected: 3 }],
    });
    expect(await call('sync.quarantine.list', { search: 'lee.park' })).toMatchObject({
      total: 1,
      rows: [{ field: 'owner_email', line: 11 }],
    });
    const exported = await call('sync.quarantine.export', {});
    expect(exported).toMatchObject({ fileName: 'foresight-quarantine-2026-03-04.csv', rows: 3, savedTo: null });
    expect((exported.csv as unknown as string).split('\n')).toHaveLength(5);
    expect(await call('sync.quarantine.discard', { ids: [1] })).toEqual({ discarded: 1 });
  });

  it('keeps the bar moving after the last file: the scoring run reports its parts and accounts, and only the end is done', async () => {
    const { call, events } = start();
    const ids = [
      await upload(call, 'crm-export.csv', readFileSync(CRM)),
      await upload(call, 'crm-usage.csv', readFileSync(join(CRM, '..', 'crm-usage.csv'))),
    ];
    const result = await call('sync.upload.finish', { uploadIds: ids });
    // What the import did to the ranked list comes back with its counts.
    expect(result.ranking).toMatchObject({ asOf: '2026-03-04', scope: 'book', scored: 8 });
    const progress = events.filter((e) => e.type === 'progress');
    // One job: the same title on every report, whatever part it is in.
    expect(new Set(progress.map((e) => e.title))).toEqual(new Set(['Importing 2 files']));
    const labels = progress.map((e) => e.label).filter((label, i, all) => label !== all[i - 1]);
    expect(labels).toEqual([
      'Importing crm-export.csv (file 1 of 2)',
      'Importing crm-usage.csv (file 2 of 2)',
      'Preparing the risk model',
      'Scoring accounts',
      'Saving the ranked list',
      'Checking intervention outcomes',
      'Importing 2 files',
    ]);
    const scoring = progress.filter((e) => e.label === 'Scoring accounts');
    expect(scoring.every((e) => e.unit === 'accounts' && e.total === 9)).toBe(true);
    expect(scoring.at(-1)).toMatchObject({ processed: 9, total: 9 });
    expect(progress.filter((e) => e.label.startsWith('Importing crm')).every((e) => e.unit === 'rows')).toBe(true);
    // A full bar on the last file (or on the accounts) is not the end of the job.
    expect(progress.slice(0, -1).some((e) => e.done)).toBe(false);
    expect(progress.at(-1)).toMatchObject({ label: 'Importing 2 files', unit: 'rows', done: true });
  });

  it('passes the changed accounts to the after-data-change steps', async () => {
    const seen: DataChange[] = [];
    afterDataChangeSteps.push({ name: 'test-recorder', run: (_db, change) => void seen.push(change) });
    try {
      const { call } = start({ inline: true });
      await call('sync.upload.finish', { uploadIds: [await upload(call, 'crm-export.csv', readFileSync(CRM), 1)] });
      expect(seen).toEqual([
        { accountIds: expect.arrayContaining(['ACME-001', 'LUMA-056']), asOf: '2026-03-04', since: null },
      ]);
      expect(seen[0]!.accountIds).toHaveLength(9);
      // A second import changes nothing, so nothing is rescored.
      await call('sync.upload.finish', { uploadIds: [await upload(call, 'crm-export.csv', readFileSync(CRM), 1)] });
      expect(seen).toHaveLength(1);
    } finally {
      afterDataChangeSteps.splice(
        afterDataChangeSteps.findIndex((s) => s.name === 'test-recorder'),
        1,
      );
    }
  });

  it('refuses uploads that are out of order, too large or incomplete, and cleans up', async () => {
    const { call } = start();
    await expect(call('sync.upload.begin', { fileName: 'x.csv', size: 51 * 1024 * 1024 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const begun = (await call('sync.upload.begin', { fileName: '../../etc/passwd', size: 10 })) as unknown as {
      uploadId: string;
    };
    await expect(call('sync.upload.chunk', { uploadId: begun.uploadId, index: 1, data: 'AAAA' })).rejects.toMatchObject(
      { code: 'UPLOAD_OUT_OF_ORDER' },
    );
    await expect(call('sync.upload.finish', { uploadIds: [begun.uploadId] })).rejects.toMatchObject({
      code: 'UNKNOWN_UPLOAD',
    });

    const small = (await call('sync.upload.begin', { fileName: 'a.csv', size: 2 })) as unknown as { uploadId: string };
    await expect(
      call('sync.upload.chunk', { uploadId: small.uploadId, index: 0, data: Buffer.from('abc').toString('base64') }),
    ).rejects.toMatchObject({ code: 'UPLOAD_TOO_LARGE' });

    const partial = (await call('sync.upload.begin', { fileName: 'b.csv', size: 10 })) as unknown as {
      uploadId: string;
    };
    await call('sync.upload.chunk', {
      uploadId: partial.uploadId,
      index: 0,
      data: Buffer.from('abc').toString('base64'),
    });
    await expect(call('sync.upload.finish', { uploadIds: [partial.uploadId] })).rejects.toMatchObject({
      code: 'UPLOAD_INCOMPLETE',
    });
  });

  it('uses the native picker in the desktop app, and says so in the browser', async () => {
    const { call } = start();
    await expect(call('sync.import.choose', {})).rejects.toMatchObject({ code: 'NO_FILE_PICKER' });
    app!.ctx.native = { chooseFiles: async () => [CRM], saveFile: async () => ({ saved: true, path: '/tmp/q.csv' }) };
    expect(await call('sync.import.choose', {})).toMatchObject({
      cancelled: false,
      result: { accepted: { accounts: 9 } },
    });
    expect(await call('sync.quarantine.export', {})).toMatchObject({ csv: null, savedTo: '/tmp/q.csv' });
    app!.ctx.native = { chooseFiles: async () => [], saveFile: async () => ({ saved: false, path: null }) };
    expect(await call('sync.import.choose', {})).toEqual({ cancelled: true, result: null });
  });
});

describe('sources and "Sync now"', () => {
  it('keeps tokens out of the database: an environment variable, or the encrypted secret store', async () => {
    const stored = new Map<string, string>();
    const keychain: SecretStore = {
      isEncrypted: true,
      needsConsent: false,
      get: async (name) => stored.get(name) ?? null,
      set: async (name, value) => void stored.set(name, value),
      delete: async (name) => void stored.delete(name),
    };
    const { call, dbPath } = start({ secrets: keychain });
    const saved = await call('sync.sources.save', {
      name: 'warehouse',
      url: 'https://feed.example.com/base/',
      token: 'tok-very-secret-99',
    });
    expect(saved).toMatchObject({
      name: 'warehouse',
      url: 'https://feed.example.com/base',
      token: 'app keychain',
      status: 'never',
    });
    expect(stored.get('feed-token:warehouse')).toBe('tok-very-secret-99');
    app!.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(dbPath).includes('tok-very-secret-99')).toBe(false);
    await call('sync.sources.remove', { name: 'warehouse' });
    expect(stored.size).toBe(0);
  });

  it('stores a token only weakly protected when the store asks the user first, and not when they decline', async () => {
    const stored = new Map<string, string>();
    let answer = true;
    const basicText: SecretStore = {
      isEncrypted: false,
      needsConsent: true,
      get: async (name) => stored.get(name) ?? null,
      set: async (name, value) => {
        if (!answer) throw new UserFacingError('SECRETS_NOT_STORED', 'The token was not stored.');
        stored.set(name, value);
      },
      delete: async (name) => void stored.delete(name),
    };
    const { call } = start({ secrets: basicText });
    expect(await call('sync.overview')).toMatchObject({ canStoreTokens: true });
    await call('sync.sources.save', { name: 'warehouse', url: 'https://feed.example.com', token: 'tok-1' });
    expect(stored.get('feed-token:warehouse')).toBe('tok-1');
    answer = false;
    await expect(
      call('sync.sources.save', { name: 'other', url: 'https://feed.example.com', token: 'tok-2' }),
    ).rejects.toMatchObject({ code: 'SECRETS_NOT_STORED' });
    expect(stored.has('feed-token:other')).toBe(false);
  });

  it('refuses to store a token where it cannot be encrypted, and refuses plain http to other hosts', async () => {
    const { call } = start();
    await expect(call('sync.sources.save', { name: 'w', url: 'https://x.example', token: 't' })).rejects.toMatchObject({
      code: 'CANNOT_STORE_TOKEN',
    });
    await expect(
      call('sync.sources.save', { name: 'w', url: 'http://x.example', tokenEnv: 'FORESIGHT_FEED_TOKEN_T' }),
    ).rejects.toMatchObject({ code: 'INSECURE_FEED_URL' });
    await expect(call('sync.sources.save', { name: 'bad name', url: 'https://x.example' })).rejects.toMatchObject({
      code: 'INVALID_SOURCE_NAME',
    });
    await expect(call('sync.run', {})).rejects.toMatchObject({ code: 'NO_SOURCES' });
  });

  it('syncs a source in a worker and reports what changed', async () => {
    feed = await startFeedServer({
      token: 'env-token-1',
      pageSize: 1,
      data: { accounts: [{ account_id: 'acc_1', name: 'Acme', arr: 5 }] },
    });
    process.env.FORESIGHT_FEED_TOKEN_SYNC_APP_TEST = 'env-token-1';
    try {
      const { call, events } = start();
      expect(
        await call('sync.sources.save', {
          name: 'warehouse',
          url: feed.url,
          tokenEnv: 'FORESIGHT_FEED_TOKEN_SYNC_APP_TEST',
        }),
      ).toMatchObject({ token: 'env:FORESIGHT_FEED_TOKEN_SYNC_APP_TEST' });
      const result = await call('sync.run', { source: 'warehouse' });
      expect(result).toMatchObject({
        accepted: { accounts: 1 },
        sources: [{ name: 'warehouse', status: 'ok', pages: 4 }],
      });
      expect(events).toContainEqual({ type: 'data-changed', kinds: ['accounts', 'sync'] });
      expect(events.some((e) => e.type === 'progress' && e.label === 'Syncing warehouse: accounts, page 1')).toBe(true);
      const overview = await call('sync.overview');
      expect(overview.sources).toMatchObject([
        { name: 'warehouse', status: 'ok', lastSuccessAt: expect.any(String), lastError: null },
      ]);
      expect((await call('sync.run', {})).sources).toMatchObject([
        { status: 'ok', notModified: ['accounts', 'contacts', 'metrics', 'events'] },
      ]);
    } finally {
      delete process.env.FORESIGHT_FEED_TOKEN_SYNC_APP_TEST;
    }
  });

  it('reports a missing token without contacting the feed', async () => {
    feed = await startFeedServer({ token: 'x' });
    const { call } = start();
    await call('sync.sources.save', {
      name: 'warehouse',
      url: feed.url,
      tokenEnv: 'FORESIGHT_FEED_TOKEN_SYNC_APP_UNSET',
    });
    const result = await call('sync.run', {});
    expect(result.sources).toMatchObject([
      {
        status: 'error',
        message:
          'the token for warehouse is missing: the environment variable FORESIGHT_FEED_TOKEN_SYNC_APP_UNSET is not set',
      },
    ]);
    expect(feed.requests).toHaveLength(0);
    expect(existsSync(app!.ctx.dbPath)).toBe(true);
  });
});
