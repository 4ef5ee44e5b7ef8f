import { Command, CommanderError, Help } from 'commander';
import { COMMANDS } from './commands/index.ts';
import { EXIT } from './exit-codes.ts';
import { writeErr, writeOut } from './io.ts';
import { withGlobalOptions } from './options.ts';

/** What the top-level help shows of one command, so it can be listed without loading the command's module. */
export interface CommandSummary {
  name: string;
  /** The command's line in the list, e.g. "import [options] <files...>". */
  term: string;
  description: string;
}

// Written into the bundle at build time (vite.cli.config.ts, from src/cli/command-summary.ts); absent
// when the CLI runs from its sources, which then load every command for the top-level help.
declare const __FORESIGHT_COMMAND_SUMMARY__: readonly CommandSummary[] | undefined;
const BUNDLED_SUMMARY: readonly CommandSummary[] | null =
  typeof __FORESIGHT_COMMAND_SUMMARY__ === 'undefined' ? null : __FORESIGHT_COMMAND_SUMMARY__;

/**
 * The program for one invocation. Only the command that runs is loaded (its module, and what that
 * imports); the top-level help lists the others from `summary`, or loads them all without one.
 */
export async function buildProgram(
  argv: readonly string[] = [],
  summary: readonly CommandSummary[] | null = BUNDLED_SUMMARY,
): Promise<Command> {
  const program = withGlobalOptions(new Command('foresight'))
    .description('Foresight: proactive customer success from a local database')
    .showHelpAfterError('(run "foresight --help" for usage)')
    .exitOverride()
    .configureOutput({ writeOut, writeErr });
  const named = COMMANDS.find((entry) => entry.name === requestedCommand(argv));
  if (named) (await named.load())(program);
  else if (summary) listOnly(program, summary);
  else for (const register of await Promise.all(COMMANDS.map((entry) => entry.load()))) register(program);
  program.commands.forEach((command) => command.exitOverride());
  return program;
}

/** The command an argument list asks for (`help X` asks for X's help), skipping the global options. */
export function requestedCommand(argv: readonly string[]): string | null {
  const operands: string[] = [];
  for (let i = 0; i < argv.length && operands.length < 2; i++) {
    const arg = argv[i]!;
    if (arg === '--db') i++;
    else if (!arg.startsWith('-')) operands.push(arg);
  }
  return operands[0] === 'help' ? (operands[1] ?? null) : (operands[0] ?? null);
}

/** Commands registered by name and description only, listed by the top-level help as their modules would list them. */
function listOnly(program: Command, summary: readonly CommandSummary[]): void {
  const terms = new Map<Command, string>();
  for (const entry of summary) terms.set(program.command(entry.name).description(entry.description), entry.term);
  const help = new Help();
  program.configureHelp({ subcommandTerm: (command) => terms.get(command) ?? help.subcommandTerm(command) });
}

/** Every command's line in the top-level help, from a program with all commands loaded. */
export function summarise(program: Command): CommandSummary[] {
  const help = new Help();
  return program.commands.map((command) => ({
    name: command.name(),
    term: help.subcommandTerm(command),
    description: help.subcommandDescription(command),
  }));
}

/**
 * The exit code of a commander "error", or null for any other error. Commander reports help and
 * version as errors; only real usage mistakes are exit code 2.
 */
export function exitCodeForCommanderError(error: unknown): number | null {
  if (!(error instanceof CommanderError)) return null;
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help')
    return EXIT.ok;
  return EXIT.usage;
}
