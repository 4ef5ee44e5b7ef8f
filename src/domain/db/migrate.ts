import type { Database } from 'better-sqlite3';
import { renameSync, rmSync } from 'node:fs';
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

/** How long a process waits for another that is migrating the same book (a big book takes a while). */
const MIGRATION_WAIT_MS = 10 * 60_000;

/**
 * Brings the schema forward to the newest migration. The pending versions run in one write
 * transaction (BEGIN IMMEDIATE), each recording itself in user_version, so a crash leaves the
 * database at the version it had. user_version is read again once the lock is held: a second
 * process that opened the book at the same moment waits for the first and then finds nothing to do
 * (QA 5 #9: it ran migration 26 again on the migrated schema and failed with SQLITE_ERROR).
 * A database that already holds data is copied aside first with VACUUM INTO, under a temporary name
 * renamed when complete (`backupPath` gives the final name; a process that finds the work done
 * removes its copy).
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

  let copy: { partial: string; final: string } | null = null;
  if (from > 0 && options.backupPath) {
    const final = options.backupPath(from);
    copy = { partial: partialCopyName(final), final };
    try {
      db.prepare('VACUUM INTO ?').run(copy.partial);
    } catch (error) {
      removeCopy(copy.partial);
      throw error;
    }
  }
  const wait = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma(`busy_timeout = ${MIGRATION_WAIT_MS}`);
  let ran: number;
  try {
    ran = db
      .transaction(() => {
        const now = schemaVersion(db);
        const todo = list.filter((m) => m.version > now);
        for (const migration of todo) {
          migration.up(db);
          db.pragma(`user_version = ${migration.version}`);
        }
        return todo.length;
      })
      .immediate();
  } catch (error) {
    if (copy) removeCopy(copy.partial);
    throw error;
  } finally {
    db.pragma(`busy_timeout = ${wait}`);
  }
  if (ran === 0) {
    // Another process migrated the book while this one waited: its copy is the one to keep.
    if (copy) removeCopy(copy.partial);
    return { from: latest, to: latest, backupPath: null };
  }
  if (copy) renameSync(copy.partial, copy.final);
  return { from, to: latest, backupPath: copy?.final ?? null };
}

/** The pre-migration copy while it is written: renamed to its final name only when complete. */
export function partialCopyName(final: string): string {
  return `${final}.${process.pid}.partial`;
}

function removeCopy(path: string): void {
  for (const file of [path, `${path}-journal`]) rmSync(file, { force: true });
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
