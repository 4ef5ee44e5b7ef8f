/**
 * Where the bench finds the code it measures: the sync engineer's file import and the risk
 * engineer's scoring. Looked up at run time, so the bench still runs (and says what is missing)
 * while those capabilities are being built.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Db } from '../../src/domain/db/open.ts';
import { REPO_DIR } from './paths.ts';

export interface ImportReport {
  /** Rows read, written and unchanged, as far as the importer reports them. */
  [key: string]: unknown;
}

export type ImportFn = (
  db: Db,
  files: { accountsCsv: string; metricsCsv: string },
) => Promise<ImportReport> | ImportReport;
export type ScoreFn = (db: Db, options: { asOf: string; accountIds?: string[] }) => unknown;

async function exportsOf(folder: string): Promise<Record<string, unknown>> {
  const dir = join(REPO_DIR, folder);
  if (!existsSync(dir)) return {};
  const found: Record<string, unknown> = {};
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    try {
      const module = (await import(pathToFileURL(join(dir, file)).href)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module)) if (!(name in found)) found[name] = value;
    } catch {
      // A file half-written by its owner; skip it.
    }
  }
  return found;
}

export async function findImport(): Promise<{ fn: ImportFn; name: string } | null> {
  const exported = await exportsOf('src/domain/ingest');
  // src/domain/ingest/import-files.ts: importFiles(db, paths, { now }) → ImportSummary, synchronous.
  const fn = exported.importFiles;
  if (typeof fn !== 'function') return null;
  const importFiles = fn as (db: Db, files: string[], options: { now: () => Date }) => ImportReport;
  return {
    name: 'importFiles',
    fn: (db, files) =>
      importFiles(db, [files.accountsCsv, files.metricsCsv], { now: () => new Date('2026-06-30T12:00:00Z') }),
  };
}

/**
 * The scorer: `scoreAll` for a few accounts, and the whole-book run the app makes (`scoreBook` in
 * rescore.ts: history kept filled, the churn model fitted when none is stored).
 */
export async function findScore(): Promise<{ fn: ScoreFn; book: ScoreFn; name: string } | null> {
  const exported = await exportsOf('src/domain/risk');
  const { scoreAll, scoreBook } = exported;
  if (typeof scoreAll !== 'function' || typeof scoreBook !== 'function') return null;
  return { fn: scoreAll as ScoreFn, book: scoreBook as ScoreFn, name: 'scoreBook' };
}
