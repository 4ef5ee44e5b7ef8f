import type { Database } from 'better-sqlite3';
import { UserFacingError } from '../errors.ts';
import type { Migration } from './migration.ts';

export interface MigrationReport {
  from: number;
  to: number;
  backupPath: string | null;
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema forward to the newest migration. Each version runs in its own transaction and
 * records itself in user_version inside it, so a crash leaves the database at the last whole
 * version. A database that already holds data is copied aside first with VACUUM INTO.
 */
export function migrate(
  db: Database,
  list: readonly Migration[],
  options: { backupPath?: (from: number) => string } = {},
): MigrationReport {
  assertOrdered(list);
  const from = schemaVersion(db);
  const latest = list.at(-1)?.version ?? 0;
  if (from > latest) {
    throw new UserFacingError(
      'DB_TOO_NEW',
      `This database was written by a newer version of Foresight (schema ${from}; this app understands up to ${latest}), so it was not opened; update Foresight to use it.`,
    );
  }
  const pending = list.filter((m) => m.version > from);
  if (pending.length === 0) return { from, to: from, backupPath: null };

  let backupPath: string | null = null;
  if (from > 0 && options.backupPath) {
    backupPath = options.backupPath(from);
    db.prepare('VACUUM INTO ?').run(backupPath);
  }
  for (const migration of pending) {
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return { from, to: latest, backupPath };
}

function assertOrdered(list: readonly Migration[]): void {
  list.forEach((migration, index) => {
    const previous = index === 0 ? 0 : list[index - 1]!.version;
    if (migration.version <= previous) {
      throw new Error(
        `Migration "${migration.name}" has version ${migration.version}; versions must increase (previous ${previous}).`,
      );
    }
  });
}
