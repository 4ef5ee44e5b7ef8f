import type { Command } from 'commander';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { readStatus } from '../../app/services/status.ts';
import { emit } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';

export function registerStatus(program: Command): void {
  withGlobalOptions(program.command('status'))
    .description('show the database path, schema version, row counts, last sync and the newest data day')
    .action((_options: unknown, command: Command) => {
      const { dbPath, json } = globals(command);
      const { db, path } = openDatabase(dbPath);
      try {
        const status = readStatus(db, path, new Date());
        // newest_data_on: the name the CLI's JSON documents use for the book's newest data day.
        emit(json, { ...status, newest_data_on: status.newestDataOn }, () => {
          const n = (value: number) => value.toLocaleString('en');
          return [
            `Database:        ${status.dbPath}`,
            `Schema version:  ${status.schemaVersion}`,
            `Accounts:        ${n(status.counts.accounts)}${status.demo ? ' (demo data)' : ''}`,
            `Contacts:        ${n(status.counts.contacts)}`,
            `Metric rows:     ${n(status.counts.metrics)}`,
            `Events:          ${n(status.counts.events)}`,
            `Last sync:       ${status.lastSyncAt ?? 'never'}`,
            `Data through:    ${status.newestDataOn ?? 'no data'}`,
          ].join('\n');
        });
      } finally {
        closeDatabase(db);
      }
    });
}
