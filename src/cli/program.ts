import type { CommanderError } from 'commander';
import { Command } from 'commander';
import { commandRegistrations } from './commands/index.ts';
import { EXIT } from './exit-codes.ts';
import { withGlobalOptions } from './options.ts';

export function buildProgram(): Command {
  const program = withGlobalOptions(new Command('foresight'))
    .description('Foresight: proactive customer success from a local database')
    .showHelpAfterError('(run "foresight --help" for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  commandRegistrations.forEach((register) => register(program));
  program.commands.forEach((command) => command.exitOverride());
  return program;
}

/** Commander reports help and version as "errors"; only real usage mistakes are exit code 2. */
export function exitCodeForCommanderError(error: CommanderError): number {
  if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help')
    return EXIT.ok;
  return EXIT.usage;
}
