/**
 * Launching the real desktop app under Playwright's `_electron`. The Electron binary is not
 * installed on machines that set ELECTRON_SKIP_BINARY_DOWNLOAD (CI here), and `require('electron')`
 * would then try to download it, so its presence is detected from the files alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication } from '@playwright/test';

export const ROOT = join(import.meta.dirname, '..', '..');
const ELECTRON_DIR = join(ROOT, 'node_modules', 'electron');
const MAIN = join(ROOT, 'out', 'main', 'index.js');

function electronBinaryPath(): string | null {
  const pathFile = join(ELECTRON_DIR, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative ?? 'electron');
    return existsSync(candidate) ? candidate : null;
  }
  if (!relative) return null;
  const candidate = join(ELECTRON_DIR, 'dist', relative);
  return existsSync(candidate) ? candidate : null;
}

export const electronBinary = electronBinaryPath();
export const hasElectronBinary = electronBinary !== null && existsSync(MAIN);
export const skipReason = electronBinary
  ? `the app is not built (${MAIN} is missing); run "npm run build" first`
  : 'the Electron binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD=1); install it with "npx install-electron" to run the desktop checks';

export interface LaunchedApp {
  app: ElectronApplication;
  dir: string;
  dbPath: string;
  userData: string;
  close(): Promise<void>;
}

/** Starts the built app on a throwaway database and user-data folder. */
export async function launchApp(options: { dbPath?: string; userData?: string } = {}): Promise<LaunchedApp> {
  const dir = mkdtempSync(join(tmpdir(), 'foresight-electron-'));
  const dbPath = options.dbPath ?? join(dir, 'foresight.db');
  const userData = options.userData ?? join(dir, 'user-data');
  if (!existsSync(dbPath)) {
    const init = spawnSync(
      process.execPath,
      [join(ROOT, 'bin', 'foresight.mjs'), 'init', '--demo', '--accounts', '40', '--db', dbPath],
      { encoding: 'utf8' },
    );
    if (init.status !== 0) throw new Error(init.stderr);
  }
  const app = await electron.launch({
    executablePath: electronBinary!,
    args: [MAIN, `--db=${dbPath}`, ...(process.env.CI ? ['--no-sandbox'] : [])],
    env: { ...process.env, FORESIGHT_USER_DATA_DIR: userData } as Record<string, string>,
  });
  return {
    app,
    dir,
    dbPath,
    userData,
    async close() {
      await app.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launchSecondInstance(dbPath: string, userData: string): { status: number | null; timedOut: boolean } {
  const result = spawnSync(electronBinary!, [MAIN, `--db=${dbPath}`], {
    env: { ...process.env, FORESIGHT_USER_DATA_DIR: userData },
    timeout: 20_000,
  });
  return { status: result.status, timedOut: result.error !== undefined };
}
