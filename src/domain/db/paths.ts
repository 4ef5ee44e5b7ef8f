import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_NAME = 'Foresight';
export const DB_FILE_NAME = 'foresight.db';

/**
 * The folder Electron calls userData for an app named Foresight. Computed here, without electron,
 * so that the CLI and the app agree on the default database.
 */
export function userDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), APP_NAME);
}

/** --db wins, then FORESIGHT_DB, then the userData default. */
export function resolveDbPath(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return explicit;
  if (env.FORESIGHT_DB) return env.FORESIGHT_DB;
  return join(userDataDir(env), DB_FILE_NAME);
}
