/**
 * Helpers for hub tests: a hub on each store the machine can run (embedded PGlite always, a real
 * PostgreSQL when test/support/postgres.ts can start one), a small seeded book and a fetch wrapper.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeRecords, WRITER_LOCK } from '../../src/hub/load/stage.ts';
import type { HubStore } from '../../src/hub/store/store.ts';
import { startHub, type RunningHub, type StartHubOptions } from '../../src/hub/server/start.ts';
import { startPostgres, type TestPostgres } from './postgres.ts';

export type Backend = 'embedded' | 'pg';

export interface TestHub extends RunningHub {
  backend: Backend;
  dir: string | null;
  stopAll(): Promise<void>;
}

let shared: Promise<TestPostgres | null> | null = null;
/** One PostgreSQL cluster per test file; each hub gets its own database. */
export function sharedPostgres(): Promise<TestPostgres | null> {
  return (shared ??= startPostgres());
}

let databases = 0;
export async function startTestHub(
  backend: Backend,
  options: Omit<StartHubOptions, 'embeddedDir' | 'pgUrl'> = {},
): Promise<TestHub | null> {
  if (backend === 'embedded') {
    const dir = mkdtempSync(join(tmpdir(), 'foresight-hub-'));
    const hub = await startHub({ ...options, embeddedDir: dir, port: 0 });
    return {
      ...hub,
      backend,
      dir,
      stopAll: async () => {
        await hub.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const pg = await sharedPostgres();
  if (!pg) return null;
  const url = await pg.createDatabase(`hub_test_${process.pid}_${++databases}`);
  const hub = await startHub({ ...options, pgUrl: url, port: 0 });
  return { ...hub, backend, dir: null, stopAll: () => hub.close() };
}

export async function stopSharedPostgres(): Promise<void> {
  const pg = await shared;
  shared = null;
  await pg?.stop();
}

export const account = (id: string, owner: string | null, extra: Record<string, unknown> = {}) => ({
  account_id: id,
  name: `Account ${id}`,
  owner_email: owner,
  segment: null,
  plan: null,
  arr: 1000,
  currency: 'USD',
  seats_purchased: null,
  usage_limit: null,
  renewal_date: null,
  created_at: null,
  lifecycle_stage: null,
  status: 'active',
  churned_at: null,
  timezone: null,
  locale: null,
  updated_at: null,
  ...extra,
});

/** Writes records through the load path (staging merge), as `hub load` does after validation. */
export async function seed(
  store: HubStore,
  records: Partial<Record<'accounts' | 'contacts' | 'metrics' | 'events', Record<string, unknown>[]>>,
) {
  await store.transaction(async (tx) => {
    await tx.query(WRITER_LOCK);
    for (const kind of ['accounts', 'contacts', 'metrics', 'events'] as const)
      if (records[kind]?.length)
        await mergeRecords(
          store,
          tx,
          kind,
          records[kind].map((record, i) => ({ line: i + 2, record })),
        );
  });
}

export function client(url: string, token: string) {
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  return {
    get: (path: string, extra: Record<string, string> = {}) =>
      fetch(`${url}${path}`, { headers: { ...headers, ...extra } }),
    post: (path: string, body: unknown) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
    /** Every item of a kind, page by page; the cursors seen must never repeat. */
    async pullAll(kind: string, limit = 1000): Promise<Record<string, unknown>[]> {
      const items: Record<string, unknown>[] = [];
      const seen = new Set<string>();
      let cursor: string | null = null;
      for (;;) {
        const response: Response = await this.get(`/v1/${kind}?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        if (response.status !== 200)
          throw new Error(`GET ${kind} answered ${response.status}: ${await response.text()}`);
        const page = (await response.json()) as { items: Record<string, unknown>[]; next_cursor: string | null };
        items.push(...page.items);
        if (page.next_cursor === null) return items;
        if (seen.has(page.next_cursor)) throw new Error('a cursor repeated');
        seen.add(page.next_cursor);
        cursor = page.next_cursor;
      }
    },
  };
}
