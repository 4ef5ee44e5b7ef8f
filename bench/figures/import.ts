/**
 * The import figure and the re-import figure, in one child process per sample: a fresh database,
 * the app's importer over the CSV files (timed), then the very same import again (timed), which
 * should find every row unchanged.
 */
import { rmSync } from 'node:fs';
import { closeDatabase, openDatabase } from '../../src/domain/db/open.ts';
import { findImport, type ImportReport } from '../lib/subjects.ts';

export interface ImportSample {
  firstMs: number;
  secondMs: number;
  first: ImportReport;
  second: ImportReport;
  accounts: number;
  metrics: number;
  importer: string;
}

export async function importTwice(input: {
  dbPath: string;
  accountsCsv: string;
  metricsCsv: string;
}): Promise<ImportSample> {
  const found = await findImport();
  if (!found) throw new Error('NO_SUBJECT: there is no file import function in src/domain/ingest yet');
  for (const suffix of ['', '-wal', '-shm']) rmSync(input.dbPath + suffix, { force: true });
  const { db } = openDatabase(input.dbPath, { create: true });
  try {
    const files = { accountsCsv: input.accountsCsv, metricsCsv: input.metricsCsv };
    let started = performance.now();
    const first = await found.fn(db, files);
    const firstMs = performance.now() - started;
    started = performance.now();
    const second = await found.fn(db, files);
    const secondMs = performance.now() - started;
    const accounts = (db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n;
    const metrics = (db.prepare('SELECT count(*) AS n FROM metrics').get() as { n: number }).n;
    return { firstMs, secondMs, first, second, accounts, metrics, importer: found.name };
  } finally {
    closeDatabase(db);
  }
}
