/**
 * The three commands a user runs most, `status`, `risks` and `account X`, started without commander
 * when their arguments are plain (issue 16: each must answer in 150 ms at 50,000 accounts; loading
 * commander and building the program cost about 9 ms of CPU of that, docs/performance.md).
 *
 * Only the plainest forms are taken here: the command's own options and the global `--db`/`--json`,
 * each at most once and written as `--name value`, a value that does not start with "-", a valid
 * `--top`, and the command's positional arguments. Anything else (help, an unknown or repeated
 * option, `--name=value`, a value that looks like an option, an extra argument, a bad number)
 * returns null and commander parses the arguments as before, with its own messages.
 * test/unit/cli-hot.test.ts holds this reading to commander's for the same arguments.
 */
import { resolveGlobals, wholeNumberIn, type GlobalOptions } from './globals.ts';
import type { RisksOptions } from './run/risks.ts';

interface HotSpec {
  positionals: number;
  /** Options taking a value, by flag, with the property commander gives them. */
  values: Readonly<Record<string, string>>;
  flags: Readonly<Record<string, string>>;
}

const GLOBAL: HotSpec = { positionals: 0, values: { '--db': 'db' }, flags: { '--json': 'json' } };

const HOT: Readonly<Record<string, HotSpec>> = {
  status: { positionals: 0, values: {}, flags: {} },
  risks: {
    positionals: 0,
    values: { '--as-of': 'asOf', '--top': 'top', '--owner': 'owner', '--segment': 'segment' },
    flags: { '--all': 'all' },
  },
  account: { positionals: 1, values: { '--as-of': 'asOf' }, flags: {} },
};

/** `risks --top`: the same bounds and default as its commander option (commands/risks.ts). */
export const TOP = { min: 1, max: 100_000, default: 20 } as const;

export interface HotCall {
  command: 'status' | 'risks' | 'account';
  positionals: string[];
  /** The command's options, named as commander names them. */
  options: Record<string, string | true>;
  globals: GlobalOptions;
}

/** The arguments read as a hot command, or null when commander must read them. */
export function parseHot(argv: readonly string[]): HotCall | null {
  let command: HotCall['command'] | null = null;
  const positionals: string[] = [];
  const options: Record<string, string | true> = {};
  const globals: Record<string, string | true> = {};
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('-')) {
      if (command !== null) positionals.push(arg);
      else if (Object.hasOwn(HOT, arg)) command = arg as HotCall['command'];
      else return null;
      continue;
    }
    if (seen.has(arg)) return null;
    seen.add(arg);
    const own = command === null ? undefined : HOT[command];
    const valueName = GLOBAL.values[arg] ?? own?.values[arg];
    const flagName = GLOBAL.flags[arg] ?? own?.flags[arg];
    const into = arg in GLOBAL.values || arg in GLOBAL.flags ? globals : options;
    if (flagName !== undefined) into[flagName] = true;
    else if (valueName !== undefined) {
      const value = argv[++i];
      if (value === undefined || value.startsWith('-')) return null;
      into[valueName] = value;
    } else return null;
  }
  if (command === null || positionals.length !== HOT[command]!.positionals) return null;
  if (typeof options.top === 'string' && wholeNumberIn(options.top, TOP.min, TOP.max) === null) return null;
  return { command, positionals, options, globals: globals as GlobalOptions };
}

/**
 * What the command's work is called with: the options object as commander would hand it to the
 * action (its default `--top` included), and the resolved global options.
 */
export function hotOptions(call: HotCall): Record<string, string | number | boolean> {
  const { top, ...rest } = call.options;
  if (call.command !== 'risks') return rest;
  return { ...rest, top: top === undefined ? TOP.default : wholeNumberIn(top as string, TOP.min, TOP.max)! };
}

/** Runs a hot command; each command's work is the same function commander's action calls (run/*.ts). */
export async function runHot(call: HotCall): Promise<void> {
  const g = resolveGlobals(call.globals);
  const options = hotOptions(call);
  if (call.command === 'status') return (await import('./run/status.ts')).runStatus(g);
  if (call.command === 'account')
    return (await import('./run/account.ts')).runAccount(call.positionals[0]!, options as { asOf?: string }, g);
  return (await import('./run/risks.ts')).runRisks(options as unknown as RisksOptions, g);
}
