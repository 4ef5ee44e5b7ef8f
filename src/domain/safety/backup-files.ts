/**
 * Where backups live and how they are named. A database at DIR/NAME.db keeps its backups in
 * DIR/backups/NAME-<UTC instant>.db, so the CLI, the web preview and the app all find the same
 * copies, and two databases in one folder never mix their backups.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

export const BACKUPS_FOLDER = 'backups';

export type BackupKind = 'scheduled' | 'manual' | 'pre-restore';

export interface BackupFile {
  path: string;
  fileName: string;
  takenAt: Date;
  kind: BackupKind;
  bytes: number;
}

export function backupsDirFor(dbPath: string): string {
  return join(dirname(dbPath), BACKUPS_FOLDER);
}

/** "foresight" for foresight.db: the prefix every backup of that database carries. */
export function backupPrefixFor(dbPath: string): string {
  const name = basename(dbPath);
  const ext = extname(name);
  return ext ? name.slice(0, -ext.length) : name;
}

/** 2025-03-02T09:30:15.123Z → 2025-03-02T09-30-15-123Z (no colons: Windows file names). */
export function instantStamp(at: Date): string {
  return at.toISOString().replace(/:/g, '-').replace('.', '-');
}

export function backupFileName(prefix: string, at: Date, kind: BackupKind): string {
  const suffix = kind === 'scheduled' ? '' : `-${kind}`;
  return `${prefix}-${instantStamp(at)}${suffix}.db`;
}

const STAMP = /(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z/;

export function parseBackupFileName(prefix: string, fileName: string): { takenAt: Date; kind: BackupKind } | null {
  if (!fileName.startsWith(`${prefix}-`) || !fileName.endsWith('.db')) return null;
  const rest = fileName.slice(prefix.length + 1, -'.db'.length);
  const match = new RegExp(`^${STAMP.source}(-manual|-pre-restore)?$`).exec(rest);
  if (!match) return null;
  const [, day, hh, mm, ss, ms, kindSuffix] = match;
  const takenAt = new Date(`${day}T${hh}:${mm}:${ss}.${ms}Z`);
  if (Number.isNaN(takenAt.getTime())) return null;
  const kind: BackupKind =
    kindSuffix === '-manual' ? 'manual' : kindSuffix === '-pre-restore' ? 'pre-restore' : 'scheduled';
  return { takenAt, kind };
}

/** The backups of one database, newest first. Unfinished (".partial") files are not backups. */
export function listBackups(dbPath: string, dir = backupsDirFor(dbPath)): BackupFile[] {
  if (!existsSync(dir)) return [];
  const prefix = backupPrefixFor(dbPath);
  const found: BackupFile[] = [];
  for (const fileName of readdirSync(dir)) {
    const parsed = parseBackupFileName(prefix, fileName);
    if (!parsed) continue;
    const path = join(dir, fileName);
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats?.isFile()) continue;
    found.push({ path, fileName, takenAt: parsed.takenAt, kind: parsed.kind, bytes: stats.size });
  }
  return found.sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
}
