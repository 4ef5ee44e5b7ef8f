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
import { emit } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';

export function registerRestore(program: Command): void {
  withGlobalOptions(program.command('restore'))
    .description('replace the database with a backup file; what it replaces is kept as a pre-restore copy')
    .argument('<file>', 'the backup to restore (for example one listed by "foresight backup --list")')
    .action(async (file: string, _options: unknown, command: Command) => {
      const { dbPath, json, explicitDb } = globals(command);
      const now = new Date();
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
          result = await restoreDatabase(db, { dbPath: path, from: file, now });
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
