/**
 * The hub's load path on both stores: a first load into an empty table drops its indexes and
 * builds them again over the loaded rows (stage.ts); the table ends with the same indexes, its
 * primary key still refuses a duplicate, and a later load merges into it as before. A file larger
 * than one batch is COPY'd batch by batch and loads whole, its refused rows keeping their lines.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFilesIntoHub } from '../../src/hub/load/load-files.ts';
import type { HubStore } from '../../src/hub/store/store.ts';
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

  it('loads a file larger than one batch whole, batch by batch, refused rows keeping their lines', async () => {
    const hub = (await startTestHub(backend))!;
    const dir = mkdtempSync(join(tmpdir(), 'foresight-hub-batches-'));
    try {
      const accounts = join(dir, 'accounts.csv');
      writeFileSync(accounts, 'account_id,name,arr,owner_email\na1,One,100,maya@t.example\na2,Two,200,jo@t.example\n');
      const lines = ['account_id,date,metric,value'];
      for (let d = 1; d <= 60; d++)
        for (const a of ['a1', 'a2']) lines.push(`${a},2026-02-${String((d % 28) + 1).padStart(2, '0')},m${d},${d}`);
      lines[50] = 'a1,2026-02-03,m_bad,abc'; // line 51 of the file
      lines[90] = 'a9,2026-02-03,m1,1'; // line 91: no such account
      lines.push('a2,2026-02-02,m1,777'); // line 122: a later line of a key (line 3's) wins across batches
      const metrics = join(dir, 'metrics.csv');
      writeFileSync(metrics, lines.join('\n') + '\n');
      let stageCopies = 0;
      const counting: HubStore = {
        ...hub.store,
        copyCsv: (table, columns, rows, tx) => {
          if (table === 'stage_metrics') stageCopies++;
          return hub.store.copyCsv(table, columns, rows, tx);
        },
      };
      const result = await loadFilesIntoHub(counting, [metrics, accounts], { batchRows: 25 });
      expect(stageCopies).toBe(5); // 120 rows pass the contract (one of them an orphan), 25 a batch
      expect(result.files.map((f) => [f.kind, f.rows, f.written, f.rejected])).toEqual([
        ['accounts', 2, 2, 0],
        ['metrics', 121, 118, 2],
      ]);
      expect(result.errors).toEqual([
        `${metrics} line 51, value: 'abc' is not a number`,
        `${metrics} line 91, account_id: 'a9' is not an account in the hub (load its accounts file first)`,
      ]);
      const stored = await hub.store.query<{ n: number; latest: number }>(
        `SELECT count(*)::int AS n, max(value) FILTER (WHERE account_id = 'a2' AND metric = 'm1')::int AS latest FROM metrics`,
      );
      expect(stored[0]).toEqual({ n: 118, latest: 777 });
      const quarantined = await hub.store.query<{ line: number; field: string }>(
        `SELECT line, field FROM quarantine WHERE load_id = $1 ORDER BY line`,
        [result.load_id],
      );
      expect(quarantined).toEqual([
        { line: 51, field: 'value' },
        { line: 91, field: 'account_id' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await hub.stopAll();
    }
  }, 60_000);

  it('quarantines every child of an unknown account, however many, and counts none as unchanged', async () => {
    const hub = (await startTestHub(backend))!;
    const dir = mkdtempSync(join(tmpdir(), 'foresight-hub-orphans-'));
    try {
      await seed(hub.store, { accounts: [account('a1', 'maya@t.example')] });
      const rows = ['account_id,date,metric,value', 'a1,2026-02-01,logins,1'];
      for (let d = 0; d < 250; d++) rows.push(`zz,2026-02-01,m${d},${d}`);
      const metrics = join(dir, 'metrics.csv');
      writeFileSync(metrics, rows.join('\n') + '\n');
      const result = await loadFilesIntoHub(hub.store, [metrics], { batchRows: 100 });
      expect(result).toMatchObject({ written: 1, unchanged: 0, rejected: 250 });
      expect(result.errors).toHaveLength(200); // the first ones as sentences; all are in the quarantine
      expect(result.errors[199]).toBe(
        `${metrics} line 202, account_id: 'zz' is not an account in the hub (load its accounts file first)`,
      );
      const kept = await hub.store.query<{ n: number; first: number; last: number }>(
        `SELECT count(*)::int AS n, min(line) AS first, max(line) AS last FROM quarantine WHERE load_id = $1`,
        [result.load_id],
      );
      expect(kept[0]).toEqual({ n: 250, first: 3, last: 252 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await hub.stopAll();
    }
  }, 60_000);
});
