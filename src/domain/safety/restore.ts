/**
 * Getting the database back: automatically at start-up when the file is damaged (or gone), and on
 * request from Settings or `foresight restore FILE`. Nothing is ever thrown away: a damaged file is
 * moved aside, not deleted, and a user-initiated restore first takes a "pre-restore" backup of
 * what is being replaced. Every outcome carries a message that says what was restored and from when.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, renameSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { migrate } from '../db/migrate.ts';
import { LATEST_SCHEMA_VERSION, migrations } from '../db/migrations/index.ts';
import type { Db } from '../db/open.ts';
import { metaRepo } from '../db/repos/meta.ts';
import { UserFacingError } from '../errors.ts';
import { BACKUP_TAKEN_AT_KEY, createBackup, removeDatabaseFiles, removeStalePartials } from './backup.ts';
import { backupPrefixFor, instantStamp, listBackups, parseBackupFileName } from './backup-files.ts';
import { copyPagesVerified } from './copy-pages.ts';
import { contentFingerprint } from './fingerprint.ts';
import { checkConnection, checkFile, fileSchemaVersion, looksLikeForesightDatabase } from './integrity.ts';

export type RecoveryKind = 'restored-damaged' | 'restored-missing' | 'damaged-no-backup' | 'restored-by-user';

/** What happened, kept in app_meta so Settings can show it after the start-up dialog is gone. */
export interface RecoveryNotice {
  kind: RecoveryKind;
  /** When the recovery happened (ISO instant). */
  at: string;
  backupPath: string | null;
  backupTakenAt: string | null;
  /** Where the damaged or replaced file was kept. */
  keptAt: string | null;
  problems: string[];
  message: string;
}

export type StartupCheck =
  | { status: 'ok' }
  | { status: 'new' }
  | { status: 'recovered'; notice: RecoveryNotice }
  | { status: 'damaged'; notice: RecoveryNotice };

export const LAST_RECOVERY_KEY = 'desktop.last_recovery';

