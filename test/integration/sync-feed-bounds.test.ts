/**
 * Issue 15: a hostile feed cannot keep a sync running, fill memory, crash it with a Retry-After,
 * or get its echoed token stored. Each case runs against a real HTTP server on 127.0.0.1 that
 * answers with a bounded number of responses, and checks what the source records afterwards.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeedLimits } from '../../src/domain/feed/limits.ts';
import { feedRepo } from '../../src/domain/feed/repo.ts';
import { saveSource, toSourceView } from '../../src/domain/feed/sources.ts';
import { syncSource } from '../../src/domain/feed/sync-source.ts';
import { accountIdSet } from '../../src/domain/ingest/counts.ts';
import { runCli, runCliAsync } from '../support/cli.ts';
import { tempDb, tempDir } from '../support/temp.ts';

const TOKEN = 'feed-secret-9a8b7c6d';
const NOW = new Date('2026-03-01T10:00:00Z');
/** Any test feed stops answering after this many requests, so a client bug cannot loop for ever. */
const MAX_REQUESTS = 500;

type Handler = (req: IncomingMessage, res: ServerResponse, count: number) => void;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function hostileFeed(handler: Handler) {
  const sockets = new Set<Socket>();
  const state = { requests: 0 };
  const server = createServer((req, res) => {
    state.requests++;
    if (state.requests > MAX_REQUESTS) return void res.writeHead(503).end();
    handler(req, res, state.requests);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, state };
}

const page = (res: ServerResponse, items: unknown[], next: string | null) =>
  res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ items, next_cursor: next }));

async function syncOnce(url: string, limits: Partial<FeedLimits> = {}, clock?: () => number) {
  const { db } = tempDb();
  saveSource(db, { name: 'hostile', url, tokenRef: 'env:FORESIGHT_FEED_TOKEN_HOSTILE' }, NOW);
  const outcome = await syncSource(db, feedRepo(db).get('hostile')!, {
    token: TOKEN,
    now: () => NOW,
    changed: accountIdSet(),
    retry: { baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 5_000, maxAttempts: 3 },
    http: { sleep: async () => {} },
    kinds: ['accounts'],
    limits,
    clock,
  });
  return { db, outcome, view: toSourceView(db, feedRepo(db).get('hostile')!) };
}

function expectRecordedFailure(view: ReturnType<typeof toSourceView>, message: RegExp) {
  expect(view.status).toBe('error');
  expect(view.lastError).toMatch(message);
  expect(view.nextRetryAt).not.toBeNull();
  expect(Number.isNaN(Date.parse(view.nextRetryAt!))).toBe(false);
}

