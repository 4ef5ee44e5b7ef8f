import type { Command } from 'commander';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import {
  checkEnvVarName,
  getSource,
  listSources,
  removeSource,
  saveSource,
  toSourceView,
} from '../../domain/feed/sources.ts';
import { bindTokenEnv } from '../../domain/feed/token-move.ts';
import { emit, UsageError } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';
import { describeAge, describeRefused, n } from './sync-format.ts';
import { refusedRows, resolveRefusal } from '../../domain/feed/refused-outbox.ts';

export function registerSource(program: Command): void {
  const source = withGlobalOptions(program.command('source')).description(
    'manage HTTP feed sources (see docs/feed-protocol.md)',
  );

  withGlobalOptions(source.command('add'))
    .description('add a feed source, or change the URL or token variable of an existing one')
    .argument('<name>', 'a short name, e.g. "warehouse"')
    .requiredOption('--url <url>', 'the feed base URL; requests go to URL/v1/accounts and so on')
    .option(
      '--token-env <var>',
      'the environment variable that holds the bearer token (the token itself is never stored)',
    )
    .action((name: string, options: { url: string; tokenEnv?: string }, command: Command) => {
      const { dbPath, json, explicitDb } = globals(command);
      const { db } = openDatabase(dbPath, { create: true, createParents: !explicitDb });
      try {
        const tokenRef = options.tokenEnv
          ? `env:${checkEnvVarName(options.tokenEnv)}`
          : (getSourceOrNull(db, name)?.token_ref ?? null);
        const { source: saved, created } = saveSource(db, { name, url: options.url, tokenRef }, new Date());
        // Typed in the user's own terminal: the variable now belongs to this address.
        if (options.tokenEnv) bindTokenEnv(db, tokenRef, saved.url, true);
        const view = toSourceView(db, saved);
        emit(json, view, () =>
          [
            `${created ? 'Added' : 'Updated'} source ${view.name}: ${view.url}.`,
            view.token
              ? `The token is read from ${view.token.replace(/^env:/, 'the environment variable ')} at sync time; it is never stored.`
              : 'No token: requests are sent without authentication.',
            `Run "foresight sync --source ${view.name}" to sync it.`,
          ].join('\n'),
        );
      } finally {
        closeDatabase(db);
      }
    });

  withGlobalOptions(source.command('list'))
    .description('list feed sources with their status, last successful sync and data age')
    .action((_options: unknown, command: Command) => {
      const { dbPath, json } = globals(command);
      const { db } = openDatabase(dbPath);
      try {
        const sources = listSources(db);
        const now = new Date();
        emit(json, sources, () => {
          if (sources.length === 0)
            return 'No feed sources. Add one with: foresight source add NAME --url URL --token-env VAR';
          return sources
            .map((s) =>
              [
                `${s.name}  ${s.status}  ${s.url}`,
                `  last successful sync: ${s.lastSuccessAt ?? 'never'}${s.lastSuccessAt ? ` (data is ${describeAge(s.lastSuccessAt, now)})` : ''}`,
                s.lastError ? `  last problem: ${s.lastError}` : null,
                s.nextRetryAt ? `  next retry: ${s.nextRetryAt}` : null,
                `  token: ${s.token ?? 'none'}; interventions waiting to be sent: ${n(s.pendingOutbox)}`,
                ...describeRefused(s.name, s.refused),
              ]
                .filter(Boolean)
                .join('\n'),
            )
            .join('\n');
        });
      } finally {
        closeDatabase(db);
      }
    });

  withGlobalOptions(source.command('refused'))
    .description('list the rows a source refused (kept in this book only), keep one local or discard it')
    .argument('<name>')
    .option('--keep <id>', 'keep this row in this book only and clear the notice')
    .option('--discard <id>', 'delete this intervention from this book')
    .action((name: string, options: { keep?: string; discard?: string }, command: Command) => {
      const { dbPath, json } = globals(command);
      if (options.keep && options.discard) throw new UsageError('Give --keep or --discard, not both.');
      const { db } = openDatabase(dbPath);
      try {
        getSource(db, name);
        const id = options.keep ?? options.discard;
        if (id) {
          const action = options.keep ? 'keep' : 'discard';
          const row = resolveRefusal(db, name, id, action);
          emit(json, { [action === 'keep' ? 'kept' : 'discarded']: row }, () =>
            action === 'keep'
              ? `Kept ${id} on ${row.accountId} in this book only; ${name} will not be asked again unless it changes.`
              : `Deleted intervention ${id} on ${row.accountId} from this book.`,
          );
          return;
        }
        const rows = refusedRows(db, name);
        emit(json, rows, () =>
          rows.length === 0 ? `${name} has refused nothing.` : describeRefused(name, rows).join('\n'),
        );
      } finally {
        closeDatabase(db);
      }
    });

  withGlobalOptions(source.command('remove'))
    .description('remove a feed source (its data stays)')
    .argument('<name>')
    .action((name: string, _options: unknown, command: Command) => {
      const { dbPath, json } = globals(command);
      const { db } = openDatabase(dbPath);
      try {
        removeSource(db, name);
        emit(json, { removed: name }, () => `Removed source ${name}. Its data stays in the database.`);
      } finally {
        closeDatabase(db);
      }
    });
}

function getSourceOrNull(db: Parameters<typeof getSource>[0], name: string) {
  try {
    return getSource(db, name);
  } catch {
    return null;
  }
}
