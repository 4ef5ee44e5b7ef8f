import type { Command } from 'commander';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { todayIso } from '../../domain/contract/dates.ts';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { UserFacingError } from '../../domain/errors.ts';
import { exportOutcomes, type ExportFormat } from '../../domain/export/outcome-export.ts';
import { emit, UsageError } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';
import { checkDay } from './outcomes.ts';

interface ExportOptions {
  format: string;
  out?: string;
  from?: string;
  to?: string;
  asOf?: string;
  localOnly?: boolean;
}

export function registerExport(program: Command): void {
  const exportCommand = withGlobalOptions(program.command('export')).description('export data for spreadsheets');
  withGlobalOptions(exportCommand.command('outcomes'))
    .description(
      'the outcome report and every intervention as CSV (UTF-8, formula-safe) or XLSX (Summary and Interventions sheets)',
    )
    .option('--format <format>', 'csv|xlsx', 'xlsx')
    .option('--out <file>', 'the file to write, or a folder for the default name (default: the current folder)')
    .option('--from <date>', 'only interventions sent (and firings) on or after this day')
    .option('--to <date>', 'only interventions sent (and firings) on or before this day')
    .option('--as-of <date>', 'judge outcomes as of this day (default today)')
    .option('--local-only', 'leave out rows merged from other CSMs’ files')
    .action(async (options: ExportOptions, command: Command) => {
      const { dbPath, json } = globals(command);
      if (options.format !== 'csv' && options.format !== 'xlsx')
        throw new UsageError(`--format must be csv or xlsx, not "${options.format}".`);
      checkDay('--from', options.from);
      checkDay('--to', options.to);
      checkDay('--as-of', options.asOf);
      const { db } = openDatabase(dbPath);
      try {
        const file = await exportOutcomes(db, {
          format: options.format as ExportFormat,
          asOf: options.asOf ?? todayIso(new Date()),
          from: options.from ?? null,
          to: options.to ?? null,
          includeImported: options.localOnly !== true,
          generatedAt: new Date(),
        });
        const target = resolve(options.out ?? '.');
        const path = existsSync(target) && statSync(target).isDirectory() ? join(target, file.filename) : target;
        try {
          writeFileSync(path, file.data);
        } catch (error) {
          throw new UserFacingError('WRITE_FAILED', `Could not write ${path}: ${(error as Error).message}.`);
        }
        emit(
          json,
          { file: path, filename: file.filename, format: options.format, rows: file.rows },
          () => `Wrote ${file.rows.toLocaleString('en')} rows to ${path}.`,
        );
      } finally {
        closeDatabase(db);
      }
    });
}
