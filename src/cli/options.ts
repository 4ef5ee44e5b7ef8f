import { InvalidArgumentError, Option, type Command } from 'commander';
import { resolveDbPath } from '../domain/db/paths.ts';

export interface GlobalOptions {
  db?: string;
  json?: boolean;
}

/** --db and --json are accepted before or after the command name. */
export function withGlobalOptions(command: Command): Command {
  return command
    .addOption(new Option('--db <path>', 'database file (default: FORESIGHT_DB or the app data folder)'))
    .addOption(new Option('--json', 'print exactly one JSON document to stdout'));
}

export function globals(command: Command): { dbPath: string; json: boolean; explicitDb: boolean } {
  const options = command.optsWithGlobals<GlobalOptions>();
  return {
    dbPath: resolveDbPath(options.db),
    json: options.json === true,
    explicitDb: options.db !== undefined || process.env.FORESIGHT_DB !== undefined,
  };
}

export function parseIntOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}, not "${value}".`);
    }
    return parsed;
  };
}
