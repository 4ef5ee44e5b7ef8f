// `status`, `risks` and `account X` with plain arguments run without commander (src/cli/hot.ts).
// Every argument list below is read by commander, as the CLI did before, and by the hot path: where
// the hot path takes the arguments it must call the command's work with exactly what commander's
// action got; where commander refuses them, the hot path must leave them to commander.
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { resolveGlobals } from '../../src/cli/globals.ts';
import { hotOptions, parseHot } from '../../src/cli/hot.ts';
import { globals } from '../../src/cli/options.ts';
import { buildProgram, requestedCommand } from '../../src/cli/program.ts';

type Reading = { command: string; positionals: string[]; options: object; globals: object } | 'refused';

/** What commander hands the command's action for these arguments, without running it. */
async function commanderReading(argv: string[]): Promise<Reading> {
  const program = await buildProgram(argv, []);
  const name = requestedCommand(argv);
  const command = program.commands.find((c) => c.name() === name);
  let reading: Reading = 'refused';
  command?.action((...args: unknown[]) => {
    const self = args.at(-1) as Command;
    reading = {
      command: self.name(),
      positionals: args.slice(0, -2) as string[],
      options: { ...(args.at(-2) as object) },
      globals: globals(self),
    };
  });
  for (const c of [program, ...program.commands]) c.configureOutput({ writeErr: () => {}, writeOut: () => {} });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch {
    return 'refused';
  }
  return reading;
}

const PLAIN: string[][] = [
  ['status'],
  ['status', '--json'],
  ['--json', 'status'],
  ['--db', '/tmp/x.db', 'status'],
  ['status', '--db', '/tmp/x.db', '--json'],
  ['risks'],
  ['risks', '--top', '10'],
  ['risks', '--top', '1', '--json', '--db', 'b.db'],
  ['--db', 'b.db', 'risks', '--top', '100000', '--owner', 'Dana@Example.com', '--segment', 'Mid-Market'],
  ['risks', '--all', '--as-of', '2026-12-08'],
  ['risks', '--as-of', 'not a day'],
  ['risks', '--owner', ''],
  ['account', 'acc_00042'],
  ['account', 'acc_00042', '--as-of', '2026-12-01', '--json'],
  ['--json', 'account', '--db', 'b.db', 'acc-with-dash'],
];

const UNUSUAL: string[][] = [
  ['risks', '--top', '0'],
  ['risks', '--top', '100001'],
  ['risks', '--top', '2.5'],
  ['risks', '--top', 'ten'],
  ['risks', '--top'],
  ['risks', '--top=5'],
  ['risks', '--top', '5', '--top', '6'],
  ['risks', '--owner', '-x'],
  ['risks', '--help'],
  ['risks', '-h'],
  ['risks', 'extra'],
  ['risks', '--unknown'],
  ['--top', '5', 'risks'],
  ['status', '--as-of', '2026-12-01'],
  ['status', '--db'],
  ['account'],
  ['account', 'a', 'b'],
  ['account', '--', 'acc_1'],
  ['help', 'status'],
  ['--help'],
  [],
  ['import', 'x.csv'],
  ['--version'],
];

describe('the hot commands', () => {
  it('call the work with what commander would, for plain arguments', async () => {
    for (const argv of PLAIN) {
      const hot = parseHot(argv);
      expect(hot, argv.join(' ')).not.toBeNull();
      const theirs = await commanderReading(argv);
      expect(
        {
          command: hot!.command,
          positionals: hot!.positionals,
          options: hotOptions(hot!),
          globals: resolveGlobals(hot!.globals),
        },
        argv.join(' '),
      ).toEqual(theirs);
    }
  });

  it('leave everything else to commander, and never take what commander refuses', async () => {
    let refused = 0;
    for (const argv of UNUSUAL) {
      expect(parseHot(argv), argv.join(' ')).toBeNull();
      if ((await commanderReading(argv)) === 'refused') refused++;
    }
    // Most of these are mistakes commander answers with its message and exit code 2.
    expect(refused).toBeGreaterThan(10);
  });
});
