/**
 * Backups through SQLite's online backup API (better-sqlite3 `db.backup`): a consistent copy taken
 * page by page while the app keeps working. Every copy is written under a ".partial" name,
 * switched to a single-file journal mode, checked with the full `integrity_check`, and only then
 * given its real name, so a half-written or damaged copy is never mistaken for a good one.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Db } from '../db/open.ts';
import { UserFacingError } from '../errors.ts';
import {
  backupFileName,
  backupPrefixFor,
  backupsDirFor,
  listBackups,
  type BackupFile,
  type BackupKind,
} from './backup-files.ts';
import { checkConnection } from './integrity.ts';
import { DEFAULT_ROTATION, isBackupDue, planRotation, type RotationPolicy } from './rotation.ts';

/** Backups carry their own time in app_meta, so a copy renamed or moved (CLI --out) still knows when it was taken. */
export const BACKUP_TAKEN_AT_KEY = 'desktop.backup_taken_at';

export interface BackupResult {
  path: string;
  takenAt: Date;
  kind: BackupKind | 'export';
  bytes: number;
  /** Older copies deleted by the rotation that followed. */
  rotatedAway: string[];
}

export interface CreateBackupOptions {
  /** The live database's path; decides the backups folder and the file-name prefix. */
  dbPath: string;
  now: Date;
  kind?: BackupKind;
  /** Write exactly here instead of the backups folder (CLI --out); no rotation. */
  out?: string;
  rotation?: RotationPolicy;
}

/** Copies the open database to a verified backup file. */
export async function createBackup(db: Db, options: CreateBackupOptions): Promise<BackupResult> {
  const kind = options.kind ?? 'scheduled';
  const target = options.out
    ? resolve(options.out)
    : join(backupsDirFor(options.dbPath), backupFileName(backupPrefixFor(options.dbPath), options.now, kind));
  if (options.out && existsSync(target)) {
    throw new UserFacingError(
      'BACKUP_EXISTS',
      `Not writing the backup to ${target} because a file is already there; choose another name.`,
    );
  }
  if (!existsSync(dirname(target))) {
    if (options.out)
      throw new UserFacingError(
        'BACKUP_FOLDER_MISSING',
        `Cannot write the backup to ${target} because the folder ${dirname(target)} does not exist.`,
      );
    mkdirSync(dirname(target), { recursive: true });
  }
  if (!options.out) removeStalePartials(options.dbPath, options.now);
  const partial = join(dirname(target), `.${basename(target)}.partial`);
  removeDatabaseFiles(partial);
  try {
    await db.backup(partial);
    verifyCopy(partial, options.now);
    renameSync(partial, target);
  } catch (error) {
    removeDatabaseFiles(partial);
    if (error instanceof UserFacingError) throw error;
    throw new UserFacingError(
      'BACKUP_FAILED',
      `The backup could not be written to ${target}: ${(error as Error).message}.`,
    );
  }
  const rotatedAway = options.out ? [] : rotateBackups(options.dbPath, options.rotation ?? DEFAULT_ROTATION);
  return {
    path: target,
    takenAt: options.now,
    kind: options.out ? 'export' : kind,
    bytes: statSync(target).size,
    rotatedAway,
  };
}

/** Deletes the backups the rotation policy no longer keeps; returns their paths. */
export function rotateBackups(dbPath: string, policy: RotationPolicy = DEFAULT_ROTATION): string[] {
  const { remove } = planRotation<BackupFile>(listBackups(dbPath), policy);
  for (const backup of remove) rmSync(backup.path, { force: true });
  return remove.map((b) => b.path);
}

/** A copy is trusted only if SQLite's full check passes; it is also made a single self-contained file. */
function verifyCopy(path: string, takenAt: Date): void {
  const copy = new Database(path, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
    // The copy carries its own time, so it still knows when it was taken after a rename or a move.
    const hasMeta =
      copy.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'app_meta'").get() !== undefined;
    if (hasMeta) {
      copy
        .prepare(
          'INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        )
        .run(BACKUP_TAKEN_AT_KEY, takenAt.toISOString());
    }
    const report = checkConnection(copy, 'full');
    if (!report.ok) {
      throw new UserFacingError(
        'BACKUP_DAMAGED',
        `The backup failed its integrity check (${report.problems[0] ?? 'unknown problem'}), so it was not kept; the database itself may be damaged.`,
      );
    }
  } finally {
    copy.close();
  }
}

/** A copy still being written is younger than this; an older one was left by a killed backup or restore. */
export const STALE_PARTIAL_MS = 10 * 60_000;
const PARTIAL_NAME = /^\..+\.partial(-wal|-shm|-journal)?$/;

/**
 * Removes half-written backup copies (".NAME.partial") a killed backup or restore left in the
 * backups folder, and a killed start-up restore's ".restoring" file. Returns what it removed.
 */
export function removeStalePartials(dbPath: string, now: Date, minAgeMs = STALE_PARTIAL_MS): string[] {
  const folder = backupsDirFor(dbPath);
  const candidates = existsSync(folder)
    ? readdirSync(folder)
        .filter((name) => PARTIAL_NAME.test(name))
        .map((name) => join(folder, name))
    : [];
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    const restoring = `${resolve(dbPath)}.restoring${suffix}`;
    if (existsSync(restoring)) candidates.push(restoring);
  }
  const removed: string[] = [];
  for (const path of candidates) {
    if (now.getTime() - statSync(path).mtimeMs < minAgeMs) continue;
    rmSync(path, { force: true });
    removed.push(path);
  }
  return removed;
}

/** Removes a database file and its WAL companions, if present. */
export function removeDatabaseFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}

/** The daily backup: taken when there is none from today yet (UTC), otherwise nothing happens. */
export async function backupIfDue(
  db: Db,
  options: { dbPath: string; now: Date; rotation?: RotationPolicy },
): Promise<BackupResult | null> {
  if (!isBackupDue(listBackups(options.dbPath), options.now)) return null;
  return createBackup(db, { ...options, kind: 'scheduled' });
}
