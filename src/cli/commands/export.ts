import type { Command } from 'commander';
import { notAfterToday } from '../../domain/interventions/not-after-now.ts';
import { existsSync, statSync } from 'node:fs';
import { writeFileReplacing } from '../../domain/safety/replace-file.ts';
import { join, resolve } from 'node:path';
import { todayIso } from '../../domain/contract/dates.ts';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { UserFacingError } from '../../domain/errors.ts';
import { exportOutcomes, type ExportFormat } from '../../domain/export/outcome-export.ts';
import { plural } from '../../domain/risk/explain.ts';
import { emit, UsageError } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';
import { checkDay } from './outcomes.ts';

interface ExportOptions {
  format?: string;
  out?: string;
  force?: boolean;
  from?: string;
  to?: string;
  asOf?: string;
  localOnly?: boolean;
}

const FORMATS: readonly ExportFormat[] = ['csv', 'xlsx'];

/**
 * The format asked for, else the one the --out file's name says, else xlsx. A name that says one
 * format while --format says the other is refused: an XLSX workbook in a .csv file opens as noise.
 */
function exportFormat(options: ExportOptions): ExportFormat {
  const asked = options.format?.toLowerCase();
  if (asked !== undefined && !(FORMATS as readonly string[]).includes(asked))
    throw new UsageError(`--format must be csv or xlsx, not "${options.format}".`);
  const named = FORMATS.find((f) => options.out?.toLowerCase().endsWith(`.${f}`));
  if (asked !== undefined && named !== undefined && asked !== named)
    throw new UsageError(`--out ${options.out} names a .${named} file but --format is ${asked}; make them agree.`);
  return (asked as ExportFormat | undefined) ?? named ?? 'xlsx';
}

export function registerExport(program: Command): void {
  const exportCommand = withGlobalOptions(program.command('export')).description('export data for spreadsheets');
  withGlobalOptions(exportCommand.command('outcomes'))
    .description(
      'the outcome report and every intervention as CSV (UTF-8, formula-safe) or XLSX (Summary and Interventions sheets)',
    )
    .option('--format <format>', 'csv|xlsx (default: from the --out file name, else xlsx)')
    .option('--out <file>', 'the file to write, or a folder for the default name (default: the current folder)')
    .option('--force', 'overwrite the file if it exists')
    .option('--from <date>', 'only interventions sent (and firings) on or after this day')
    .option('--to <date>', 'only interventions sent (and firings) on or before this day')
    .option('--as-of <date>', 'judge outcomes as of this day (default today)')
    .option('--local-only', 'leave out rows merged from other CSMs’ files')
    .action(async (options: ExportOptions, command: Command) => {
      const { dbPath, json } = globals(command);
      const format = exportFormat(options);
      checkDay('--from', options.from);
      checkDay('--to', options.to);
      checkDay('--as-of', options.asOf);
      const { db } = openDatabase(dbPath);
      try {
        const file = await exportOutcomes(db, {
          format,
          asOf: notAfterToday(options.asOf ?? todayIso(new Date()), new Date()),
          from: options.from ?? null,
          to: options.to ?? null,
          includeImported: options.localOnly !== true,
          generatedAt: new Date(),
        });
        const target = resolve(options.out ?? '.');
        const path = existsSync(target) && statSync(target).isDirectory() ? join(target, file.filename) : target;
        const replaced = existsSync(path);
        // As backups never overwrite: a file already there is someone's earlier export.
        if (replaced && options.force !== true)
          throw new UsageError(`${path} already exists; add --force to overwrite it, or choose another --out.`);
        try {
          writeFileReplacing(path, file.data);
        } catch (error) {
          throw new UserFacingError('WRITE_FAILED', `Could not write ${path}: ${(error as Error).message}.`);
        }
        emit(
          json,
          { file: path, filename: file.filename, format, rows: file.rows, replaced },
          () =>
            `Wrote ${plural(file.rows, 'row')} to ${path}${replaced ? ' (it replaced the file that was there)' : ''}.`,
        );
      } finally {
        closeDatabase(db);
      }
    });
}
