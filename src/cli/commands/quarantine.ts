import { Option, type Command } from 'commander';
import { writeSync } from 'node:fs';
import { writeReplacing } from '../../domain/safety/replace-file.ts';
import type { RecordKind } from '../../shared/dto/core.ts';
import { inlineJobRunner } from '../../app/jobs/runner.ts';
import { todayIso } from '../../domain/contract/dates.ts';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { KINDS } from '../../domain/ingest/fields.ts';
import { discardQuarantine, exportQuarantine, listQuarantine } from '../../domain/ingest/quarantine.ts';
import { emit, UsageError } from '../io.ts';
import { globals, parseIntOption, withGlobalOptions } from '../options.ts';
import { runImportCommand } from './import.ts';
import { describeCounts, n, rankingLine } from './sync-format.ts';

const kindOption = () => new Option('--kind <kind>', 'only this record kind').choices(KINDS);

export function registerQuarantine(program: Command): void {
  const quarantine = withGlobalOptions(program.command('quarantine')).description(
    'rejected rows with their reasons: list (default), export, import a fixed export, retry, discard',
  );

  // The list is a default subcommand, not the parent's own action: an option on the parent is parsed
  // before any subcommand sees it, so a parent --kind once turned "discard --all --kind events" into
  // "discard everything" (test/unit/cli-program.test.ts checks the whole CLI for such clashes).
  withGlobalOptions(quarantine.command('list', { isDefault: true }))
    .description('list the rejected rows with their reasons (the default)')
    .addOption(kindOption())
    .option('--search <text>', 'only rows whose file, field, reason or values contain this text')
    .option('--limit <n>', 'rows to list', parseIntOption('--limit', 1, 100_000), 100)
    .action((options: { kind?: RecordKind; search?: string; limit: number }, command: Command) => {
      const { dbPath, json } = globals(command);
      const { db } = openDatabase(dbPath);
      try {
        const page = listQuarantine(db, { kind: options.kind ?? null, search: options.search ?? '' }, 0, options.limit);
        emit(json, page, () => {
          if (page.total === 0) return 'The quarantine is empty: no rejected rows.';
          const lines = page.rows.map(
            (row) =>
              `#${row.id}  ${row.kind}  ${row.file}${row.line === null ? '' : ` ${row.unit} ${row.line}`}${row.field ? `, ${row.field}` : ''}: ${row.reason}`,
          );
          const more = page.total - page.rows.length;
          return [
            `${n(page.total)} rejected row${page.total === 1 ? '' : 's'}:`,
            ...lines,
            more > 0 ? `… and ${n(more)} more (use --limit).` : null,
            'Fix them: "foresight quarantine export --out fix.csv", edit the values, then "foresight import fix.csv".',
          ]
            .filter(Boolean)
            .join('\n');
        });
      } finally {
        closeDatabase(db);
      }
    });

  withGlobalOptions(quarantine.command('export'))
    .description('write the rejected rows as CSV (with their reasons) to fix in a spreadsheet and import again')
    .option('--out <file>', 'the CSV file to write (default: standard output)')
    .addOption(kindOption())
    .action((options: { out?: string; kind?: RecordKind }, command: Command) => {
      const { dbPath, json } = globals(command);
      if (json && !options.out)
        throw new UsageError(
          'With --json, give --out FILE: the CSV and the JSON summary cannot share standard output.',
        );
      const { db } = openDatabase(dbPath);
      const out = options.out;
      try {
        const into = (fd: number) =>
          exportQuarantine(db, { kind: options.kind ?? null }, (text) => void writeSync(fd, text));
        // A file: written beside it and renamed when complete, so a failure leaves the old one whole.
        const rows = out ? writeReplacing(out, into) : into(1);
        if (options.out)
          emit(
            json,
            { rows, path: options.out },
            () =>
              `Wrote ${n(rows)} rejected row${rows === 1 ? '' : 's'} to ${options.out}. Fix the values, keep the quarantine_id and kind columns, then run "foresight import ${options.out}".`,
          );
      } finally {
        closeDatabase(db);
      }
    });

  withGlobalOptions(quarantine.command('import'))
    .description('import a fixed quarantine export (same as "foresight import FILE")')
    .argument('<file>')
    .action((file: string, _options: unknown, command: Command) => runImportCommand([file], {}, command));

  withGlobalOptions(quarantine.command('retry'))
    .description('check every quarantined row again, e.g. after importing the accounts they were missing')
    .action(async (_options: unknown, command: Command) => {
      const { dbPath, json } = globals(command);
      const { db, path } = openDatabase(dbPath);
      closeDatabase(db);
      const now = new Date();
      const result = await inlineJobRunner(path).run(
        'sync.quarantine.retry',
        { asOf: todayIso(now), startedAt: now.toISOString() },
        { label: 'Re-checking' },
      );
      emit(json, result, () =>
        [
          `${n(result.resolved)} row${result.resolved === 1 ? '' : 's'} left the quarantine. ${describeCounts(result)}`,
          ...rankingLine(null, result.rankingFailed, 'Stored'),
        ].join('\n'),
      );
      process.exitCode = result.rankingFailed ? 1 : result.rejected > 0 ? 3 : 0;
    });

  withGlobalOptions(quarantine.command('discard'))
    .description('delete quarantined rows nobody will fix')
    .option('--id <ids...>', 'quarantine ids (the # numbers in the list)')
    .option('--all', 'every quarantined row (or every row of --kind)')
    .addOption(kindOption())
    .action((options: { id?: string[]; all?: boolean; kind?: RecordKind }, command: Command) => {
      const { dbPath, json } = globals(command);
      if (!options.all && !options.id) throw new UsageError('Say which rows to discard: --id N [N…] or --all.');
      const ids = (options.id ?? []).map((text) => {
        const id = Number(text.replace(/^#/, ''));
        if (!Number.isSafeInteger(id) || id < 1) throw new UsageError(`"${text}" is not a quarantine id.`);
        return id;
      });
      const { db } = openDatabase(dbPath);
      try {
        const discarded = discardQuarantine(db, { ids, all: options.all === true, kind: options.kind ?? null });
        emit(json, { discarded }, () => `Discarded ${n(discarded)} quarantined row${discarded === 1 ? '' : 's'}.`);
      } finally {
        closeDatabase(db);
      }
    });
}
