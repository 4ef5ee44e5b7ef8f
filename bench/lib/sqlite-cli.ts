/** The sqlite3 command-line shell, the import baseline. Installed from Debian when missing and we are root. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const SQLITE3 = '/usr/bin/sqlite3';

export function ensureSqlite3(log: (line: string) => void): string {
  if (existsSync(SQLITE3)) return SQLITE3;
  if (process.getuid?.() !== 0) {
    throw new Error(
      'The import baseline needs the sqlite3 shell (Debian package "sqlite3"); install it with "sudo apt-get install -y sqlite3" — the bench only installs it itself when running as root.',
    );
  }
  log('Installing the sqlite3 shell (apt-get install -y sqlite3) for the import baseline…');
  const result = spawnSync('apt-get', ['install', '-y', 'sqlite3'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0 || !existsSync(SQLITE3))
    throw new Error('apt-get install -y sqlite3 failed; install the sqlite3 shell and run the bench again.');
  return SQLITE3;
}

export function sqlite3Version(): string | null {
  try {
    return execFileSync(SQLITE3, ['--version'], { encoding: 'utf8' }).split(' ')[0] ?? null;
  } catch {
    return null;
  }
}
