/**
 * The global options and the plain-value rules the commands share, without commander: hot.ts parses
 * the hot commands' arguments with them before commander is loaded, options.ts with commander.
 */
import { resolveDbPath } from '../domain/db/paths.ts';

export interface GlobalOptions {
  db?: string;
  json?: boolean;
}

/** What every command's work needs of the global options (run/*.ts take it). */
export interface RunGlobals {
  dbPath: string;
  json: boolean;
  explicitDb: boolean;
}

/** The global options as given (by commander, or by hot.ts), resolved: --db, else FORESIGHT_DB, else the default. */
export function resolveGlobals(options: GlobalOptions): RunGlobals {
  return {
    dbPath: resolveDbPath(options.db),
    json: options.json === true,
    explicitDb: options.db !== undefined || process.env.FORESIGHT_DB !== undefined,
  };
}

/** A whole number from min to max written as `value`, or null: what parseIntOption accepts. */
export function wholeNumberIn(value: string, min: number, max: number): number | null {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed >= min && parsed <= max ? parsed : null;
}
