import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onSchemaUpgrade } from '../domain/db/open.ts';
import { resolveDbPath } from '../domain/db/paths.ts';
import { PRE_MIGRATION_COPIES_KEPT } from '../domain/db/pre-migration-copies.ts';
import { toUserFacing } from '../domain/failure-sentence.ts';
import { parseHot, runHot } from './hot.ts';
import { exitCodeFor, writeErr } from './io.ts';

/** Where the CLI keeps the details (stacks) of failures it could not explain; never on the terminal. */
export const CLI_LOG = join(tmpdir(), 'foresight-cli.log');

async function main(argv: string[]): Promise<number> {
  // Any command may upgrade an older book; each says so, and where the copy of the old one is.
  onSchemaUpgrade(({ from, to, backupPath }) =>
    writeErr(
      `Upgraded the database from schema ${from} to ${to}.${backupPath ? ` A copy of the previous version was saved to ${backupPath} ; "foresight backup --list" lists such copies (the newest ${PRE_MIGRATION_COPIES_KEPT} are kept) and "foresight restore FILE" brings one back.` : ''}\n`,
    ),
  );
  // status, risks and account with plain arguments run without loading commander (hot.ts).
  const hot = parseHot(argv);
  const cli = hot ? null : await import('./program.ts');
  const program = cli ? await cli.buildProgram(argv) : null;
  try {
    if (hot) await runHot(hot);
    else await program!.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    const commanderExit = cli?.exitCodeForCommanderError(error) ?? null;
    if (commanderExit !== null) return commanderExit;
    const explained = toUserFacing(error, { dbPath: dbPathOf(argv) });
    if (explained) {
      if (explained !== error) logDetails(argv, error);
      writeErr(`${explained.message}\n`);
      return exitCodeFor(explained);
    }
    const logged = logDetails(argv, error);
    const summary = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);
    writeErr(
      `Foresight failed unexpectedly: ${summary}\n${logged ? `The details are in ${CLI_LOG}.` : 'Run it again with FORESIGHT_DEBUG=1 to see the details.'}\n`,
    );
    return 1;
  }
}

/** The database a failing command used, for the sentence: --db's value, else FORESIGHT_DB or the default. */
function dbPathOf(argv: string[]): string | null {
  try {
    const at = argv.findIndex((arg) => arg === '--db' || arg.startsWith('--db='));
    const given = at === -1 ? undefined : argv[at]!.startsWith('--db=') ? argv[at]!.slice(5) : argv[at + 1];
    return resolveDbPath(given);
  } catch {
    return null;
  }
}

function logDetails(argv: string[], error: unknown): boolean {
  const details = error instanceof Error ? (error.stack ?? error.message) : String(error);
  if (process.env.FORESIGHT_DEBUG) process.stderr.write(`${details}\n`);
  try {
    appendFileSync(CLI_LOG, `${new Date().toISOString()} foresight ${argv.join(' ')}\n${details}\n\n`);
    return true;
  } catch {
    return false;
  }
}

// A reader that closes the pipe early (`foresight risks --json | head`) is not a failure: stop
// quietly, as Unix tools do, instead of Node's unhandled-error stack.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  process.stderr.write(`Could not write the output: ${error.message}\n`);
  process.exit(1);
});

process.exitCode = await main(process.argv.slice(2));
