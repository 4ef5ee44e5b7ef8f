/**
 * One bench task in its own process: `node bench/child.ts TASK INPUT_JSON OUT_FILE`. Writes
 * { value, maxRssKb } to OUT_FILE, so the parent gets this sample's own peak RSS. Each task's code
 * is imported when it runs, so a baseline timed as a whole process pays only for what it uses.
 */
import { writeFileSync } from 'node:fs';
import type { Db } from '../src/domain/db/open.ts';

const [task, inputJson, outFile] = process.argv.slice(2);
if (!task || !inputJson || !outFile) throw new Error('usage: node bench/child.ts TASK INPUT_JSON OUT_FILE');
const input = JSON.parse(inputJson) as Record<string, unknown>;

async function withDb<T>(dbPath: string, use: (db: Db) => T | Promise<T>) {
  const { openDatabase, closeDatabase } = await import('../src/domain/db/open.ts');
  const { db } = openDatabase(dbPath);
  try {
    return await use(db);
  } finally {
    closeDatabase(db);
  }
}

async function runTask(): Promise<unknown> {
  switch (task) {
    case 'import':
      return (await import('./figures/import.ts')).importTwice(input as never);
    case 'scan': {
      const { aggregateScan } = await import('./figures/scan-baseline.ts');
      return withDb(String(input.dbPath), aggregateScan);
    }
    case 'score':
      return (await import('./figures/score.ts')).scoreSample(input as never);
    case 'duckdb':
      return (await import('./paths/baselines.ts')).duckdbImport(input as never);
    case 'rescore': {
      const { fullRescore } = await import('./paths/baselines.ts');
      return withDb(String(input.dbPath), (db) => fullRescore(db, String(input.asOf)));
    }
    default:
      throw new Error(`Unknown bench task ${task}`);
  }
}

try {
  const value = await runTask();
  writeFileSync(outFile, JSON.stringify({ value, maxRssKb: process.resourceUsage().maxRSS }));
} catch (error) {
  // One sentence for the results table; the stack for whoever runs the task by hand.
  writeFileSync(outFile, JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
