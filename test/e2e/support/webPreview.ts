/**
 * Starts the real web preview (src/web/serve.ts) on a throwaway database, the way a developer
 * would, so end-to-end tests drive the real renderer against the real API and SQLite.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from '@playwright/test';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'foresight.mjs');
const SERVE = join(ROOT, 'src', 'web', 'serve.ts');
const READY = /^Foresight web preview: (http:\/\/127\.0\.0\.1:\d+\/\?token=(\S+))$/m;

export interface TempDb {
  dir: string;
  dbPath: string;
  /** Deletes the folder and everything in it. */
  remove(): void;
}

/** A new, empty folder holding the path for a database file (not created yet). */
export function tempDbPath(prefix = 'foresight-e2e-'): TempDb {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, dbPath: join(dir, 'foresight.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the CLI; throws with its output if it fails. */
export function runForesight(args: string[]): string {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  if (result.status !== 0) {
    throw new Error(
      `foresight ${args.join(' ')} exited with ${result.status ?? result.signal}:\n${result.stderr || result.stdout}`,
    );
  }
  return result.stdout;
}

/** A database holding the deterministic demo book (400 accounts unless told otherwise). */
export function makeDemoDb({ accounts, seed }: { accounts?: number; seed?: number } = {}): TempDb {
  const temp = tempDbPath();
  const extra = [
    ...(accounts ? ['--accounts', String(accounts)] : []),
    ...(seed !== undefined ? ['--seed', String(seed)] : []),
  ];
  runForesight(['init', '--demo', '--db', temp.dbPath, ...extra]);
  return temp;
}

/** A migrated database with no records, for first-launch and empty-state tests. */
export function makeEmptyDb(): TempDb {
  const temp = tempDbPath();
  runForesight(['init', '--db', temp.dbPath]);
  return temp;
}

export interface WebPreview {
  /** The URL to open, including the token. */
  url: string;
  origin: string;
  token: string;
  dbPath: string;
  /** Everything the server wrote, for diagnosing a failure. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  dbPath: string;
  /**
   * Let the server load the demo book into an empty database on launch, as a real first run does.
   * Off by default so a test sees exactly the database it prepared.
   */
  demoOnFirstLaunch?: boolean;
  timeoutMs?: number;
}

/** Spawns `node src/web/serve.ts --db … --port 0` and resolves once it prints its URL. */
export async function startWebPreview({
  dbPath,
  demoOnFirstLaunch = false,
  timeoutMs = 60_000,
}: StartOptions): Promise<WebPreview> {
  if (!existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) {
    throw new Error('The renderer is not built; run "npm run build" before the end-to-end tests.');
  }
  const args = [SERVE, '--db', dbPath, '--port', '0', ...(demoOnFirstLaunch ? [] : ['--no-demo'])];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));

  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`The web preview did not start within ${timeoutMs} ms.`)), timeoutMs);
    const onData = () => {
      const found = READY.exec(log);
      if (found) {
        cleanup();
        resolve(found);
      }
    };
    const onExit = (code: number | null) =>
      fail(new Error(`The web preview exited (code ${code}) before it was ready.`));
    function cleanup() {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
    }
    function fail(error: Error) {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`${error.message}\n${log}`));
    }
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });

  const url = match[1] as string;
  return {
    url,
    origin: new URL(url).origin,
    token: match[2] as string,
    dbPath,
    output: () => log,
    stop: () => stop(child),
  };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    // serve.ts closes the server and database on SIGTERM; SIGKILL only if it hangs.
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * For a spec file whose tests share one demo book: makes it and starts a web preview on it before
 * the file's first test, stops and deletes both after its last.
 */
export function useDemoPreview(options: { accounts?: number; seed?: number } = {}): {
  preview: () => WebPreview;
  db: () => TempDb;
} {
  let db: TempDb | undefined;
  let preview: WebPreview | undefined;
  test.beforeAll(async () => {
    db = makeDemoDb(options);
    preview = await startWebPreview({ dbPath: db.dbPath });
  });
  test.afterAll(async () => {
    await preview?.stop();
    db?.remove();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('The web preview starts in beforeAll; use it inside a test.');
    return value;
  };
  return { preview: () => started(preview), db: () => started(db) };
}
