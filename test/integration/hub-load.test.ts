/**
 * The hub's load path on both stores: a first load into an empty table drops its indexes and
 * builds them again over the loaded rows (stage.ts); the table ends with the same indexes, its
 * primary key still refuses a duplicate, and a later load merges into it as before.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { account, seed, sharedPostgres, startTestHub, stopSharedPostgres, type Backend } from '../support/hub.ts';
import { postgresUnavailable } from '../support/postgres.ts';

const pg = await sharedPostgres();
const backends: Backend[] = pg ? ['embedded', 'pg'] : ['embedded'];
if (!pg) process.stderr.write(`hub-load.test: real PostgreSQL skipped: ${postgresUnavailable}\n`);
afterAll(() => stopSharedPostgres());

const metric = (a: number, d: number, value: number) => ({
  account_id: `a${a}`,
  date: `2026-01-${String(d + 1).padStart(2, '0')}`,
  metric: 'active_users',
  value,
  contact_id: '',
});

describe.each(backends)('hub load on %s', (backend) => {
  it('builds the indexes of an empty table once, and keeps merging into it afterwards', async () => {
    const hub = (await startTestHub(backend))!;
    try {
      const indexes = async () =>
        (
          await hub.store.query<{ def: string }>(
            `SELECT indexdef AS def FROM pg_indexes WHERE tablename = 'metrics' ORDER BY indexname`,
          )
        ).map((r) => r.def);
      const before = await indexes();
      expect(before).toHaveLength(3);
      const accounts = Array.from({ length: 400 }, (_, a) =>
        account(`a${a}`, a < 200 ? 'maya@t.example' : 'jo@t.example'),
      );
      const rows = accounts.flatMap((_, a) => Array.from({ length: 30 }, (_, d) => metric(a, d, d)));
      await seed(hub.store, { accounts, metrics: [...rows, metric(7, 3, 99)] }); // a later line of a key wins
      expect(await indexes()).toEqual(before);
      const stored = await hub.store.query<{ n: number; owners: number; seqs: number }>(
        `SELECT count(*)::int AS n, count(DISTINCT owner_email)::int AS owners, count(DISTINCT seq)::int AS seqs FROM metrics`,
      );
      expect(stored[0]).toEqual({ n: 12_000, owners: 2, seqs: 12_000 });
      const value = async () =>
        (
          await hub.store.query<{ value: number }>(
            `SELECT value FROM metrics WHERE account_id = 'a7' AND date = '2026-01-04'`,
          )
        )[0]!.value;
      expect(await value()).toBe(99);
      await expect(
        hub.store.query(
          `INSERT INTO metrics (account_id, metric, contact_id, date, value, seq) VALUES ('a7', 'active_users', '', '2026-01-04', 1, 1)`,
        ),
      ).rejects.toThrow(/duplicate key/);
      await seed(hub.store, { metrics: [metric(7, 3, 5)] });
      expect(await value()).toBe(5);
    } finally {
      await hub.stopAll();
    }
  }, 60_000);
});
