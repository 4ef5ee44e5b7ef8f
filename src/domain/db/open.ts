import Database from 'better-sqlite3';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UserFacingError } from '../errors.ts';
import { migrate, schemaVersion, type MigrationReport } from './migrate.ts';
import { migrations } from './migrations/index.ts';
import { prunePreMigrationCopies, removeUnfinishedCopies } from './pre-migration-copies.ts';

export type Db = Database.Database;

type UpgradeListener = (report: MigrationReport & { path: string }) => void;
const upgradeListeners: UpgradeListener[] = [];

/**
 * Told of every schema upgrade this process makes, whichever command opened the book: the CLI says
 * so, with the copy it kept (QA 5 #11: only `init` did, and `status` upgraded a book silently).
 */
export function onSchemaUpgrade(listener: UpgradeListener): void {
  upgradeListeners.push(listener);
}

export interface OpenOptions {
  /** Create the file (and, for the default location, its folder) when missing. */
  create?: boolean;
  /** Create missing parent folders too; used for the userData default. */
  createParents?: boolean;
}

export interface OpenedDatabase {
  db: Db;
  path: string;
  migration: MigrationReport;
}

/** Opens (and migrates) the Foresight database at `path`, with the pragmas every connection needs. */
export function openDatabase(path: string, options: OpenOptions = {}): OpenedDatabase {
  const absolute = resolve(path);
  const folder = dirname(absolute);
  if (!existsSync(folder)) {
    if (!options.createParents) {
      throw new UserFacingError(
        'DB_FOLDER_MISSING',
        `Cannot open the database at ${absolute} because the folder ${folder} does not exist.`,
      );
    }
    mkdirSync(folder, { recursive: true });
  }
  if (!existsSync(absolute) && !options.create) {
    throw new UserFacingError(
      'DB_MISSING',
      `There is no Foresight database at ${absolute}; run "foresight init --db ${absolute}" to create one.`,
    );
  }
  if (existsSync(absolute) && statSync(absolute).isDirectory()) {
    throw new UserFacingError(
      'DB_IS_FOLDER',
      `Cannot open the database at ${absolute} because it is a folder, not a file.`,
    );
  }
  // A pipe or a device has size 0 too: it is not an empty database to restore onto.
  if (existsSync(absolute) && !statSync(absolute).isFile()) {
    throw new UserFacingError(
      'DB_NOT_A_FILE',
      `Cannot open the database at ${absolute} because it is not a regular file (a pipe or a device).`,
    );
  }

  if (!options.create && existsSync(absolute) && statSync(absolute).size === 0) {
    // A truncated database must not silently become an empty one under a read command.
    throw new UserFacingError(
      'DB_EMPTY_FILE',
      `The database file at ${absolute} is empty (0 bytes), so it was not opened; restore a backup with "foresight restore FILE --db ${absolute}".`,
    );
  }

  let db: Db;
  try {
    db = new Database(absolute);
  } catch (error) {
    throw new UserFacingError(
      'DB_OPEN_FAILED',
      `Cannot open the database at ${absolute}: ${(error as Error).message}.`,
    );
  }
  try {
    refuseForeignDatabase(db, absolute);
    configureConnection(db);
    // A copy cut off by an earlier start (killed, disk full) restores nothing: it goes (QA 5 #10).
    // Only when an upgrade is pending, so a book's everyday start reads no folder.
    if (schemaVersion(db) < (migrations.at(-1)?.version ?? 0)) removeUnfinishedCopies(absolute);
    const migration = migrate(db, migrations, {
      backupPath: (from) => `${absolute}.pre-v${from + 1}-${Date.now()}.bak`,
    });
    // Each upgrade adds a whole copy of the book beside it: the newest few are kept (QA 5 #11).
    if (migration.backupPath) prunePreMigrationCopies(absolute);
    if (migration.from > 0 && migration.from !== migration.to)
      for (const listener of upgradeListeners) listener({ ...migration, path: absolute });
    return { db, path: absolute, migration };
  } catch (error) {
    db.close();
    if (error instanceof UserFacingError) throw error;
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') {
      throw new UserFacingError('DB_NOT_SQLITE', `The file at ${absolute} is not a Foresight database.`);
    }
    throw error;
  }
}

/** A SQLite file that holds tables but was never a Foresight database is left as it is. */
function refuseForeignDatabase(db: Db, absolute: string): void {
  if ((db.pragma('user_version', { simple: true }) as number) !== 0) return;
  const tables = db
    .prepare("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'")
    .pluck()
    .get() as number;
  if (tables > 0)
    throw new UserFacingError(
      'DB_FOREIGN',
      `The file at ${absolute} is a SQLite database of another program, not a Foresight database, so it was left unchanged; choose another file with --db.`,
    );
}

/**
 * Page size of a database this app creates. 16 KiB pages made a 2-million-row import about 15%
 * faster than SQLite's default 4 KiB (fewer page splits and WAL frames per row; 32 KiB was slower
 * again), measured in docs/performance.md. It only takes effect on a new, empty file: an existing
 * database keeps the page size it was created with, since WAL mode cannot change it.
 */
export const PAGE_SIZE = 16384;

export function configureConnection(db: Db): void {
  // Before WAL: once a database is in WAL mode its page size is fixed.
  db.pragma(`page_size = ${PAGE_SIZE}`);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode keeps the database consistent on power loss and only risks the last commits.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('temp_store = MEMORY');
}

/** Ends cleanly: folds the WAL back into the main file so the database is one file again. */
export function closeDatabase(db: Db): void {
  if (!db.open) return;
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
