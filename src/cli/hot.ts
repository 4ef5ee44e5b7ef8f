/**
 * The three commands a user runs most, `status`, `risks` and `account X`, started without commander
 * when their arguments are plain (issue 16: each must answer in 150 ms at 50,000 accounts; loading
 * commander and building the program cost about 9 ms of CPU of that, docs/performance.md).
 *
 * The arguments are read by Node's own `util.parseArgs`, and only the plainest forms are taken here: the command's own options and the global `--db`/`--json`,
 * each at most once and written as `--name value`, a value that does not start with "-", a valid
 * `--top`, and the command's positional arguments. Anything else (help, an unknown or repeated
 * option, `--name=value`, a value that looks like an option, an extra argument, a bad number)
 * returns null and commander parses the arguments as before, with its own messages.
 * test/unit/cli-hot.test.ts holds this reading to commander's for the same arguments.
 */
import { parseArgs } from 'node:util';
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

type ParseOptions = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** The spec's options as `node:util` parseArgs declares them: values are strings, flags booleans. */
function declared(...specs: HotSpec[]): ParseOptions {
  const out: ParseOptions = {};
  for (const spec of specs) {
    for (const flag of Object.keys(spec.values)) out[flag.slice(2)] = { type: 'string' };
    for (const flag of Object.keys(spec.flags)) out[flag.slice(2)] = { type: 'boolean' };
  }
  return out;
}

const EVERY_OPTION = declared(GLOBAL, ...Object.values(HOT));

/** The arguments read as a hot command, or null when commander must read them. */
export function parseHot(argv: readonly string[]): HotCall | null {
  // First which command: every option the hot commands know consumes its value, so a value is
  // never taken for the command's name.
  let first: string | undefined;
  try {
    first = parseArgs({ args: [...argv], options: EVERY_OPTION, strict: false, allowPositionals: true }).positionals[0];
  } catch {
    return null;
  }
  if (first === undefined || !Object.hasOwn(HOT, first)) return null;
  const command = first as HotCall['command'];
  const spec = HOT[command]!;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    // Strict: an unknown option, a missing value or a value that looks like an option throws.
    parsed = parseArgs({ args: [...argv], options: declared(GLOBAL, spec), allowPositionals: true, tokens: true });
  } catch {
    return null;
  }
  // The plainest forms only: no `--name=value`, no repeated option, no `--`.
  // Before the command's name only the global options (as commander reads them).
  const seen = new Set<string>();
  let named = false;
  for (const token of parsed.tokens ?? []) {
    if (token.kind === 'option-terminator') return null;
    if (token.kind === 'positional') named = true;
    if (token.kind !== 'option') continue;
    if (token.inlineValue === true || seen.has(token.name)) return null;
    if (!named && !(token.rawName in GLOBAL.values || token.rawName in GLOBAL.flags)) return null;
    seen.add(token.name);
  }
  const [, ...positionals] = parsed.positionals;
  if (parsed.positionals[0] !== command || positionals.length !== spec.positionals) return null;
  const options: Record<string, string | true> = {};
  const globals: Record<string, string | true> = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value !== 'string' && value !== true) return null;
    const flag = `--${name}`;
    if (flag in GLOBAL.values || flag in GLOBAL.flags) globals[GLOBAL.values[flag] ?? GLOBAL.flags[flag]!] = value;
    else options[spec.values[flag] ?? spec.flags[flag]!] = value;
  }
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
