/**
 * A throwaway PostgreSQL cluster for the hub tests: initdb in a temporary folder, pg_ctl start on a
 * free port (127.0.0.1 only, trust auth), stopped and removed afterwards. As root the server runs
 * as the `postgres` user (PostgreSQL refuses root). The binaries are found on PATH, in
 * /usr/local/bin, or in Debian's /usr/lib/postgresql/<version>/bin (what `.ci/run` installs).
 *
 *     const pg = await startPostgres();   // null, with pg.reason printed, when none can run here
 *     ... pg.url ...
 *     await pg.stop();
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestPostgres {
  url: string;
  /** Another empty database on the same cluster. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

function findBinDir(): string | null {
  const candidates = [
    ...(process.env.PATH ?? '').split(':'),
    '/usr/local/bin',
    '/usr/local/pgsql/bin',
    ...(existsSync('/usr/lib/postgresql')
      ? readdirSync('/usr/lib/postgresql')
          .sort((a, b) => Number(b) - Number(a))
          .map((v) => `/usr/lib/postgresql/${v}/bin`)
      : []),
  ];
  return candidates.find((dir) => dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) ?? null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Why the real-PostgreSQL tests cannot run here, or null when they can. */
export let postgresUnavailable: string | null = null;

export async function startPostgres(): Promise<TestPostgres | null> {
  const bin = findBinDir();
  if (!bin) {
    postgresUnavailable = 'no PostgreSQL binaries (initdb, pg_ctl) on PATH or in /usr/lib/postgresql/*/bin';
    process.stderr.write(`hub tests: skipping real PostgreSQL: ${postgresUnavailable}\n`);
    return null;
  }
  const root = mkdtempSync(join(tmpdir(), 'foresight-pg-'));
  const data = join(root, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: string[]) => {
    const command = asRoot ? 'runuser' : join(bin, tool);
    const full = asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
    const result = spawnSync(command, full, { encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) throw new Error(`${tool} failed: ${(result.stderr || result.stdout || '').trim()}`);
  };
  try {
    if (asRoot) {
      const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(root, uid, gid);
    }
    chmodSync(root, 0o700);
    run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
    const port = await freePort();
    run('pg_ctl', [
      '-D',
      data,
      '-l',
      join(root, 'log'),
      '-w',
      '-t',
      '60',
      '-o',
      `-p ${port} -h 127.0.0.1 -k ${root} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
      'start',
    ]);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    return {
      url,
      async createDatabase(name) {
        const pg = await import('pg');
        const client = new pg.default.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${name}`);
        } finally {
          await client.end();
        }
        return `postgres://postgres@127.0.0.1:${port}/${name}`;
      },
      async stop() {
        try {
          run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    postgresUnavailable = (error as Error).message;
    process.stderr.write(`hub tests: skipping real PostgreSQL: ${postgresUnavailable}\n`);
    return null;
  }
}
