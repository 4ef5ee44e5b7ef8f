import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { importOutcomeFiles } from '../../domain/export/merge-import.ts';
import { EXIT } from '../exit-codes.ts';
import { emit, UsageError } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';
import { plural } from '../../domain/risk/explain.ts';

const olderSentence = (older: number) => `${plural(older, 'row')} older than what you have, kept yours.`;

export function registerImportOutcomes(program: Command): void {
  withGlobalOptions(program.command('import-outcomes'))
    .description('merge other CSMs’ outcome exports (CSV or XLSX) into this report, de-duplicated by intervention id')
    .argument('<files...>', 'exported outcome files')
    .action(async (files: string[], _options: unknown, command: Command) => {
      const { dbPath, json } = globals(command);
      const paths = files.map((f) => resolve(f));
      const missing = paths.find((p) => !existsSync(p));
      if (missing) throw new UsageError(`There is no file at ${missing}.`);
      const { db } = openDatabase(dbPath);
      try {
        const result = await importOutcomeFiles(
          db,
          paths.map((path) => ({ name: path, data: new Uint8Array(readFileSync(path)) })),
          new Date(),
        );
        emit(json, result, () =>
          [
            ...result.files.map(
              (f) =>
                `${f.file}: ${f.rows} rows, ${f.added} added, ${f.updated} updated, ${f.unchanged} unchanged${f.rejected.length ? `, ${f.rejected.length} rejected` : ''}.` +
                (f.older ? ` ${olderSentence(f.older)}` : '') +
                f.rejected
                  .slice(0, 20)
                  .map((r) => `\n  line ${r.line}: ${r.reason}`)
                  .join(''),
            ),
            `Merged: ${result.added} added, ${result.updated} updated, ${result.unchanged} unchanged, ${result.rejected} rejected.` +
              (result.older ? ` ${olderSentence(result.older)}` : ''),
          ].join('\n'),
        );
        if (result.rejected > 0) process.exitCode = EXIT.partial;
      } finally {
        closeDatabase(db);
      }
    });
}