describe('a feed that never finishes', () => {
  it('stops when the cursor cycles A → B → A, and records the failure', async () => {
    const feed = await hostileFeed((req, res) => {
      const cursor = new URL(req.url!, 'http://x').searchParams.get('cursor');
      page(res, [], cursor === 'A' ? 'B' : 'A');
    });
    const { outcome, view } = await syncOnce(feed.url);
    expect(outcome.report.status).toBe('error');
    expect(outcome.report.message).toMatch(/came back to one it had already sent/);
    expect(feed.state.requests).toBe(3);
    expectRecordedFailure(view, /going round in circles/);
  });

  it('stops a cursor that grows for ever with empty pages', async () => {
    const feed = await hostileFeed((_req, res, n) => page(res, [], `c${n}`));
    const { outcome, view } = await syncOnce(feed.url, { maxEmptyPagesInARow: 20 });
    expect(outcome.report.message).toMatch(/20 empty pages/);
    expect(feed.state.requests).toBe(20);
    expectRecordedFailure(view, /empty pages/);
  });

  it('stops at the page limit even when every page has items', async () => {
    const feed = await hostileFeed((_req, res, n) =>
      page(res, [{ account_id: `acc_${n}`, name: `Account ${n}`, arr: 1000, renewal_date: '2027-01-01' }], `c${n}`),
    );
    const { outcome, db, view } = await syncOnce(feed.url, { maxPagesPerSync: 7 });
    expect(outcome.report.pages).toBe(7);
    expect(db.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(7);
    expectRecordedFailure(view, /limit of 7 pages/);
  });

  it('stops when its time budget is used up', async () => {
    const feed = await hostileFeed((_req, res, n) => page(res, [{ account_id: `acc_${n}`, name: 'A' }], `c${n}`));
    let t = 0;
    // Each reading of the clock is a minute later: the budget of 5 min ends the sync within a few pages.
    const { outcome, view } = await syncOnce(feed.url, { timeBudgetMs: 5 * 60_000 }, () => (t += 60_000));
    expect(outcome.report.pages).toBeLessThanOrEqual(5);
    expectRecordedFailure(view, /time budget of 5 min/);
  });
});

describe('a feed that sends too much', () => {
  it('refuses a body over the cap while it streams in, without retrying it', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const feed = await hostileFeed((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"items":[');
      // An endless body, bounded here: the client must give up long before this loop ends.
      let sent = 0;
      const more = () => {
        while (sent < 4096 && !res.destroyed) {
          sent++;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      more();
    });
    const { outcome, view } = await syncOnce(feed.url, { maxBodyBytes: 1024 * 1024 });
    expect(outcome.report.message).toMatch(/larger than 1 MB/);
    expect(feed.state.requests).toBe(1);
    expectRecordedFailure(view, /larger than 1 MB/);
  });

  it('refuses a declared Content-Length over the cap before reading', async () => {
    const feed = await hostileFeed((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(2 * 1024 ** 3) });
      res.write('{');
      setImmediate(() => res.destroy());
    });
    const { outcome } = await syncOnce(feed.url, { maxBodyBytes: 1024 * 1024 });
    expect(outcome.report.message).toMatch(/larger than 1 MB/);
    expect(feed.state.requests).toBe(1);
  });
});

describe('a feed that misbehaves in other ways', () => {
  it('survives Retry-After: 99999999999999999999 and records a valid next retry time', async () => {
    const feed = await hostileFeed((_req, res) =>
      res.writeHead(429, { 'Retry-After': '99999999999999999999' }).end('{"error":"slow down"}'),
    );
    const { outcome, view } = await syncOnce(feed.url);
    expect(outcome.report.status).toBe('error');
    expectRecordedFailure(view, /429/);
    // Clamped to a day at most.
    expect(Date.parse(view.nextRetryAt!) - NOW.getTime()).toBeLessThanOrEqual(24 * 3600_000);
    expect(view.failures).toBe(1);
  });

  it('never stores a token the server echoes in a body that is not JSON', async () => {
    const feed = await hostileFeed((req, res) =>
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`oops, you sent ${req.headers.authorization}`),
    );
    const { db, outcome } = await syncOnce(feed.url);
    expect(outcome.report.status).toBe('error');
    const raw = db.prepare('SELECT raw_text FROM quarantine').pluck().all() as string[];
    expect(raw).toHaveLength(1);
    expect(raw[0]).toContain('[redacted token]');
    expect(raw.join('\n')).not.toContain(TOKEN);
    expect(JSON.stringify(db.prepare('SELECT * FROM quarantine').all())).not.toContain(TOKEN);
  });

  it('never quotes an echoed token in the sentence of a body that is not JSON (not even its first characters)', async () => {
    for (const echo of [(t: string) => t, (t: string) => `{"items":[1,${t}]}`]) {
      const feed = await hostileFeed((req, res) =>
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(echo(req.headers.authorization!.slice(7))),
      );
      const { db, outcome, view } = await syncOnce(feed.url);
      expect(view.lastError).toMatch(/not valid JSON/);
      const everything = [
        JSON.stringify(outcome.report),
        JSON.stringify(view),
        JSON.stringify(db.prepare('SELECT * FROM quarantine').all()),
        JSON.stringify(db.prepare('SELECT * FROM sync_sources').all()),
      ].join('\n');
      expect(everything).not.toContain(TOKEN.slice(0, 8));
    }
  });

  it('records a 304 to a request that sent no ETag as a failure, not an up-to-date first pull', async () => {
    const feed = await hostileFeed((_req, res) => res.writeHead(304).end());
    const { outcome, view } = await syncOnce(feed.url);
    expect(outcome.report.status).toBe('error');
    expectRecordedFailure(view, /304 Not Modified .* sent no ETag/);
    expect(view.lastSuccessAt).toBeNull();
  });

  it('says a web page is not the feed, at once, and puts nothing in the quarantine', async () => {
    for (const type of ['text/html; charset=utf-8', 'application/json']) {
      const feed = await hostileFeed((_req, res) =>
        res.writeHead(200, { 'Content-Type': type }).end('<!DOCTYPE html><html><body>Login required</body></html>'),
      );
      const { db, view } = await syncOnce(feed.url);
      expectRecordedFailure(view, /answered a web page, not the feed, for .*: check the URL/);
      expect(feed.state.requests).toBe(1);
      expect(db.prepare('SELECT count(*) FROM quarantine').pluck().get()).toBe(0);
    }
  });

  it('never stores a token echoed inside an item, whether the item is accepted or rejected', async () => {
    const feed = await hostileFeed((req, res) =>
      page(
        res,
        [
          { account_id: 'acc_1', name: `Echo ${req.headers.authorization}`, arr: 1, renewal_date: '2027-01-01' },
          { account_id: 'acc_2', name: req.headers.authorization, arr: 'lots' },
        ],
        null,
      ),
    );
    const { db } = await syncOnce(feed.url);
    expect(db.prepare('SELECT name FROM accounts').pluck().get()).toBe('Echo Bearer [redacted token]');
    expect(db.prepare('SELECT count(*) FROM quarantine').pluck().get()).toBe(1);
    const everything = ['accounts', 'quarantine'].map((t) => JSON.stringify(db.prepare(`SELECT * FROM ${t}`).all()));
    expect(everything.join('\n')).not.toContain(TOKEN);
  });

  it('never stores a token echoed inside a JSON page of the wrong shape', async () => {
    const feed = await hostileFeed((req, res) =>
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ echo: req.headers.authorization })),
    );
    const { db } = await syncOnce(feed.url);
    expect(JSON.stringify(db.prepare('SELECT * FROM quarantine').all())).not.toContain(TOKEN);
    expect(db.prepare('SELECT count(*) FROM quarantine').pluck().get()).toBe(1);
  });
});

