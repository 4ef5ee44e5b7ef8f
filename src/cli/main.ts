import { CommanderError } from 'commander';
import { isUserFacing } from '../domain/errors.ts';
import { exitCodeFor } from './io.ts';
import { buildProgram, exitCodeForCommanderError } from './program.ts';

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return exitCodeForCommanderError(error);
    if (isUserFacing(error)) {
      process.stderr.write(`${error.message}\n`);
      return exitCodeFor(error);
    }
    process.stderr.write(
      `Foresight failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
