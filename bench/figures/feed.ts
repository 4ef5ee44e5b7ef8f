/**
 * Feed re-sync unchanged: the sync engineer's feed test server (test/support/feed-server.ts, which
 * serves ETags) holds a small demo book; the app syncs it twice with syncFeeds, and the figure is
 * the response body bytes transferred during the second sync (the goal is 0: every kind answers
 * 304 Not Modified). Bytes are counted on the client, through the fetch the sync is given.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { closeDatabase, openDatabase } from '../../src/domain/db/open.ts';
import { generateDemoBook } from '../../src/domain/demo/index.ts';
import { saveSource } from '../../src/domain/feed/sources.ts';
import { syncFeeds } from '../../src/domain/feed/sync-feeds.ts';
import { startFeedServer } from '../../test/support/feed-server.ts';
import { BENCH_AS_OF, BENCH_SEED } from '../lib/config.ts';
import type { FigureResult } from '../lib/goals.ts';

export interface FeedOptions {
  accounts: number;
  days: number;
}

/** A fetch that counts the body bytes of every response. */
function countingFetch(counter: { bytes: number; requests: number; notModified: number }): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    counter.requests++;
    if (response.status === 304) counter.notModified++;
    const body = new Uint8Array(await response.clone().arrayBuffer());
    counter.bytes += body.byteLength;
    return response;
  };
}

export async function measureFeedResync(
  workDir: string,
  options: FeedOptions,
  log: (line: string) => void,
): Promise<FigureResult> {
  const data: Record<'accounts' | 'contacts' | 'metrics' | 'events', Record<string, unknown>[]> = {
    accounts: [],
    contacts: [],
    metrics: [],
    events: [],
  };
  for (const bundle of generateDemoBook({
    accounts: options.accounts,
    seed: BENCH_SEED,
    asOf: BENCH_AS_OF,
    days: options.days,
  })) {
    data.accounts.push(bundle.account);
    data.contacts.push(...bundle.contacts);
    data.metrics.push(...bundle.metrics);
    data.events.push(...bundle.events);
  }
  const items = Object.values(data).reduce((sum, list) => sum + list.length, 0);
  log(
    `  feed: ${items.toLocaleString('en')} items from ${options.accounts.toLocaleString('en')} accounts, synced twice`,
  );
  const feed = await startFeedServer({ data, token: 'bench-token', pageSize: 1000 });
  const dbPath = join(workDir, 'feed.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  const { db } = openDatabase(dbPath, { create: true });
  try {
    const now = () => new Date(`${BENCH_AS_OF}T12:00:00Z`);
    const { source } = saveSource(db, { name: 'bench', url: feed.url, tokenRef: null }, now());
    const sync = async () => {
      const counter = { bytes: 0, requests: 0, notModified: 0 };
      const started = performance.now();
      const result = await syncFeeds(db, [{ source, token: feed.token }], {
        now,
        http: { fetch: countingFetch(counter) },
      });
      return { ...counter, ms: performance.now() - started, result };
    };
    const first = await sync();
    const second = await sync();
    const status = second.result.sources[0]?.status ?? 'unknown';
    return {
      id: 'feed_resync',
      value: second.bytes,
      subjectMs: second.ms,
      baselineMs: first.ms,
      extra: {
        'first sync bytes': first.bytes,
        'first sync requests': first.requests,
        'second sync requests': second.requests,
        '304 answers': second.notModified,
        items,
        status,
      },
      ...(status !== 'ok'
        ? { note: `the second sync ended "${status}": ${second.result.sources[0]?.message ?? ''}` }
        : {}),
    };
  } finally {
    closeDatabase(db);
    await feed.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  }
}
