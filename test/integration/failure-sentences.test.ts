/**
 * Issue 15, Deliver 7 and Low 9: every failure reaches the user as one sentence naming the file
 * and what to do, with no stack frame, through the CLI, the API and the web preview. The errors
 * here are real: a real lock held by another connection, a real truncated file, a real read-only
 * connection, a real 200,000-deep JSON file.
 */
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app/create-app.ts';
import { closeDatabase, openDatabase } from '../../src/domain/db/open.ts';
import { toUserFacing } from '../../src/domain/failure-sentence.ts';
import type { ApiEvent } from '../../src/shared/events.ts';
import { startWebServer, type WebServer } from '../../src/web/server.ts';
import { runCli, runCliAsync } from '../support/cli.ts';
import { sampleAccount, tempDir } from '../support/temp.ts';

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at |\.ts:\d+|SqliteError|RangeError/);
const atMostTwoLines = (text: string) => expect(text.trim().split('\n').length).toBeLessThanOrEqual(2);

function databaseWithAccounts(count = 300) {
  const dbPath = join(tempDir(), 'foresight.db');
  const { db } = openDatabase(dbPath, { create: true });
  const insert = db.prepare('INSERT INTO accounts (account_id, name, arr, currency, status) VALUES (?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 0; i < count; i++)
      insert.run(`acc_${i}`, `${sampleAccount().name} ${'x'.repeat(200)}`, i, 'USD', 'active');
  })();
  closeDatabase(db);
  return dbPath;
}

describe('the CLI', () => {
  it('says the database is busy, in one sentence, when another program holds the write lock', async () => {
    const dbPath = databaseWithAccounts(1);
    const writer = new Database(dbPath);
    writer.prepare('BEGIN IMMEDIATE').run();
    try {
      const run = await runCliAsync(['source', 'add', 'w', '--url', 'https://x.example', '--db', dbPath]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^The database at .*foresight\.db is busy: another program/);
      atMostTwoLines(run.stderr);
      noStack(run.stderr);
    } finally {
      writer.prepare('ROLLBACK').run();
      writer.close();
    }
  });

  it('says a truncated database is damaged and how to restore it', () => {
    const dbPath = databaseWithAccounts();
    truncateSync(dbPath, Math.floor(statSync(dbPath).size / 2));
    const run = runCli(['risks', '--db', dbPath]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/damaged|not a Foresight database/);
    expect(run.stderr).toMatch(/foresight restore FILE/);
    atMostTwoLines(run.stderr);
    noStack(run.stderr);
  });

  it('sets aside a 200,000-deep JSON item with a reason instead of crashing', () => {
    const dir = tempDir();
    const file = join(dir, 'deep.json');
    writeFileSync(file, `[{"account_id":"a","name":${'['.repeat(200_000)}${']'.repeat(200_000)}}]`);
    const run = runCli(['import', file, '--db', join(dir, 'f.db'), '--json']);
    noStack(run.stderr);
    expect(run.json<{ rejected: number; errors: { message: string }[] }>()).toMatchObject({
      rejected: 1,
      errors: [{ message: expect.stringContaining('nested more than 64 levels deep') }],
    });
  });
});

describe('the mapper', () => {
  it('names the database and what to do for a real read-only write', () => {
    const dbPath = databaseWithAccounts(1);
    const readOnly = new Database(dbPath, { readonly: true });
    let caught: unknown;
    try {
      readOnly.prepare("DELETE FROM accounts WHERE account_id = 'acc_0'").run();
    } catch (error) {
      caught = error;
    }
    readOnly.close();
    const sentence = toUserFacing(caught, { dbPath });
    expect(sentence).toMatchObject({ code: 'DB_READONLY' });
    expect(sentence!.message).toBe(
      `The database at ${dbPath} can only be read, not written (check the file's and its folder's permissions, and that the disk is not read-only); nothing was changed.`,
    );
  });

  it('names the file for a real file-system failure, and leaves bugs alone', () => {
    let caught: unknown;
    try {
      readFileSync(join(tempDir(), 'missing.csv'));
    } catch (error) {
      caught = error;
    }
    expect(toUserFacing(caught)?.message).toMatch(/^There is no file or folder at .*missing\.csv\.$/);
    expect(toUserFacing(new TypeError('x is undefined'))).toBeNull();
  });

  it('says a port is taken in one sentence (QA: the preview printed "listen EADDRINUSE: address already in use")', async () => {
    const options = {
      dispatch: async () => ({ ok: true as const, value: null }),
      subscribe: () => () => undefined,
      staticDir: tempDir(),
    };
    const first = await startWebServer(options);
    try {
      const caught = await startWebServer({ ...options, port: first.port }).then(
        () => null,
        (error: unknown) => error,
      );
      const failure = toUserFacing(caught);
      expect(failure?.code).toBe('PORT_IN_USE');
      expect(failure?.message).toBe(
        `Port ${first.port} on 127.0.0.1 is already in use by another program (perhaps another Foresight preview or hub); stop it, or choose another port with --port.`,
      );
    } finally {
      await first.close();
    }
  });
});

