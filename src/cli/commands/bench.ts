import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import type * as BenchModule from '../../../bench/run.ts';
import { emit } from '../io.ts';
import { globals, parseIntOption, withGlobalOptions } from '../options.ts';

interface BenchCommandOptions {
  quick?: boolean;
  scale?: string;
  runs?: number;
  only?: string;
  build?: boolean;
  scoredBook?: string;
}

/**
 * `foresight bench [--quick] [--json]`: the benchmark suite (bench/run.ts), the same as
 * `npm run bench`. Writes bench/results.json; progress goes to stderr.
 */
export function registerBench(program: Command): void {
  withGlobalOptions(program.command('bench'))
    .description('measure import, scoring and UI speed against baselines; writes bench/results.json')
    .option('--quick', 'a smaller book (5,000 accounts for the whole-process figures), for development')
    .option('--scale <sizes>', 'book sizes for the whole-process figures, e.g. 5k,50k (default 5k,20k,50k,100k)')
    .option('--runs <n>', 'samples per figure (the median is reported)', parseIntOption('--runs', 1, 50))
    .option('--only <figures>', 'comma-separated figure ids or groups, e.g. paths, detail, import_all,status')
    .option('--build', 'rebuild the renderer before the UI figures')
    .option(
      '--scored-book <path>',
      'whole-process steps start from a copy of this scored book instead of importing one',
    )
    .action(async (options: BenchCommandOptions, command: Command) => {
      const { json } = globals(command);
      // Loaded on demand: the suite pulls in Playwright, which no other command should pay for.
      const { parseScales, runBench, summarise, writeResults } = (await import(
        pathToFileURL(join(projectRoot(), 'bench', 'run.ts')).href
      )) as typeof BenchModule;
      const results = await runBench({
        scale: options.quick ? 'quick' : 'full',
        ...(options.runs ? { runs: options.runs } : {}),
        ...(options.only ? { only: options.only.split(',') } : {}),
        ...(options.scale ? { pathScales: parseScales(options.scale) } : {}),
        ...(options.scoredBook ? { scoredBook: options.scoredBook } : {}),
        build: options.build === true,
      });
      const written = writeResults(results, options.only !== undefined);
      emit(json, written, () => summarise(written));
    });
}

/** The checkout holding bench/, found upwards from this file: it runs from src/cli or from the bundle in out/cli. */
function projectRoot(): string {
  for (let dir = import.meta.dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'foresight')
      return dir;
  }
  throw new Error('The benchmark needs the Foresight source checkout (bench/ is not installed).');
}
