import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../../src/domain/db/migrations/index.ts';
import { runCli } from '../support/cli.ts';
import { tempDir } from '../support/temp.ts';

describe('foresight CLI: init and status', () => {
  it('creates a demo database and reports it as one JSON document', () => {
    const db = join(tempDir(), 'f.db');
    const init = runCli(['init', '--demo', '--accounts', '60', '--db', db, '--json']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.json()).toMatchObject({ schemaVersion: LATEST_SCHEMA_VERSION, counts: { accounts: 60 }, demo: true });
    // The demo's first ranked list, as the list itself counts it.
    const ranking = init.json<{ ranking: { scope: string; atRisk: number } }>().ranking;
    expect(ranking.scope).toBe('book');
    const listed = runCli(['risks', '--top', '100000', '--db', db, '--json']).json<unknown[]>();
    expect(ranking.atRisk).toBe(listed.length);
    const human = runCli(['init', '--demo', '--accounts', '60', '--db', join(tempDir(), 'g.db')]);
    expect(human.stdout).toMatch(/^Ranked \d+ active accounts as of \d{4}-\d{2}-\d{2}: \d+ at risk/m);

    const status = runCli(['status', '--db', db, '--json']);
    expect(status.code).toBe(0);
    const report = status.json<{ dbPath: string; counts: Record<string, number>; lastSyncAt: string | null }>();
    expect(report.dbPath).toBe(db);
    expect(report.counts.accounts).toBe(60);
    expect(report.counts.metrics).toBeGreaterThan(60 * 100);
    expect(report.lastSyncAt).toBeNull();
  });

  it('honours FORESIGHT_DB and accepts global options before the command', () => {
    const db = join(tempDir(), 'env.db');
    expect(runCli(['--json', 'init'], { FORESIGHT_DB: db }).code).toBe(0);
    const status = runCli(['status', '--json'], { FORESIGHT_DB: db });
    expect(status.json<{ dbPath: string }>().dbPath).toBe(db);
  });

  it('fails with one sentence and exit code 1 when the folder does not exist', () => {
    const result = runCli(['status', '--db', '/nonexistent/dir/f.db']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(
      /^Cannot open the database at \/nonexistent\/dir\/f\.db because the folder \/nonexistent\/dir does not exist\.\n$/,
    );
  });

  it('fails with exit code 1 when the database has not been created', () => {
    const result = runCli(['status', '--db', join(tempDir(), 'missing.db')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^There is no Foresight database at .*missing\.db; run "foresight init/);
  });

  it('exits 2 on usage errors and 0 on --help', () => {
    expect(runCli(['frobnicate']).code).toBe(2);
    expect(runCli(['init', '--accounts', 'many', '--db', join(tempDir(), 'x.db')]).code).toBe(2);
    const help = runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/init/);
    expect(help.stdout).toMatch(/status/);
  });
});