describe('the API and the web preview', () => {
  let app: App | null = null;
  let server: WebServer | null = null;
  afterEach(async () => {
    await server?.close();
    app?.close();
    server = null;
    app = null;
  });

  it('answers a write during another connection’s long transaction with DB_BUSY, never INTERNAL', async () => {
    const dbPath = databaseWithAccounts(1);
    // A busy database is expected, not a bug: answered with its sentence and kept out of the error log.
    const logged: string[] = [];
    app = createApp({ dbPath, busyWaitMs: 300, log: (line) => logged.push(line) });
    app.ctx.db.pragma('busy_timeout = 50');
    const writer = new Database(dbPath);
    writer.prepare('BEGIN IMMEDIATE').run();
    try {
      const result = await app.dispatch('sync.sources.save', { name: 'w', url: 'https://x.example' });
      expect(result).toMatchObject({ ok: false, error: { code: 'DB_BUSY' } });
      expect(logged).toEqual([]);
    } finally {
      writer.prepare('ROLLBACK').run();
      writer.close();
    }
  });

  it('lets a write wait for a long import to finish, with progress, and then succeed', async () => {
    const dbPath = databaseWithAccounts(1);
    app = createApp({ dbPath });
    app.ctx.db.pragma('busy_timeout = 50');
    const events: ApiEvent[] = [];
    app.subscribe((event) => events.push(event));
    const writer = new Database(dbPath);
    writer.prepare('BEGIN IMMEDIATE').run();
    const saving = app.dispatch('sync.sources.save', { name: 'w', url: 'https://x.example' });
    // Let the call meet the lock a few times, then end the "import".
    await new Promise((resolve) => setTimeout(resolve, 400));
    writer.prepare('COMMIT').run();
    writer.close();
    expect(await saving).toMatchObject({ ok: true, value: { name: 'w' } });
    const waits = events.filter(
      (e) => e.type === 'progress' && e.label === 'Your change: waiting for another import or sync to finish writing',
    );
    expect(waits.length).toBeGreaterThan(1);
    expect(waits.at(-1)).toMatchObject({ done: true });
  });

  it('answers a body over 5 MB with 413 (not a reset) and bad %-encoding with 400 (not 500)', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'renderer'));
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>Foresight</title>');
    app = createApp({ dbPath: join(dir, 'f.db') });
    server = await startWebServer({
      dispatch: app.dispatch,
      subscribe: app.subscribe,
      staticDir: join(dir, 'renderer'),
    });
    const post = (path: string, body: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: server!.port,
            path,
            method: 'POST',
            headers: { host: `127.0.0.1:${server!.port}`, 'x-foresight-token': server!.token, ...headers },
          },
          (res) => {
            let text = '';
            res.on('data', (chunk) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const big = 'x'.repeat(6 * 1024 * 1024);
    expect(await post('/api/accounts.list', big)).toMatchObject({
      status: 413,
      body: expect.stringContaining('TOO_LARGE'),
    });
    expect(await post('/api/accounts.list', big, { 'transfer-encoding': 'chunked' })).toMatchObject({ status: 413 });
    expect(await post('/api/%E0%A4%A', '{}')).toMatchObject({
      status: 400,
      body: expect.stringContaining('INVALID_METHOD'),
    });
  });
});
