import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { checkFile } from '../../domain/safety/integrity.ts';
import {
  recordRecovery,
  restoreDatabase,
  restoreOverDamagedFile,
  type RestoreResult,
} from '../../domain/safety/restore.ts';
import { emit, UsageError } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';

export function registerRestore(program: Command): void {
  withGlobalOptions(program.command('restore'))
    .description('replace the database with a backup file; what it replaces is kept as a pre-restore copy')
    .argument('<file>', 'the backup to restore (for example one listed by "foresight backup --list")')
    .option('--wait <seconds>', 'how long to wait while another program holds the database locked', '15')
    .action(async (file: string, options: { wait: string }, command: Command) => {
      const { dbPath, json, explicitDb } = globals(command);
      const now = new Date();
      const waitMs = waitSeconds(options.wait) * 1000;
      let result: RestoreResult;
      // A database too damaged to open is restored at the file level; otherwise through SQLite,
      // which is safe even while the app has the database open.
      if (existsSync(dbPath) && !checkFile(dbPath, 'quick').ok) {
        result = restoreOverDamagedFile({ dbPath, from: file, now });
        const { db } = openDatabase(dbPath);
        recordRecovery(db, result.notice);
        closeDatabase(db);
      } else {
        const { db, path } = openDatabase(dbPath, { create: true, createParents: !explicitDb });
        try {
          result = await restoreDatabase(db, { dbPath: path, from: file, now, waitMs });
        } finally {
          closeDatabase(db);
        }
      }
      emit(
        json,
        {
          restoredFrom: result.restoredFrom,
          backupTakenAt: result.backupTakenAt,
          keptAt: result.safetyCopy,
          message: result.notice.message,
        },
        () => result.notice.message,
      );
    });
}

function waitSeconds(text: string): number {
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600)
    throw new UsageError(`--wait takes a number of seconds from 0 to 3600, not "${text.slice(0, 40)}".`);
  return seconds;
}
