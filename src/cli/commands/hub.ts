/**
 * `foresight hub …`: the team hub (docs/team-hub.md). Only the command definitions live here; the
 * work is imported when a hub command runs (hub-run.ts), so other commands never load PostgreSQL
 * drivers or PGlite.
 */
import { Option, type Command } from 'commander';
import { globals, parseIntOption, withGlobalOptions } from '../options.ts';

export interface HubStoreOptions {
  pg?: string;
  embedded?: string;
  url?: string;
  tokenEnv?: string;
}

export interface HubLinkOptions {
  accounts?: string;
  contacts?: string;
  metrics?: string;
  events?: string;
  map: string[];
  check?: boolean;
}

const storeOptions = (command: Command, remote: boolean) => {
  command
    .addOption(new Option('--pg <url>', 'a PostgreSQL server, e.g. postgres://hub@db.example/foresight'))
    .addOption(new Option('--embedded <dir>', 'embedded PostgreSQL (PGlite) kept in this folder'));
  if (remote)
    command
      .addOption(new Option('--url <hubUrl>', 'a running hub, e.g. https://hub.example.com'))
      .addOption(new Option('--token-env <var>', 'with --url: the environment variable holding your hub token'));
  return command;
};

const run = () => import('./hub-run.ts');

export function registerHub(program: Command): void {
  const hub = withGlobalOptions(program.command('hub')).description(
    "the team hub: share a team's book on PostgreSQL (docs/team-hub.md)",
  );

  storeOptions(withGlobalOptions(hub.command('serve')), false)
    .description('run the hub server on 127.0.0.1 until stopped (Ctrl-C)')
    .option(
      '--port <port>',
      'port to listen on (default 4780; 0 picks a free one)',
      parseIntOption('--port', 0, 65535),
      4780,
    )
    .option(
      '--host <host>',
      'address to listen on (default 127.0.0.1; put TLS in front, see docs/team-hub.md)',
      '127.0.0.1',
    )
    .option('--demo', "load the app's demo book; its owners become csm users (without tokens)")
    .option(
      '--demo-accounts <n>',
      'accounts in the demo book (default 400)',
      parseIntOption('--demo-accounts', 1, 100_000),
    )
    .action(
      async (
        options: HubStoreOptions & { port: number; host: string; demo?: boolean; demoAccounts?: number },
        command: Command,
      ) => (await run()).serve(options, globals(command).json),
    );

  withGlobalOptions(hub.command('stop'))
    .description('stop the hub serving an embedded folder (started by hub serve --embedded DIR) and wait until it has')
    .requiredOption('--embedded <dir>', 'the folder the hub serves')
    .action(async (options: { embedded: string }, command: Command) =>
      (await run()).stop(options, globals(command).json),
    );

  const user = withGlobalOptions(hub.command('user')).description('manage hub users');
  storeOptions(withGlobalOptions(user.command('add')), true)
    .description('add a user (or give an existing one a new token); prints the token once')
    .argument('<email>', "the user's email; for a csm, the owner_email of their accounts")
    .requiredOption('--role <role>', 'csm, lead or admin')
    .option('--team <team>', 'the team (a lead sees every account owned by a member of their team)', 'default')
    .option('--covers <emails>', 'a csm: colleagues whose books they also cover, comma-separated (replaces the list)')
    .option('--token-only', 'print only the token (for scripts: export VAR=$(foresight hub user add …))')
    .action(
      async (
        email: string,
        options: HubStoreOptions & { role: string; team: string; covers?: string; tokenOnly?: boolean },
        command: Command,
      ) => (await run()).userAdd(email, options, globals(command).json),
    );

  storeOptions(withGlobalOptions(user.command('remove')), true)
    .description('revoke every token of a user and end their covers (what they pushed stays)')
    .argument('<email>', "the user's email")
    .action(async (email: string, options: HubStoreOptions, command: Command) =>
      (await run()).userRemove(email, options, globals(command).json),
    );

  storeOptions(withGlobalOptions(user.command('cover')), true)
    .description("change whose books a csm covers (a pod sharing accounts, a holiday cover); '' for nobody")
    .argument('<email>', 'the covering csm')
    .requiredOption('--covers <emails>', "the colleagues, comma-separated; replaces the list ('' ends every cover)")
    .action(async (email: string, options: HubStoreOptions & { covers: string }, command: Command) =>
      (await run()).userCover(email, options, globals(command).json),
    );

  storeOptions(withGlobalOptions(hub.command('load')), false)
    .description('load accounts, contacts, metrics and events files (CSV, JSON, NDJSON) into the hub')
    .argument('<files...>', 'the files; accounts are loaded first whatever the order')
    .action(async (files: string[], options: HubStoreOptions, command: Command) =>
      (await run()).load(files, options, globals(command).json),
    );

  storeOptions(withGlobalOptions(hub.command('link')), false)
    .description(
      'serve tables of your own warehouse in place (same database, e.g. another schema), checked by the contract',
    )
    .option('--accounts <table>', 'schema.table to read accounts from')
    .option('--contacts <table>', 'schema.table to read contacts from')
    .option('--metrics <table>', 'schema.table to read metrics from (long: account_id, date, metric, value)')
    .option('--events <table>', 'schema.table to read events from (needs an event_id column)')
    .option(
      '--map <column=field>',
      'a column whose name is not the contract field (kind.column=field for one table); repeat it',
      (value: string, list: string[]) => [...list, value],
      [] as string[],
    )
    .option('--check', "list the linked tables' rows the contract refuses (and links nothing)")
    .action(async (options: HubStoreOptions & HubLinkOptions, command: Command) =>
      (await run()).link(options, globals(command).json),
    );

  storeOptions(withGlobalOptions(hub.command('unlink')), false)
    .description('stop reading warehouse tables; the feed serves the loaded tables again')
    .argument('[kinds...]', 'accounts, contacts, metrics or events (default: every linked kind)')
    .action(async (kinds: string[], options: HubStoreOptions, command: Command) =>
      (await run()).unlink(kinds, options, globals(command).json),
    );

  storeOptions(withGlobalOptions(hub.command('report')), true)
    .description('outcomes across the team and per CSM, with the stratified uplift')
    .option('--as-of <date>', 'the day the report is as of (YYYY-MM-DD; default today)')
    .action(async (options: HubStoreOptions & { asOf?: string }, command: Command) =>
      (await run()).report(options, globals(command).json),
    );
}
