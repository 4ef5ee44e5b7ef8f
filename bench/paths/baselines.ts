/**
 * What the whole-process figures are compared with, each run as a process of its own: the sqlite3
 * shell's `.import` of the same files, DuckDB's `read_csv` (reported), one aggregate SQL scan and a
 * full rescore of the book. The Node ones are tasks of bench/child.ts.
 */
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Db } from '../../src/domain/db/open.ts';
import { runTimed, type TimedRun } from '../lib/proc.ts';
import { SQLITE3 } from '../lib/sqlite-cli.ts';

/** The CSV files of one table each, as `[table, file]`. */
export type TableFiles = readonly (readonly [table: string, file: string])[];

/** sqlite3 `.import` into untyped tables created from each file's header, WAL and synchronous=NORMAL like the app. */
export async function sqliteImport(files: TableFiles, workDir: string): Promise<TimedRun> {
  const dbPath = join(workDir, 'sqlite3-baseline.db');
  const script = join(workDir, 'sqlite3-baseline.sql');
  removeDb(dbPath);
  writeFileSync(
    script,
    [
      'PRAGMA journal_mode = WAL;',
      'PRAGMA synchronous = NORMAL;',
      '.mode csv',
      // Without a CREATE TABLE, .import makes an untyped table from the header row.
      ...files.map(([table, file]) => `.import '${file}' ${table}`),
      '',
    ].join('\n'),
  );
  try {
    return await runTimed(SQLITE3, [dbPath, `.read '${script}'`]);
  } finally {
    removeDb(dbPath);
  }
}

/** DuckDB's read_csv of the same files into a database file (in a bench/child.ts process). */
export async function duckdbImport(input: { files: TableFiles; dbPath: string }): Promise<{ tables: number }> {
  rmSync(input.dbPath, { force: true });
  const instance = await DuckDBInstance.create(input.dbPath);
  const connection = await instance.connect();
  try {
    for (const [table, file] of input.files)
      await connection.run(`CREATE TABLE ${table} AS SELECT * FROM read_csv('${file.replace(/'/g, "''")}')`);
    return { tables: input.files.length };
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(input.dbPath, { force: true });
    rmSync(`${input.dbPath}.wal`, { force: true });
  }
}

/** A full rescore of the book as of a day, the bar for a small import (in a bench/child.ts process). */
export async function fullRescore(db: Db, asOf: string): Promise<{ accounts: number }> {
  const { scoreAll } = await import('../../src/domain/risk/score-all.ts');
  const result = scoreAll(db, { asOf }) as unknown as { accounts?: number };
  return { accounts: typeof result.accounts === 'number' ? result.accounts : -1 };
}

export function removeDb(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  // The copy the migrator keeps when it upgrades an older book (a --scored-book made by an older build).
  const dir = dirname(path);
  if (existsSync(dir))
    for (const name of readdirSync(dir))
      if (name.startsWith(`${basename(path)}.pre-v`) && name.endsWith('.bak')) rmSync(join(dir, name), { force: true });
}
