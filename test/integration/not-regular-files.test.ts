/**
 * QA-4 #12: a named pipe given to `import` hung for ever (the preset sniffing opened it before any
 * check), and as a database path it was called "empty (0 bytes)" with advice to restore onto it; a
 * malformed %-encoded static path in the web preview was a 500 with a stack in the log.
 */
import { execFileSync } from 'node:child_process';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/domain/db/open.ts';
import { serveStatic } from '../../src/web/static-files.ts';
import { runCli } from '../support/cli.ts';
import { tempDir } from '../support/temp.ts';

function fifo(): string {
  const path = join(tempDir(), 'pipe.csv');
  execFileSync('mkfifo', [path]);
  return path;
}

describe('paths that are not regular files', () => {
  it('import refuses a named pipe in one sentence instead of waiting for a writer', () => {
    const path = fifo();
    const run = runCli(['import', path, '--db', join(tempDir(), 'x.db')]);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain(`${path} is not a file`);
  });

  it('a database path that is a pipe is "not a regular file", not an empty database to restore onto', () => {
    expect(() => openDatabase(fifo())).toThrow(
      expect.objectContaining({ message: expect.stringContaining('is not a regular file') }),
    );
  });

  it('a malformed %-encoded static path is simply not a file', () => {
    expect(serveStatic(tempDir(), '/%E0%A4%A', {} as ServerResponse, {})).toBe(false);
  });
});
