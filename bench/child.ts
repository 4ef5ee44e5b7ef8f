/**
 * One bench task in its own process: `node bench/child.ts TASK INPUT_JSON OUT_FILE`. Writes
 * { value, maxRssKb } to OUT_FILE, so the parent gets this sample's own peak RSS.
 */
import { writeFileSync } from 'node:fs';
import { openDatabase, closeDatabase } from '../src/domain/db/open.ts';
import { aggregateScan } from './figures/scan-baseline.ts';
import { importTwice } from './figures/import.ts';
import { scoreSample } from './figures/score.ts';

const [task, inputJson, outFile] = process.argv.slice(2);
if (!task || !inputJson || !outFile) throw new Error('usage: node bench/child.ts TASK INPUT_JSON OUT_FILE');
const input = JSON.parse(inputJson) as Record<string, unknown>;

async function runTask(): Promise<unknown> {
  switch (task) {
    case 'import':
      return importTwice(input as Parameters<typeof importTwice>[0]);
    case 'scan': {
      const { db } = openDatabase(String(input.dbPath));
      try {
        return aggregateScan(db);
      } finally {
        closeDatabase(db);
      }
    }
    case 'score':
      return scoreSample(input as Parameters<typeof scoreSample>[0]);
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
