import type { Command } from 'commander';
import { resolve } from 'node:path';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { createBackup } from '../../domain/safety/backup.ts';
import { PRE_MIGRATION_COPIES_KEPT, preMigrationCopies } from '../../domain/db/pre-migration-copies.ts';
import { backupsDirFor, listBackups } from '../../domain/safety/backup-files.ts';
import { formatInstant } from '../../domain/safety/restore.ts';
import { emit } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

export function registerBackup(program: Command): void {
  withGlobalOptions(program.command('backup'))
    .description('copy the database to a verified backup (default: the backups folder, rotated 7 daily + 4 weekly)')
    .option('--out <file>', 'write the backup to this file instead (never overwrites; not rotated)')
    .option('--list', 'list the backups in the backups folder instead of taking one')
    .action(async (options: { out?: string; list?: boolean }, command: Command) => {
      const { json } = globals(command);
      const dbPath = resolve(globals(command).dbPath);
      if (options.list) {
        const backups = listBackups(dbPath).map((b) => ({
          path: b.path,
          takenAt: b.takenAt.toISOString(),
          kind: b.kind,
          bytes: b.bytes,
        }));
        // The copies taken before a schema upgrade sit beside the book, not in the folder (QA 5 #11).
        const upgrades = preMigrationCopies(dbPath).map((c) => ({
          path: c.path,
          takenAt: c.takenAt.toISOString(),
          schemaVersion: c.version,
          bytes: c.bytes,
        }));
        emit(json, { folder: backupsDirFor(dbPath), backups, preMigrationCopies: upgrades }, () =>
          [
            ...(backups.length === 0
              ? [`No backups yet in ${backupsDirFor(dbPath)}.`]
              : [
                  `Backups in ${backupsDirFor(dbPath)}:`,
                  ...backups.map(
                    (b) =>
                      `  ${formatInstant(b.takenAt)}  ${b.kind.padEnd(11)} ${megabytes(b.bytes).padStart(9)}  ${b.path}`,
                  ),
                ]),
            ...(upgrades.length === 0
              ? []
              : [
                  `Copies taken before a schema upgrade (beside the book; the newest ${PRE_MIGRATION_COPIES_KEPT} are kept):`,
                  ...upgrades.map(
                    (c) =>
                      `  ${formatInstant(c.takenAt)}  schema ${String(c.schemaVersion).padEnd(4)} ${megabytes(c.bytes).padStart(9)}  ${c.path}`,
                  ),
                ]),
          ].join('\n'),
        );
        return;
      }
      const { db, path } = openDatabase(dbPath);
      try {
        const result = await createBackup(db, {
          dbPath: path,
          now: new Date(),
          kind: 'manual',
          ...(options.out ? { out: options.out } : {}),
        });
        const value = {
          path: result.path,
          takenAt: result.takenAt.toISOString(),
          kind: result.kind,
          bytes: result.bytes,
          verified: true,
          rotatedAway: result.rotatedAway,
        };
        emit(json, value, () =>
          [
            `Backed up ${path} to ${result.path} (${megabytes(result.bytes)}); the copy passed SQLite's integrity check.`,
            result.rotatedAway.length > 0
              ? `Removed ${result.rotatedAway.length} older backup(s) outside the 7 daily + 4 weekly policy.`
              : null,
          ]
            .filter(Boolean)
            .join('\n'),
        );
      } finally {
        closeDatabase(db);
      }
    });
}
