/**
 * A reader that closes the pipe early (`foresight risks --json | head`) is not a failure: the CLI
 * stops quietly, as Unix tools do, with no stack trace on the terminal.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'foresight.mjs');

it('stops quietly with exit code 0 when the reader of its output goes away', async () => {
  const child = spawn(process.execPath, [BIN, 'presets', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  // Close our end before the CLI writes: its write meets a closed pipe (EPIPE).
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(stderr).toBe('');
  expect(code).toBe(0);
}, 30_000);
