import type { Command } from 'commander';
import { TOP } from '../hot.ts';
import { globals, parseIntOption, withGlobalOptions } from '../options.ts';
import { runRisks, type RisksOptions } from '../run/risks.ts';

// The command's work is in run/risks.ts, which hot.ts also runs without loading commander; its
// helpers are shared by account, accounts, renewals and digest (and risk-time.test.ts).
export { bookJson, ensureScored, money, parseAsOf, risksJson, timeNote } from '../run/risks.ts';

export function registerRisks(program: Command): void {
  withGlobalOptions(program.command('risks'))
    .description(
      'the ranked at-risk list as of today (or --as-of), highest expected ARR at risk first; --all: every active account',
    )
    .option('--as-of <date>', 'evaluate as of this day (YYYY-MM-DD); scored on first use, then read back')
    .option('--all', 'every account active on the day (not only those at risk), with P(churn) and data age')
    .option('--top <n>', 'at most this many accounts', parseIntOption('--top', TOP.min, TOP.max), TOP.default)
    .option('--owner <email>', 'only accounts owned by this CSM')
    .option('--segment <segment>', 'only this segment')
    .action(async (options: RisksOptions, command: Command) => {
      await runRisks(options, globals(command));
    });
}
