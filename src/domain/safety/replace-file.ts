/**
 * Writing a file the person chose (an export) so that a failure never costs them the file that was
 * there: the data goes to a temporary name beside the target and is renamed over it only once it is
 * complete and on disk (QA 5 #7: a full disk left a 16 KB fragment where a good export had been).
 * The same temporary-name-then-rename as backups (backup.ts).
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

function partialName(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.partial`);
}

/**
 * Opens a temporary file beside `target`, hands its descriptor to `write`, then renames it over
 * `target`. On any failure the temporary file is removed and `target` is as it was.
 */
export function writeReplacing<T>(target: string, write: (fd: number) => T): T {
  const partial = partialName(target);
  let fd: number | null = openSync(partial, 'w');
  try {
    const result = write(fd);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(partial, target);
    return result;
  } catch (error) {
    if (fd !== null) closeSync(fd);
    rmSync(partial, { force: true });
    throw error;
  }
}

/** writeReplacing for data already in memory. */
export function writeFileReplacing(target: string, data: string | Uint8Array): void {
  writeReplacing(target, (fd) => {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
  });
}
