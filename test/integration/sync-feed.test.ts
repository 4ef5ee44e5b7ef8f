/**
 * The HTTP feed connector against the test feed server (test/support/feed-server.ts): paging,
 * ETag/304, retries with backoff and Retry-After, timeouts, truncated and malformed bodies, a
 * rejected token, going offline, resuming, and the interventions outbox.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/domain/db/open.ts';
import { feedRepo } from '../../src/domain/feed/repo.ts';
import { saveSource } from '../../src/domain/feed/sources.ts';
import { syncSource, type SyncSourceOptions } from '../../src/domain/feed/sync-source.ts';
import { accountIdSet } from '../../src/domain/ingest/counts.ts';
import { exportQuarantine, listQuarantine } from '../../src/domain/ingest/quarantine.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { tempDb } from '../support/temp.ts';

const TOKEN = 'feed-secret-6f1c2b';
const NOW = new Date('2026-03-01T10:00:00Z');

const DATA = {
  accounts: [1, 2, 3, 4, 5].map((i) => ({
    account_id: `acc_${i}`,
    name: `Account ${i}`,
    arr: i * 1000,
    renewal_date: '2027-01-01',
  })),
  contacts: [1, 2, 3].map((i) => ({
    contact_id: `con_${i}`,
    account_id: `acc_${i}`,
    name: `Person ${i}`,
    is_champion: i === 1,
  })),
  metrics: [1, 2, 3, 4, 5, 6].map((i) => ({
    account_id: `acc_${(i % 3) + 1}`,
    date: `2026-02-0${i}`,
    metric: 'active_users',
    value: i * 10,
  })),
  events: [
    { account_id: 'acc_1', occurred_at: '2026-02-10T09:00:00Z', type: 'ticket_opened', detail: 'Login issue' },
    { account_id: 'acc_2', occurred_at: '2026-02-11T09:00:00Z', type: 'nps_response', value: 9 },
  ],
};

let servers: FeedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function feed(pageSize = 2, data: Record<string, Record<string, unknown>[]> = DATA) {
  const server = await startFeedServer({ data: structuredClone(data), token: TOKEN, pageSize });
  servers.push(server);
  return server;
}

function setup(url: string) {
  const { db, path } = tempDb();
  saveSource(db, { name: 'warehouse', url, tokenRef: 'env:FORESIGHT_FEED_TOKEN_WAREHOUSE' }, NOW);
  return { db, path };
}

interface Run {
  sleeps: number[];
}

async function sync(db: Db, options: Partial<SyncSourceOptions> = {}, run: Run = { sleeps: [] }) {
  const source = feedRepo(db).get('warehouse')!;
  return syncSource(db, source, {
    token: TOKEN,
    now: () => NOW,
    changed: accountIdSet(),
    retry: { baseDelayMs: 1, maxDelayMs: 4, timeoutMs: 1_000, maxAttempts: 4 },
    http: { sleep: async (ms) => void run.sleeps.push(ms) },
    pageSize: 2,
    ...options,
  });
}

const count = (db: Db, table: string) => db.prepare(`SELECT count(*) AS n FROM ${table}`).pluck().get() as number;

function dump(db: Db): string {
  return ['accounts', 'contacts', 'metrics', 'events']
    .map((table) => JSON.stringify(db.prepare(`SELECT * FROM ${table} ORDER BY 1, 2, 3, 4`).all()))
    .join('\n');
}

describe('feed sync', () => {
  it('pulls every page of every kind, then gets 304 and changes nothing', async () => {
    const server = await feed();
    const { db } = setup(server.url);
    const first = await sync(db);
    expect(first.report).toMatchObject({ status: 'ok', message: null, notModified: [] });
    expect(first.counts.accepted).toEqual({ accounts: 5, contacts: 3, metrics: 6, events: 2 });
    expect(first.counts.rejected).toBe(0);
    // Pages of 2: 3 + 2 + 3 + 1 requests, each asking for the next cursor, with the bearer token.
    const gets = server.requests.filter((r) => r.method === 'GET');
    expect(gets.map((r) => r.kind)).toEqual([
      'accounts',
      'accounts',
      'accounts',
      'contacts',
      'contacts',
      'metrics',
      'metrics',
      'metrics',
      'events',
      // Then "are you a team hub?": this plain feed answers 404, which is no error.
      'capabilities',
    ]);
    expect(gets.at(-1)!.status).toBe(404);
    expect(first.report.team).toMatchObject({ protocol: null, user: null });
    const pages = gets.slice(0, -1);
    expect(pages.every((r) => r.authorization === `Bearer ${TOKEN}` && r.limit === 2)).toBe(true);
    expect(gets[1]!.cursor).not.toBeNull();

    const before = dump(db);
    server.requests.length = 0;
    const second = await sync(db);
    expect(second.report).toMatchObject({
      status: 'ok',
      pages: 0,
      notModified: ['accounts', 'contacts', 'metrics', 'events'],
    });
    expect(second.counts).toMatchObject({
      accepted: { accounts: 0, contacts: 0, metrics: 0, events: 0 },
      unchanged: 0,
      rejected: 0,
    });
    expect(server.requests.filter((r) => r.method === 'GET').map((r) => [r.status, r.ifNoneMatch !== null])).toEqual([
      ...Array(4).fill([304, true]),
      [404, false],
    ]);
    expect(dump(db)).toBe(before);
    expect(feedRepo(db).get('warehouse')).toMatchObject({
      status: 'ok',
      failures: 0,
      last_success_at: NOW.toISOString(),
      next_retry_at: null,
    });
  });

  it('keeps the stored account when the feed serves an older version of it, and counts it', async () => {
    const server = await feed(2, {
      accounts: [{ account_id: 'F1', name: 'F', arr: 2000, updated_at: '2026-02-05T00:00:00Z' }],
    });
    const { db } = setup(server.url);
    await sync(db);
    server.data.accounts.push({ account_id: 'F1', name: 'F', arr: 1000, updated_at: '2026-02-01T00:00:00Z' });
    const again = await sync(db);
    expect(again.counts).toMatchObject({ older: 1, accepted: { accounts: 0 } });
    expect(db.prepare("SELECT arr FROM accounts WHERE account_id = 'F1'").pluck().get()).toBe(2000);
  });

  it('fetches only what is new after the last page grew', async () => {
    const server = await feed();
    const { db } = setup(server.url);
    await sync(db);
    server.data.events.push({ account_id: 'acc_3', occurred_at: '2026-02-12T09:00:00Z', type: 'csm_touch' });
    const again = await sync(db);
    expect(again.report.notModified).toEqual(['accounts', 'contacts', 'metrics']);
    expect(again.counts.accepted.events).toBe(1);
    expect(count(db, 'events')).toBe(3);
  });

  it('retries 5xx and 429 with backoff, honours Retry-After, and ends like a clean sync', async () => {
    const server = await feed();
    server.faults.push(
      { kind: 'accounts', status: 503, times: 2 },
      { kind: 'metrics', status: 429, retryAfter: '2' },
      { kind: 'events', status: 500 },
    );
    const { db } = setup(server.url);
    const run = { sleeps: [] as number[] };
    const result = await sync(db, {}, run);
    expect(result.report.status).toBe('ok');
    expect(run.sleeps).toContain(2000);
    expect(run.sleeps.filter((ms) => ms !== 2000).every((ms) => ms >= 0 && ms <= 4)).toBe(true);
    expect(run.sleeps).toHaveLength(4);

    const clean = await feed();
    const reference = setup(clean.url);
    await sync(reference.db);
    expect(dump(db)).toBe(dump(reference.db));
  });

  it('does not wait for a long Retry-After: it schedules the next attempt then', async () => {
    const server = await feed();
    server.faults.push({ kind: 'contacts', status: 429, retryAfter: '3600' });
    const { db } = setup(server.url);
    const result = await sync(db);
    expect(result.report).toMatchObject({ status: 'error', message: expect.stringContaining('asked to wait 3600 s') });
    expect(count(db, 'accounts')).toBe(5);
    expect(feedRepo(db).get('warehouse')!.next_retry_at).toBe(new Date(NOW.getTime() + 3_600_000).toISOString());
  });

  it.each([401, 403])('fails at once when the feed answers %d, naming the source', async (status) => {
    const server = await feed();
    server.faults.push({ status, times: 99 });
    const { db } = setup(server.url);
    const result = await sync(db);
    expect(result.report).toMatchObject({
      status: 'unauthorised',
      message: 'the feed rejected the token for warehouse',
    });
    expect(server.requests).toHaveLength(1);
    expect(feedRepo(db).get('warehouse')).toMatchObject({ status: 'unauthorised', next_retry_at: null, failures: 1 });
  });

  it('reports each retry and each long wait as it happens, for output that draws no bar', async () => {
    const server = await feed();
    server.faults.push({ kind: 'accounts', status: 503 }, { kind: 'contacts', delayMs: 300 });
    const { db } = setup(server.url);
    const notices: string[] = [];
    await sync(db, {
      retry: { baseDelayMs: 1, maxDelayMs: 4, timeoutMs: 5_000, maxAttempts: 4, waitNoticeMs: 100 },
      onProgress: (p) => void (p.notice && notices.push(p.notice)),
    });
    expect(notices[0]).toMatch(/^the feed answered 503 for accounts; trying again in \d+ s \(attempt 2 of 4\)$/);
    expect(notices).toContain("still waiting for the feed's answer for contacts (0.1 s so far)");
  });

  it('treats a wrong token like any other 401', async () => {
    const server = await feed();
    const { db } = setup(server.url);
    expect((await sync(db, { token: 'wrong' })).report.status).toBe('unauthorised');
    expect(count(db, 'accounts')).toBe(0);
  });

  it('bounds a slow answer with the timeout and retries it', async () => {
    const server = await feed();
    server.faults.push({ kind: 'accounts', delayMs: 1_500 });
    const { db } = setup(server.url);
    const result = await sync(db, { retry: { timeoutMs: 300, baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 3 } });
    expect(result.report.status).toBe('ok');
    expect(count(db, 'accounts')).toBe(5);
  });

  it('reports "offline" when every attempt times out, and keeps the data', async () => {
    const server = await feed();
    const { db } = setup(server.url);
    await sync(db);
    const before = dump(db);
    server.faults.push({ delayMs: 1_000, times: 10 });
    const result = await sync(db, { retry: { timeoutMs: 100, baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 2 } });
    expect(result.report).toMatchObject({ status: 'offline', message: expect.stringContaining('timed out') });
    expect(dump(db)).toBe(before);
  });

  it('retries a body cut off mid-way', async () => {
    const server = await feed();
    server.faults.push({ kind: 'contacts', truncate: true });
    const { db } = setup(server.url);
    const result = await sync(db);
    expect(result.report.status).toBe('ok');
    expect(count(db, 'contacts')).toBe(3);
  });

  it('quarantines a page that stays malformed, and syncs the other kinds', async () => {
    const server = await feed();
    server.faults.push({ kind: 'events', body: '{"items": [{"account_id": "acc_1"', times: 10 });
    const { db } = setup(server.url);
    const result = await sync(db);
    expect(result.report).toMatchObject({
      status: 'error',
      message: expect.stringContaining('malformed JSON for events'),
    });
    expect(result.counts.accepted).toMatchObject({ accounts: 5, contacts: 3, metrics: 6, events: 0 });
    expect(result.counts.rejected).toBe(1);
    const entry = db.prepare('SELECT kind, origin, line, reason, raw_text FROM quarantine').get();
    expect(entry).toMatchObject({
      kind: 'events',
      // The first page has no cursor: the origin names none rather than an empty one.
      origin: 'feed:warehouse/v1/events',
      line: null,
      raw_text: '{"items": [{"account_id": "acc_1"',
    });
    // The same bad answer for every kind is said once, naming the kinds.
    server.faults.length = 0;
    for (const kind of ['accounts', 'contacts'] as const) server.faults.push({ kind, body: '{oops', times: 10 });
    const twice = await sync(db);
    expect(twice.report.message).toMatch(/^the feed sent malformed JSON for accounts and contacts: [^;]+$/);
    // A page with the wrong shape is kept the same way.
    server.faults.length = 0;
    server.faults.push({ kind: 'events', body: '{"rows": []}' });
    expect((await sync(db)).report.message).toContain('has no "items" array');
  });

  it('quarantines the invalid items of a page with their item number and reason', async () => {
    const data = {
      ...DATA,
      accounts: [
        ...DATA.accounts,
        { account_id: 'acc_6', name: 'Bad', arr: 'lots' },
        { account_id: 'acc_7', name: 'Also bad' },
      ],
    };
    const server = await feed(2, data);
    const { db } = setup(server.url);
    const result = await sync(db);
    expect(result.counts.rejected).toBe(2);
    expect(result.counts.errors).toEqual([
      {
        file: expect.stringMatching(/^feed:warehouse\/v1\/accounts\?cursor=.+/),
        line: 2,
        field: 'arr',
        message: "item 2, arr: 'lots' is not a number",
      },
      {
        file: expect.stringMatching(/^feed:warehouse\/v1\/accounts\?cursor=.+/),
        line: 1,
        field: 'arr',
        message: 'item 1, arr: is required',
      },
    ]);
    expect(result.report.status).toBe('ok');
    // The quarantine says "item" for feed rows, as the sync did, in its list and its export.
    const page = listQuarantine(db, {}, 0, 10);
    expect(page.rows.map((row) => [row.unit, row.line, row.values?.account_id])).toEqual([
      ['item', 2, 'acc_6'],
      ['item', 1, 'acc_7'],
    ]);
    let csv = '';
    exportQuarantine(db, {}, (text) => (csv += text));
    expect(csv.split('\n')[1]).toMatch(/^1,accounts,feed:warehouse\/v1\/accounts\?cursor=[^,]+,item 2,arr,/);
  });

  it('starts a kind again from the beginning when its cursor has expired (410)', async () => {
    const server = await feed();
    const { db } = setup(server.url);
    await sync(db);
    db.prepare("UPDATE sync_cursors SET cursor = 'expired', etag = NULL WHERE kind = 'accounts'").run();
    const result = await sync(db);
    expect(result.report.status).toBe('ok');
    expect(result.counts.unchanged).toBe(5);
  });

  it('goes offline when the feed cannot be reached, backs off, and keeps the last good data', async () => {
    const server = await feed();
    const { db } = setup(server.url);
    await sync(db);
    const before = dump(db);
    await server.close();
    const first = await sync(db);
    expect(first.report.status).toBe('offline');
    expect(first.report.message).toMatch(/could not reach the feed for accounts \((ECONNREFUSED|fetch failed)/);
    expect(dump(db)).toBe(before);
    const source = feedRepo(db).get('warehouse')!;
    expect(source).toMatchObject({
      status: 'offline',
      failures: 1,
      last_success_at: NOW.toISOString(),
      next_retry_at: new Date(NOW.getTime() + 60_000).toISOString(),
    });
    await sync(db);
    expect(feedRepo(db).get('warehouse')).toMatchObject({
      failures: 2,
      next_retry_at: new Date(NOW.getTime() + 120_000).toISOString(),
    });
  });

  it('resumes an interrupted sync where it stopped, and ends exactly like an uninterrupted one', async () => {
    const server = await feed();
    const { db } = setup(server.url);
    // The connection drops for good in the middle of the metrics.
    let metricsSeen = 0;
    const flaky: typeof fetch = async (input, init) => {
      if (String(input).includes('/v1/metrics') && ++metricsSeen >= 2)
        throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
      return fetch(input, init);
    };
    const interrupted = await sync(db, { http: { fetch: flaky, sleep: async () => {} } });
    expect(interrupted.report.status).toBe('offline');
    expect(count(db, 'metrics')).toBe(2);
    const resumeFrom = db.prepare("SELECT cursor FROM sync_cursors WHERE kind = 'metrics'").pluck().get();
    expect(resumeFrom).not.toBeNull();

    server.requests.length = 0;
    const resumed = await sync(db);
    expect(resumed.report.status).toBe('ok');
    expect(server.requests.find((r) => r.kind === 'metrics')!.cursor).toBe(resumeFrom);
    expect(resumed.counts.accepted.metrics).toBe(4);

    const clean = await feed();
    const reference = setup(clean.url);
    await sync(reference.db);
    expect(dump(db)).toBe(dump(reference.db));
  });
});

describe('the interventions outbox', () => {
  function addIntervention(db: Db, id: string, updatedAt: string, status = 'planned') {
    db.prepare(
      `INSERT INTO interventions (intervention_id, account_id, trigger_id, channel, status, created_at, updated_at)
       VALUES (?, 'acc_1', 'usage_drop', 'email', ?, '2026-02-01T00:00:00Z', ?)
       ON CONFLICT (intervention_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at`,
    ).run(id, status, updatedAt);
  }

  it('posts new and updated interventions once, idempotently, and queues them while offline', async () => {
    const server = await feed();
    const { db } = setup(server.url);
    await sync(db);
    addIntervention(db, 'int_1', '2026-02-20T10:00:00Z');
    addIntervention(db, 'int_2', '2026-02-20T11:00:00Z');
    const first = await sync(db);
    expect(first.report).toMatchObject({ pushed: 2, pendingOutbox: 0 });
    expect([...server.received.keys()].sort()).toEqual(['int_1', 'int_2']);
    expect(server.received.get('int_1')).toMatchObject({
      intervention_id: 'int_1',
      status: 'planned',
      version: '2026-02-20T10:00:00Z',
    });

    // Nothing new: nothing sent.
    expect((await sync(db)).report.pushed).toBe(0);
    expect(server.posts).toBe(1);

    // An outcome arrives while the feed is down: it waits in the outbox.
    addIntervention(db, 'int_1', '2026-02-25T10:00:00Z', 'succeeded');
    server.faults.push({ kind: 'accounts', hangUp: true, times: 99 });
    const offline = await sync(db, { retry: { maxAttempts: 1, timeoutMs: 500, baseDelayMs: 1, maxDelayMs: 1 } });
    expect(offline.report).toMatchObject({ status: 'offline', pendingOutbox: 1 });
    expect(server.received.get('int_1')).toMatchObject({ status: 'planned' });

    server.faults.length = 0;
    const back = await sync(db);
    expect(back.report).toMatchObject({ status: 'ok', pushed: 1, pendingOutbox: 0 });
    expect(server.received.get('int_1')).toMatchObject({ status: 'succeeded', version: '2026-02-25T10:00:00Z' });
    expect(server.received.size).toBe(2);
  });

  it('keeps the outbox when the feed refuses the post, and sends it next time', async () => {
    const server = await feed();
    const { db } = setup(server.url);
    await sync(db);
    addIntervention(db, 'int_9', '2026-02-20T10:00:00Z');
    server.faults.push({ kind: 'interventions', status: 500, times: 4 });
    const failed = await sync(db);
    expect(failed.report).toMatchObject({ status: 'error', pendingOutbox: 1 });
    const ok = await sync(db);
    expect(ok.report).toMatchObject({ status: 'ok', pushed: 1, pendingOutbox: 0 });
  });
});

describe('the token', () => {
  it('never reaches the database, the history or an error message, even when the feed echoes it', async () => {
    const server = await feed();
    server.faults.push({ status: 500, times: 99 });
    const { db, path } = setup(server.url);
    const result = await sync(db);
    expect(result.report.status).toBe('error');
    expect(JSON.stringify(result)).not.toContain(TOKEN);
    expect(JSON.stringify(db.prepare('SELECT * FROM sync_sources').all())).not.toContain(TOKEN);
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(path).includes(TOKEN)).toBe(false);
  });
});
