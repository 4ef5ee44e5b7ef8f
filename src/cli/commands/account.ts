import type { Command } from 'commander';
import { globals, withGlobalOptions } from '../options.ts';
import { runAccount } from '../run/account.ts';

export function registerAccount(program: Command): void {
  withGlobalOptions(program.command('account'))
    .description(
      'one account as of today (or --as-of): score with every component explained, history, risk items, contacts, recent events',
    )
    .argument('<account-id>', 'the account id')
    .option('--as-of <date>', 'evaluate as of this day (YYYY-MM-DD)')
    .action(async (accountId: string, options: { asOf?: string }, command: Command) => {
      await runAccount(accountId, options, globals(command));
    });
}
