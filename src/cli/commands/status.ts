import type { Command } from 'commander';
import { globals, withGlobalOptions } from '../options.ts';
import { runStatus } from '../run/status.ts';

export function registerStatus(program: Command): void {
  withGlobalOptions(program.command('status'))
    .description('show the database path, schema version, row counts, last sync and the newest data day')
    .action(async (_options: unknown, command: Command) => {
      await runStatus(globals(command));
    });
}
