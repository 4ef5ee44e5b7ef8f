import { Option, type Command } from 'commander';
import { basename } from 'node:path';
import type { RecordKind } from '../../shared/dto/core.ts';
import { inlineJobRunner } from '../../app/jobs/runner.ts';
import { todayIso } from '../../domain/contract/dates.ts';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { KINDS } from '../../domain/ingest/fields.ts';
import { readMappingFile } from '../../domain/ingest/mapping.ts';
import { emit, progressLine } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';
import { describeCounts, describeErrors, describePresetUse, exitCodeForCounts, n, rankingLine } from './sync-format.ts';
import { EXIT } from '../exit-codes.ts';
import { someNames } from '../../shared/some-names.ts';

export interface ImportCommandOptions {
  kind?: RecordKind;
  mapping?: string;
  preset?: string;
  dryRun?: boolean;
}

/** Shared by `foresight import` and `foresight quarantine import`. */
export async function runImportCommand(
  files: string[],
  options: ImportCommandOptions,
  command: Command,
): Promise<void> {
  const { dbPath, json, explicitDb } = globals(command);
  const mapping = options.mapping ? readMappingFile(options.mapping) : null;
  const { db, path } = openDatabase(dbPath, { create: true, createParents: !explicitDb });
  closeDatabase(db);
  const bar = progressLine(!json);
  const now = new Date();
  const result = await inlineJobRunner(path).run(
    'sync.import',
    {
      files: files.map((file) => ({ path: file, name: file })),
      kind: options.kind ?? null,
      mapping,
      preset: options.preset ?? null,
      dryRun: options.dryRun ?? false,
      asOf: todayIso(now),
      startedAt: now.toISOString(),
    },
    { label: 'Importing', onProgress: (p) => bar.update(p.label ?? 'Importing', p.processed, p.total) },
  );
  bar.done();
  const failed = result.files.some((file) => file.status === 'failed');
  emit(json, result, () => {
    const lines = result.files.flatMap((file) => {
      // The message names the file already: "X is empty", "X: cannot tell which kind…".
      if (file.status === 'failed') return [`Not imported: ${file.message}.`];
      const shape = [
        file.kind,
        file.format?.toUpperCase(),
        file.delimiter ? `delimiter ${JSON.stringify(file.delimiter)}` : null,
      ]
        .filter(Boolean)
        .join(', ');
      const ignored = file.ignoredColumns.length > 0 ? ` Ignored columns: ${someNames(file.ignoredColumns)}.` : '';
      const preset = file.preset ? `preset ${file.preset}, ` : '';
      return [
        `${file.file} (${preset}${shape}): ${n(file.rows)} row${file.rows === 1 ? '' : 's'}, ${n(file.accepted)} accepted, ${n(file.unchanged)} unchanged, ${file.older > 0 ? `${n(file.older)} older than what you have, kept, ` : ''}${n(file.rejected)} rejected.${ignored}`,
        ...describePresetUse(file.presetUse ?? null),
      ];
    });
    const accepted = Object.values(result.accepted).reduce((a, b) => a + b, 0);
    const summary =
      accepted === 0 && result.rejected === 0 && result.older === 0 && !failed && result.unchanged > 0
        ? `Nothing changed: all ${n(result.unchanged)} rows were already up to date.`
        : describeCounts(result);
    const hint =
      result.rejected > 0 && !result.dryRun
        ? [
            'Fix rejected rows with "foresight quarantine export --out fix.csv", edit the file, then "foresight import fix.csv".',
          ]
        : [];
    const dry = result.dryRun ? ['Dry run: nothing was stored.'] : [];
    // What the user imported for: the list it changed, and where to see it.
    // A failed file was said above, with its reason: not again under Problems.
    const failedFiles = new Set(result.files.filter((file) => file.status === 'failed').map((file) => file.file));
    const problems = describeErrors({
      ...result,
      errors: result.errors.filter((error) => !(error.line === null && failedFiles.has(error.file))),
    });
    return [...lines, summary, ...rankingLine(result.ranking, result.rankingFailed), ...dry, ...problems, ...hint].join(
      '\n',
    );
  });
  // Stored, but not ranked: a script must not read it as done (the rows need no second import).
  process.exitCode = result.rankingFailed ? EXIT.failure : exitCodeForCounts(result, failed);
}

export function registerImport(program: Command): void {
  withGlobalOptions(program.command('import'))
    .description('import accounts, contacts, metrics or events from CSV, JSON or NDJSON files')
    .argument('<files...>', 'files to import (each file is one transaction; accounts go first)')
    .addOption(new Option('--kind <kind>', 'record kind, instead of detecting it from the headers').choices(KINDS))
    .option('--mapping <file>', 'a JSON mapping file: column renames, date formats, constants (see docs/sync.md)')
    .option(
      '--preset <name>',
      'read every file with this vendor preset instead of detecting one ("foresight presets" lists them)',
    )
    .option('--dry-run', 'show what would be imported, with the first rows as they would be stored, and store nothing')
    .addHelpText(
      'after',
      `\nExit codes: 0 all rows accepted, 3 some rows rejected (the rest are committed), 1 failure, 2 usage error.\nExample: foresight import ${basename('crm-export.csv')} --json`,
    )
    .action((files: string[], options: ImportCommandOptions, command: Command) =>
      runImportCommand(files, options, command),
    );
}
