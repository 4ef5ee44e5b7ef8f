/**
 * Copies a backup's pages over the live database through SQLite's online backup API, and proves
 * it did. better-sqlite3 treats SQLITE_BUSY on the first step as "done, 0 pages left", so a
 * restore while another connection (an import, a sync) holds the write lock used to report
 * success having changed nothing. Here a copy of 0 pages is retried until `waitMs` has passed and
 * then refused; a copy that ends is checked with `integrity_check` and by comparing the
 * database's content fingerprint with the backup's.
 */
import Database from 'better-sqlite3';
import type { Db } from '../db/open.ts';
import { UserFacingError } from '../errors.ts';
import { contentFingerprint } from './fingerprint.ts';
import { checkConnection } from './integrity.ts';

export interface CopyPagesOptions {
  /** How long to keep trying while another connection holds the write lock (default 15 s). */
  waitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Monotonic clock in ms, for the deadline. */
  clock?: () => number;
}

const RETRY_PAUSE_MS = 100;
export const DEFAULT_RESTORE_WAIT_MS = 15_000;

/** Copies `from` into `db` (whose file is `dbPath`), or throws a one-sentence UserFacingError. */
export async function copyPagesVerified(db: Db, from: string, dbPath: string, options: CopyPagesOptions = {}) {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const clock = options.clock ?? (() => performance.now());
  const deadline = clock() + (options.waitMs ?? DEFAULT_RESTORE_WAIT_MS);
  const source = new Database(from, { readonly: true, fileMustExist: true });
  try {
    const expected = contentFingerprint(source);
    for (;;) {
      const copied = await copyOnce(source, dbPath, () => clock() > deadline);
      if (copied) break;
      if (clock() > deadline) throw busy(dbPath);
      await sleep(RETRY_PAUSE_MS);
    }
    const check = checkConnection(db, 'full');
    if (!check.ok || contentFingerprint(db) !== expected) {
      throw new UserFacingError(
        'RESTORE_NOT_APPLIED',
        `The database at ${dbPath} does not hold the backup's content after copying (${check.problems[0] ?? 'its content differs from the backup'}); restore again, or copy the backup file in place while Foresight is closed.`,
      );
    }
  } finally {
    source.close();
  }
}

/** One backup run; false when SQLite could not take the write lock (nothing copied). */
async function copyOnce(source: Db, dbPath: string, pastDeadline: () => boolean): Promise<boolean> {
  const result = await source.backup(dbPath, {
    progress: () => {
      // A lock taken mid-copy makes better-sqlite3 retry at once, forever; give up at the deadline.
      if (pastDeadline()) throw busy(dbPath);
      return 100;
    },
  });
  return result.totalPages > 0;
}

function busy(dbPath: string): UserFacingError {
  return new UserFacingError(
    'RESTORE_BUSY',
    `Nothing was restored because another program (an import or sync) kept the database at ${dbPath} locked; try again when it has finished.`,
  );
}
