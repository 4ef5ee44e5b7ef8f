/**
 * The import baseline: the sqlite3 shell's `.import` of the same two CSV files into untyped tables,
 * with the same journal settings as the app (WAL, synchronous=NORMAL), in one process. Nothing is
 * validated, converted or deduplicated: it is the cost of parsing the CSV and writing the rows.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTimed } from '../lib/proc.ts';
import { SQLITE3 } from '../lib/sqlite-cli.ts';
import { ACCOUNT_CSV_COLUMNS, METRIC_CSV_COLUMNS, type ImportFiles } from '../workload.ts';

export interface BaselineSample {
  ms: number;
  peakRssMb: number | null;
}

export async function sqliteImportOnce(files: ImportFiles, workDir: string): Promise<BaselineSample> {
  const dbPath = join(workDir, 'baseline.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  const script = join(workDir, 'baseline.sql');
  // Untyped columns: no declared types, no constraints, no keys.
  writeFileSync(
    script,
    [
      'PRAGMA journal_mode = WAL;',
      'PRAGMA synchronous = NORMAL;',
      `CREATE TABLE accounts (${ACCOUNT_CSV_COLUMNS.join(', ')});`,
      `CREATE TABLE metrics (${METRIC_CSV_COLUMNS.join(', ')});`,
      '.mode csv',
      `.import --skip 1 '${files.accountsCsv}' accounts`,
      `.import --skip 1 '${files.metricsCsv}' metrics`,
      '',
    ].join('\n'),
  );
  const { ms, peakRssMb } = await runTimed(SQLITE3, [dbPath, `.read '${script}'`]);
  for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
  return { ms, peakRssMb };
}
