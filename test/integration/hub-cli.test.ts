/**
 * `foresight hub load` and `hub report` as a user runs them, on a real PostgreSQL: refused rows
 * quarantined with their sentences, a second load unchanged; `hub stop` on a folder's process.
 * (`hub user add` and `hub user cover` through a running embedded hub's door are tested in
 * hub-server.test.ts, which has one running.)
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../support/cli.ts';
import { sharedPostgres, stopSharedPostgres } from '../support/hub.ts';
import { postgresUnavailable } from '../support/postgres.ts';
import { tempDir } from '../support/temp.ts';

const cluster = await sharedPostgres();
if (!cluster) process.stderr.write(`hub-cli.test: real PostgreSQL skipped: ${postgresUnavailable}\n`);
afterAll(() => stopSharedPostgres());

describe('foresight hub', () => {
  it.skipIf(!cluster)(
    'links a warehouse table, lists the rows the contract refuses, and unlinks it',
    async () => {
      const url = await cluster!.createDatabase(`hub_cli_link_${process.pid}`);
      const setup = new pg.Client({ connectionString: url });
      await setup.connect();
      await setup.query(`CREATE SCHEMA crm; CREATE TABLE crm.accounts (id text, name text, csm text, arr numeric);
      INSERT INTO crm.accounts VALUES ('A1', 'Acme', 'maya@team.example', 1000), ('A2', 'Bolt', 'jo@team.example', -5)`);
      await setup.end();
      const linked = await runCliAsync([
        'hub',
        'link',
        '--accounts',
        'crm.accounts',
        '--map',
        'id=account_id',
        '--map',
        'csm=owner_email',
        '--pg',
        url,
      ]);
      expect(linked.code).toBe(3);
      expect(linked.stdout).toBe(
        [
          'accounts: read in place from crm.accounts (id as account_id, name, csm as owner_email, arr)',
          'crm.accounts: 2 rows, 1 refused by the contract (not served)',
          "  crm.accounts row account_id=A2: arr: '-5' must not be negative",
          '',
        ].join('\n'),
      );
      const dir = tempDir();
      const file = join(dir, 'accounts.csv');
      writeFileSync(file, 'account_id,name,arr\nA9,Nine,10\n');
      const refused = await runCliAsync(['hub', 'load', file, '--pg', url, '--json']);
      expect(JSON.parse(refused.stdout).errors).toEqual([
        `${file}: accounts are read in place from crm.accounts (hub link); run hub unlink accounts before loading accounts files.`,
      ]);
      const unlinked = await runCliAsync(['hub', 'unlink', '--pg', url]);
      expect(unlinked.stdout.trim()).toBe('Unlinked accounts; the feed serves the loaded tables again.');
      expect((await runCliAsync(['hub', 'link', '--check', '--pg', url])).stdout.trim()).toBe(
        'No tables are linked; name them with --accounts, --contacts, --metrics or --events.',
      );
    },
    60_000,
  );

  it.skipIf(!cluster)(
    'loads files into PostgreSQL with the contract and quarantines refused rows',
    async () => {
      const url = await cluster!.createDatabase(`hub_cli_${process.pid}`);
      const dir = tempDir();
      const accounts = join(dir, 'accounts.csv');
      const events = join(dir, 'events.ndjson');
      writeFileSync(
        accounts,
        'account_id,name,owner_email,arr,renewal_date\nA1,Acme,maya@team.example,1000,2026-09-30\nA2,Bolt,jo@team.example,abc,2026-09-30\n',
      );
      writeFileSync(
        events,
        [
          { account_id: 'A1', occurred_at: '2026-02-01T10:00:00Z', type: 'payment_failed' },
          { account_id: 'ZZ', occurred_at: '2026-02-01T10:00:00Z', type: 'payment_failed' },
        ]
          .map((e) => JSON.stringify(e))
          .join('\n'),
      );
      const load = await runCliAsync(['hub', 'load', events, accounts, '--pg', url, '--json']);
      expect(load.code).toBe(3);
      const result = JSON.parse(load.stdout) as {
        written: number;
        rejected: number;
        errors: string[];
        files: { kind: string }[];
      };
      expect(result.files.map((f) => f.kind)).toEqual(['accounts', 'events']);
      expect(result.written).toBe(2);
      expect(result.rejected).toBe(2);
      expect(result.errors).toEqual([
        `${accounts} line 3, arr: 'abc' is not a number`,
        `${events} line 2, account_id: 'ZZ' is not an account in the hub (load its accounts file first)`,
      ]);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const kept = await client.query('SELECT kind, line, field, reason FROM quarantine ORDER BY kind');
      await client.end();
      expect(kept.rows).toEqual([
        { kind: 'accounts', line: 3, field: 'arr', reason: "'abc' is not a number" },
        {
          kind: 'events',
          line: 2,
          field: 'account_id',
          reason: "'ZZ' is not an account in the hub (load its accounts file first)",
        },
      ]);
      const again = await runCliAsync(['hub', 'load', accounts, '--pg', url, '--json']);
      expect(JSON.parse(again.stdout)).toMatchObject({ written: 0, unchanged: 1, rejected: 1 });

      const report = await runCliAsync(['hub', 'report', '--pg', url, '--as-of', '2026-03-01', '--json']);
      expect(JSON.parse(report.stdout)).toMatchObject({
        as_of: '2026-03-01',
        interventions: 0,
        scope: { role: 'admin' },
      });
    },
    60_000,
  );

  it('stops the process serving an embedded folder and waits until it has exited', async () => {
    const dir = tempDir();
    // A stand-in for `hub serve --embedded DIR`: it records itself in hub.json and exits on SIGTERM.
    const hub = spawn(process.execPath, [
      '-e',
      "process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000)",
    ]);
    const exited = new Promise<number | null>((resolve) => hub.once('exit', (code) => resolve(code)));
    writeFileSync(join(dir, 'hub.json'), JSON.stringify({ url: 'http://127.0.0.1:1', pid: hub.pid }));
    const stopped = await runCliAsync(['hub', 'stop', '--embedded', dir]);
    expect(stopped.stdout.trim()).toBe(`Stopped the hub serving ${dir} (process ${hub.pid}).`);
    expect(await exited).toBe(0);
    const again = await runCliAsync(['hub', 'stop', '--embedded', dir]);
    expect(again.stdout.trim()).toBe(`No hub is serving ${dir}.`);
  });
});