describe('what a script sees', () => {
  it('sync exits non-zero with the sentence in sources[].message; source list --json shows the failure and a valid nextRetryAt', async () => {
    const feed = await hostileFeed((req, res) => {
      const cursor = new URL(req.url!, 'http://x').searchParams.get('cursor');
      page(res, [], cursor === 'A' ? 'B' : 'A');
    });
    const db = join(tempDir(), 'f.db');
    const env = { FORESIGHT_FEED_TOKEN_LOOP: TOKEN };
    expect(
      runCli(['source', 'add', 'loop', '--url', feed.url, '--token-env', 'FORESIGHT_FEED_TOKEN_LOOP', '--db', db]).code,
    ).toBe(0);
    const sync = await runCliAsync(['sync', '--db', db, '--json'], env);
    expect(sync.code).not.toBe(0);
    expect(JSON.parse(sync.stdout).sources[0]).toMatchObject({
      status: 'error',
      message: expect.stringContaining('going round in circles'),
    });
    const list = await runCliAsync(['source', 'list', '--db', db, '--json'], env);
    const [source] = JSON.parse(list.stdout) as { status: string; lastError: string; nextRetryAt: string }[];
    expect(source).toMatchObject({ status: 'error', lastError: expect.stringContaining('going round in circles') });
    expect(Number.isNaN(Date.parse(source!.nextRetryAt))).toBe(false);
    expect(feed.state.requests).toBeLessThan(20);
  });
});