/** Formats an instant the way the messages show it: "2025-03-01 09:30 UTC". */
export function formatInstant(at: Date | string): string {
  const iso = typeof at === 'string' ? at : at.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

interface GoodBackup {
  path: string;
  takenAt: Date;
}

/** The newest backup that passes the full integrity check and that this app can open. */
export function newestGoodBackup(dbPath: string): GoodBackup | null {
  for (const backup of listBackups(dbPath)) {
    if (!isRestorable(backup.path)) continue;
    return { path: backup.path, takenAt: backup.takenAt };
  }
  return null;
}

function isRestorable(path: string): boolean {
  const version = fileSchemaVersion(path);
  return (
    version !== null &&
    version <= LATEST_SCHEMA_VERSION &&
    checkFile(path, 'full').ok &&
    looksLikeForesightDatabase(path)
  );
}

/**
 * Runs before the database is opened (Electron main and the web preview). A healthy file is left
 * alone; a damaged one is replaced by the newest good backup and kept aside; a missing one that
 * has backups is brought back. With no good backup the damaged file stays in place (a copy is
 * kept too) and the caller is told, so the user can still get at whatever is readable.
 */
export function checkDatabaseAtStartup(dbPath: string, options: { now: Date }): StartupCheck {
  const path = resolve(dbPath);
  const at = options.now.toISOString();
  removeStalePartials(path, options.now);

  if (!existsSync(path)) {
    const backup = newestGoodBackup(path);
    if (!backup) return { status: 'new' };
    putInPlace(backup.path, path);
    return {
      status: 'recovered',
      notice: {
        kind: 'restored-missing',
        at,
        backupPath: backup.path,
        backupTakenAt: backup.takenAt.toISOString(),
        keptAt: null,
        problems: ['the database file was missing'],
        message: `The database file was missing, so Foresight restored the backup taken ${formatInstant(backup.takenAt)}. Changes made after that time are not in it.`,
      },
    };
  }

  const report = checkFile(path, 'quick');
  if (report.ok) return { status: 'ok' };

  const keptAt = `${path}.damaged-${instantStamp(options.now)}`;
  const backup = newestGoodBackup(path);
  if (!backup) {
    copyDatabaseFiles(path, keptAt);
    return {
      status: 'damaged',
      notice: {
        kind: 'damaged-no-backup',
        at,
        backupPath: null,
        backupTakenAt: null,
        keptAt,
        problems: report.problems,
        message: `The database failed its start-up check (${report.problems[0] ?? 'damaged'}) and there is no good backup to restore from. Foresight kept a copy of the damaged file at ${keptAt} and will open what it can; export anything important and contact support.`,
      },
    };
  }

  moveDatabaseFiles(path, keptAt);
  putInPlace(backup.path, path);
  return {
    status: 'recovered',
    notice: {
      kind: 'restored-damaged',
      at,
      backupPath: backup.path,
      backupTakenAt: backup.takenAt.toISOString(),
      keptAt,
      problems: report.problems,
      message: `The database was damaged (${report.problems[0] ?? 'failed its check'}), so Foresight restored the backup taken ${formatInstant(backup.takenAt)}. Changes made after that time are not in it; the damaged file was kept at ${keptAt}.`,
    },
  };
}

export interface RestoreResult {
  restoredFrom: string;
  backupTakenAt: string;
  /** The backup of the database as it was just before the restore. */
  safetyCopy: string;
  notice: RecoveryNotice;
}

/**
 * Replaces the contents of the open database with a backup file, through the backup API so open
 * connections (the UI's, a worker's) see a consistent switch instead of a file swapped under them.
 * It resolves only when the database holds the backup's content (copy-pages.ts verifies it).
 */
export async function restoreDatabase(
  db: Db,
  options: { dbPath: string; from: string; now: Date; waitMs?: number },
): Promise<RestoreResult> {
  const from = resolve(options.from);
  const dbPath = resolve(options.dbPath);
  if (from === dbPath)
    throw new UserFacingError('RESTORE_SAME_FILE', 'That file is the database itself; choose a backup file.');
  if (!existsSync(from)) throw new UserFacingError('RESTORE_MISSING', `There is no file at ${from}.`);
  const version = fileSchemaVersion(from);
  if (version === null || !looksLikeForesightDatabase(from)) {
    throw new UserFacingError(
      'RESTORE_NOT_FORESIGHT',
      `The file at ${from} is not a Foresight backup, so nothing was restored.`,
    );
  }
  if (version > LATEST_SCHEMA_VERSION) {
    throw new UserFacingError(
      'RESTORE_TOO_NEW',
      `The backup at ${from} was written by a newer version of Foresight (schema ${version}); update Foresight to restore it.`,
    );
  }
  const check = checkFile(from, 'full');
  if (!check.ok) {
    throw new UserFacingError(
      'RESTORE_DAMAGED',
      `The backup at ${from} failed its integrity check (${check.problems[0] ?? 'damaged'}), so nothing was restored.`,
    );
  }
  const takenAt = backupTimeOf(dbPath, from);

  // What is being replaced is kept first. A damaged live database cannot be backed up through
  // SQLite, so its files are copied as they are instead.
  let safetyCopy: string;
  try {
    safetyCopy = (await createBackup(db, { dbPath, now: options.now, kind: 'pre-restore' })).path;
  } catch {
    safetyCopy = `${dbPath}.before-restore-${instantStamp(options.now)}`;
    copyDatabaseFiles(dbPath, safetyCopy);
  }

  await copyPagesVerified(db, from, dbPath, { waitMs: options.waitMs });
  migrate(db, migrations);
  const after = checkConnection(db, 'quick');
  if (!after.ok) {
    throw new UserFacingError(
      'RESTORE_FAILED',
      `The restored database failed its check (${after.problems[0] ?? 'damaged'}); the previous data is kept at ${safetyCopy}.`,
    );
  }

  const notice: RecoveryNotice = {
    kind: 'restored-by-user',
    at: options.now.toISOString(),
    backupPath: from,
    backupTakenAt: takenAt.toISOString(),
    keptAt: safetyCopy,
    problems: [],
    message: `Restored the backup taken ${formatInstant(takenAt)}. The data as it was before the restore is kept at ${safetyCopy}.`,
  };
  recordRecovery(db, notice);
  return { restoredFrom: from, backupTakenAt: notice.backupTakenAt!, safetyCopy, notice };
}

function backupTimeOf(dbPath: string, file: string): Date {
  const named = parseBackupFileName(backupPrefixFor(dbPath), file.split(/[\\/]/).pop() ?? '');
  if (named) return named.takenAt;
  let copy: Db | null = null;
  try {
    copy = new Database(file, { readonly: true, fileMustExist: true });
    const value = copy
      .prepare<[string], { value: string }>('SELECT value FROM app_meta WHERE key = ?')
      .get(BACKUP_TAKEN_AT_KEY)?.value;
    if (value && !Number.isNaN(Date.parse(value))) return new Date(value);
  } catch {
    // Fall through to the file's own time.
  } finally {
    copy?.close();
  }
  return statSync(file).mtime;
}

/** Keeps the notice in the (restored) database; the restored copy's own backup time is dropped. */
/**
 * Restore when the database cannot be opened at all (the CLI's way out of a damaged file): the
 * damaged files are moved aside, never deleted, and the backup is put in their place.
 */
export function restoreOverDamagedFile(options: { dbPath: string; from: string; now: Date }): RestoreResult {
  const from = resolve(options.from);
  const dbPath = resolve(options.dbPath);
  if (from === dbPath)
    throw new UserFacingError('RESTORE_SAME_FILE', 'That file is the database itself; choose a backup file.');
  if (!existsSync(from)) throw new UserFacingError('RESTORE_MISSING', `There is no file at ${from}.`);
  if (!isRestorable(from)) {
    throw new UserFacingError(
      'RESTORE_NOT_USABLE',
      `The file at ${from} is not a Foresight backup this version can restore, or it failed its integrity check; nothing was changed.`,
    );
  }
  const takenAt = backupTimeOf(dbPath, from);
  const keptAt = `${dbPath}.damaged-${instantStamp(options.now)}`;
  moveDatabaseFiles(dbPath, keptAt);
  putInPlace(from, dbPath);
  if (fileFingerprint(dbPath) !== fileFingerprint(from)) {
    throw new UserFacingError(
      'RESTORE_NOT_APPLIED',
      `The file at ${dbPath} does not hold the backup's content after copying it there (is the disk full?); the damaged database is kept at ${keptAt}.`,
    );
  }
  const notice: RecoveryNotice = {
    kind: 'restored-by-user',
    at: options.now.toISOString(),
    backupPath: from,
    backupTakenAt: takenAt.toISOString(),
    keptAt,
    problems: [],
    message: `Restored the backup taken ${formatInstant(takenAt)}. The damaged database it replaced is kept at ${keptAt}.`,
  };
  return { restoredFrom: from, backupTakenAt: notice.backupTakenAt!, safetyCopy: keptAt, notice };
}

export function recordRecovery(db: Db, notice: RecoveryNotice): void {
  const meta = metaRepo(db);
  meta.remove(BACKUP_TAKEN_AT_KEY);
  meta.set(LAST_RECOVERY_KEY, JSON.stringify(notice));
}

export function readLastRecovery(db: Db): RecoveryNotice | null {
  const raw = metaRepo(db).get(LAST_RECOVERY_KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as RecoveryNotice;
  } catch {
    return null;
  }
}

/** Copies a backup to the database path through a temporary name, so the path never holds half a file. */
function putInPlace(backupPath: string, dbPath: string): void {
  const staging = `${dbPath}.restoring`;
  removeDatabaseFiles(staging);
  copyFileSync(backupPath, staging);
  // A WAL left by the damaged file would be replayed over the restored one; it was moved aside with it.
  removeDatabaseFiles(dbPath);
  renameSync(staging, dbPath);
}

function fileFingerprint(path: string): string | null {
  let db: Db | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    return contentFingerprint(db);
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

function moveDatabaseFiles(from: string, to: string): void {
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(`${from}${suffix}`)) renameSync(`${from}${suffix}`, `${to}${suffix}`);
  }
}

function copyDatabaseFiles(from: string, to: string): void {
  for (const suffix of ['', '-wal']) {
    if (existsSync(`${from}${suffix}`)) copyFileSync(`${from}${suffix}`, `${to}${suffix}`);
  }
}
