import type { Command } from 'commander';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { readStatus } from '../../app/services/status.ts';
import { newestDataOnLazily } from '../newest-data.ts';
import { emit, groupedCount } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';

/** An estimate shown to three significant figures, so it does not pass for an exact count. */
const roughly = (value: number) => Number(value.toPrecision(3));

export function registerStatus(program: Command): void {
  withGlobalOptions(program.command('status'))
    .description('show the database path, schema version, row counts, last sync and the newest data day')
    .action(async (_options: unknown, command: Command) => {
      const { dbPath, json } = globals(command);
      const { db, path } = openDatabase(dbPath);
      try {
        const status = await readStatus(db, path, new Date(), newestDataOnLazily, { rowCounts: 'estimate' });
        // newest_data_on: the name the CLI's JSON documents use for the book's newest data day.
        emit(json, { ...status, newest_data_on: status.newestDataOn }, () => {
          const count = (kind: 'metrics' | 'events') =>
            status.countsEstimated?.includes(kind)
              ? `about ${groupedCount(roughly(status.counts[kind]))} (estimated from a sample)`
              : groupedCount(status.counts[kind]);
          return [
            `Database:        ${status.dbPath}`,
            `Schema version:  ${status.schemaVersion}`,
            `Accounts:        ${groupedCount(status.counts.accounts)}${status.demo ? ' (demo data)' : ''}`,
            `Contacts:        ${groupedCount(status.counts.contacts)}`,
            `Metric rows:     ${count('metrics')}`,
            `Events:          ${count('events')}`,
            `Last sync:       ${status.lastSyncAt ?? 'never'}`,
            `Data through:    ${status.newestDataOn ?? 'no data'}`,
          ].join('\n');
        });
      } finally {
        closeDatabase(db);
      }
    });
}
