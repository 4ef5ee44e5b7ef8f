import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { readStatus } from '../../app/services/status.ts';
import { newestDataOnLazily } from '../newest-data.ts';
import { emit, groupedCount } from '../io.ts';
import type { RunGlobals } from '../globals.ts';

/** An estimate shown to three significant figures, so it does not pass for an exact count. */
const roughly = (value: number) => Number(value.toPrecision(3));

/** `foresight status`, its options parsed (by commander, or by hot.ts for plain arguments). */
export async function runStatus({ dbPath, json }: RunGlobals): Promise<void> {
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
}
