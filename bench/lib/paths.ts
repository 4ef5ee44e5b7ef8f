import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const BENCH_DIR = join(import.meta.dirname, '..');
export const REPO_DIR = join(BENCH_DIR, '..');
/** Generated workloads, keyed by seed and scale; gitignored. */
export const CACHE_DIR = join(BENCH_DIR, '.cache');
export const RESULTS_FILE = join(BENCH_DIR, 'results.json');

export function ensureDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}
