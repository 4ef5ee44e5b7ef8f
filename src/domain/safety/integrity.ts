/**
 * Is this SQLite file whole? `quick_check` at start-up (fast: no index cross-checks) and the full
 * `integrity_check` on every backup before it is trusted. Opening a damaged file can itself throw
 * (SQLITE_NOTADB, SQLITE_CORRUPT), so every failure is turned into a plain report instead.
 */
import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import type { Db } from '../db/open.ts';
import { UserFacingError } from '../errors.ts';

export type CheckDepth = 'quick' | 'full';

export interface IntegrityReport {
  ok: boolean;
  /** SQLite's own words, at most a few lines, for the log and the user-facing message. */
  problems: string[];
}

const MAX_PROBLEMS = 5;

/** Runs quick_check or integrity_check on an open connection. */
export function checkConnection(db: Db, depth: CheckDepth): IntegrityReport {
  try {
    const pragma = depth === 'quick' ? 'quick_check' : 'integrity_check';
    const rows = db.pragma(`${pragma}(${MAX_PROBLEMS})`) as Record<string, string>[];
    const lines = rows.map((row) => String(Object.values(row)[0]));
    const ok = lines.length === 1 && lines[0] === 'ok';
    return { ok, problems: ok ? [] : lines };
  } catch (error) {
    return { ok: false, problems: [describeSqliteError(error)] };
  }
}

/** Opens the file read-only (never creating it) and checks it. */
export function checkFile(path: string, depth: CheckDepth): IntegrityReport {
  if (!existsSync(path)) return { ok: false, problems: ['the file does not exist'] };
  if (statSync(path).size === 0) return { ok: false, problems: ['the file is empty'] };
  let db: Db | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    return checkConnection(db, depth);
  } catch (error) {
    return { ok: false, problems: [describeSqliteError(error)] };
  } finally {
    try {
      db?.close();
    } catch {
      // A damaged file can fail to close cleanly; the report already says it is damaged.
    }
  }
}

/** The schema version (user_version) of a file, or null when it cannot be read. */
export function fileSchemaVersion(path: string): number | null {
  let db: Db | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    return db.pragma('user_version', { simple: true }) as number;
  } catch {
    return null;
  } finally {
    try {
      db?.close();
    } catch {
      // see checkFile
    }
  }
}

/** True when the file holds the tables every Foresight database has, so a stray SQLite file is never restored over the user's data. */
export function looksLikeForesightDatabase(path: string): boolean {
  let db: Db | null = null;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const names = new Set(
      db
        .prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'")
        .all()
        .map((row) => row.name),
    );
    return ['app_meta', 'accounts', 'contacts', 'metrics', 'events'].every((table) => names.has(table));
  } catch {
    return false;
  } finally {
    try {
      db?.close();
    } catch {
      // see checkFile
    }
  }
}

function describeSqliteError(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  return code ? `${code}: ${message}` : message;
}

/**
 * Books up to this size are checked (quick_check) before the CLI writes data into them: about a
 * quarter of a second at this size (0.26 s for the 28 MB demo book), a cost every import of a small
 * book pays (issue 16: a small events file into a scored book is a fraction of a second); a bigger
 * book is checked by the app at start-up and by every backup.
 */
export const CHECK_BEFORE_WRITE_BYTES = 64 * 1024 * 1024;

/**
 * Refuses to write into a damaged book (QA 5 #4: `import` wrote 1,200 rows into one, then called it
 * damaged as if nothing was imported). Nothing has been written when it throws.
 */
export function assertSoundBeforeWrite(db: Db, path: string): void {
  if ((statSync(path, { throwIfNoEntry: false })?.size ?? 0) > CHECK_BEFORE_WRITE_BYTES) return;
  const report = checkConnection(db, 'quick');
  if (report.ok) return;
  throw new UserFacingError(
    'DB_DAMAGED',
    `The database at ${path} is damaged (${report.problems[0] ?? 'it failed its check'}), so nothing was written to it; restore the newest good backup with "foresight restore FILE --db ${path}" (see "foresight backup --list").`,
  );
}
