import type { Command } from 'commander';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { aliasRepo } from '../../domain/ingest/presets/aliases.ts';
import { emit, UsageError } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';

/** `foresight aliases`: how other systems name accounts, as matched on import (docs/sync.md). */
export function registerAliases(program: Command): void {
  const aliases = withGlobalOptions(program.command('aliases'))
    .description('list remembered account matches: a vendor key or domain → an account')
    .option('--source <name>', 'only this source (stripe, zendesk, domain…)')
    .action((options: { source?: string }, command: Command) => {
      const { dbPath, json } = globals(command);
      const { db } = openDatabase(dbPath);
      try {
        const rows = aliasRepo(db).list(options.source?.toLowerCase() ?? null);
        emit(json, rows, () =>
          rows.length === 0
            ? 'No aliases yet: they are remembered when an import matches a row by domain or name.'
            : rows
                .map(
                  (r) =>
                    `${r.source.padEnd(10)} ${r.alias.padEnd(28)} → ${r.accountId} (${r.accountName ?? '?'}), by ${r.rule}`,
                )
                .join('\n'),
        );
      } finally {
        closeDatabase(db);
      }
    });

  withGlobalOptions(aliases.command('set'))
    .description('match a vendor key (or a domain, with source "domain") to an account from now on')
    .argument('<source>', 'the vendor (stripe, zendesk, mixpanel…) or "domain"')
    .argument('<alias>', 'the vendor key, e.g. cus_Q8zTtd0A1mKxZq, or a domain')
    .argument('<account_id>', 'the Foresight account')
    .action((source: string, alias: string, accountId: string, _options: unknown, command: Command) => {
      const { dbPath, json } = globals(command);
      if (source.trim() === '' || alias.trim() === '')
        throw new UsageError('The source and the alias must not be empty.');
      const { db } = openDatabase(dbPath);
      try {
        aliasRepo(db).set(source, alias, accountId, new Date().toISOString());
        emit(
          json,
          { source, alias, accountId },
          () =>
            `${source} ${alias} now means account ${accountId}; import the file again to bring its quarantined rows in.`,
        );
      } finally {
        closeDatabase(db);
      }
    });

  withGlobalOptions(aliases.command('remove'))
    .description('forget a remembered match')
    .argument('<source>')
    .argument('<alias>')
    .action((source: string, alias: string, _options: unknown, command: Command) => {
      const { dbPath, json } = globals(command);
      const { db } = openDatabase(dbPath);
      try {
        const removed = aliasRepo(db).remove(source, alias);
        emit(json, { removed }, () =>
          removed ? `Forgot ${source} ${alias}.` : `There was no alias ${source} ${alias}.`,
        );
        if (!removed) process.exitCode = 1;
      } finally {
        closeDatabase(db);
      }
    });
}
