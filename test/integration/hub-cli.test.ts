/**
 * `foresight hub …` as a user runs it: serve an embedded hub and add a user to it while it runs
 * (through its local door), load files into a real PostgreSQL with refused rows quarantined, and
 * read the team report.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../support/cli.ts';
import { sharedPostgres, stopSharedPostgres } from '../support/hub.ts';
import { postgresUnavailable } from '../support/postgres.ts';
import { tempDir } from '../support/temp.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'foresight.mjs');
const pg = await sharedPostgres();
if (!pg) process.stderr.write(`hub-cli.test: real PostgreSQL skipped: ${postgresUnavailable}\n`);
afterAll(() => stopSharedPostgres());

async function waitFor(check: () => boolean, what: string, ms = 90_000) {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('foresight hub', () => {
  it('serves an embedded hub and adds a user to it while it runs', async () => {
    const dir = join(tempDir(), 'hub');
    const child = spawn(process.execPath, [BIN, 'hub', 'serve', '--embedded', dir, '--port', '0'], { stdio: 'pipe' });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor(() => existsSync(join(dir, 'hub.json')), 'hub.json');
      expect(statSync(join(dir, 'hub.secret')).mode & 0o777).toBe(0o600);
      const { url } = JSON.parse(readFileSync(join(dir, 'hub.json'), 'utf8')) as { url: string };
      expect(stdout).toContain(`The hub is listening on ${url}`);
      const added = await runCliAsync([
        'hub',
        'user',
        'add',
        'Lead@Team.example',
        '--role',
        'lead',
        '--embedded',
        dir,
        '--json',
      ]);
      expect(added.stderr).toBe('');
      const { token, email, role } = JSON.parse(added.stdout) as { token: string; email: string; role: string };
      expect({ email, role }).toEqual({ email: 'lead@team.example', role: 'lead' });
      const capabilities = await fetch(`${url}/v1/capabilities`, { headers: { Authorization: `Bearer ${token}` } });
      expect(await capabilities.json()).toMatchObject({ user: { email: 'lead@team.example', role: 'lead' } });
      const refused = await runCliAsync(['hub', 'report', '--embedded', dir]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/is running .*stop it before you read the report/);
    } finally {
      child.kill('SIGINT');
      await exited;
    }
    expect(existsSync(join(dir, 'hub.json'))).toBe(false);
  }, 120_000);

  it.skipIf(!pg)(
    'loads files into PostgreSQL with the contract and quarantines refused rows',
    async () => {
      const url = await pg!.createDatabase(`hub_cli_${process.pid}`);
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
});
