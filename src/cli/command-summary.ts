/**
 * `node src/cli/command-summary.ts` prints every command's line of the top-level help as JSON. The
 * CLI build (vite.cli.config.ts) writes it into the bundle, so `foresight --help` lists the commands
 * without importing their modules.
 */
import { buildProgram, summarise } from './program.ts';

process.stdout.write(`${JSON.stringify(summarise(await buildProgram([], null)))}\n`);
