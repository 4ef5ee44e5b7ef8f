import { InvalidArgumentError, Option, type Command } from 'commander';
import { resolveGlobals, wholeNumberIn, type GlobalOptions, type RunGlobals } from './globals.ts';

export type { GlobalOptions, RunGlobals } from './globals.ts';

/** --db and --json are accepted before or after the command name. */
export function withGlobalOptions(command: Command): Command {
  return command
    .addOption(new Option('--db <path>', 'database file (default: FORESIGHT_DB or the app data folder)'))
    .addOption(new Option('--json', 'print exactly one JSON document to stdout'));
}

export function globals(command: Command): RunGlobals {
  return resolveGlobals(command.optsWithGlobals<GlobalOptions>());
}

export function parseIntOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const parsed = wholeNumberIn(value, min, max);
    if (parsed === null) {
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}, not "${value}".`);
    }
    return parsed;
  };
}
