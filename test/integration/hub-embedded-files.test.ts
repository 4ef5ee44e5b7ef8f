/**
 * QA-4 #4: PGlite writes the embedded hub's files 0666 whatever the umask; no other account on the
 * machine may read the team's book or rewrite its users and token hashes.
 */
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedDataDir, openHubStore } from '../../src/hub/store/open.ts';
import { tempDir } from '../support/temp.ts';

function openToOthers(dir: string): string[] {
  const found: string[] = [];
  if ((statSync(dir).mode & 0o077) !== 0) found.push(dir);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...openToOthers(path));
    else if ((statSync(path).mode & 0o077) !== 0) found.push(path);
  }
  return found;
}

describe('the embedded hub’s files', () => {
  it('are the owner’s alone, even when the directory was made open to others', async () => {
    const dir = tempDir();
    const previous = process.umask(0o022);
    try {
      mkdirSync(embeddedDataDir(dir));
      chmodSync(embeddedDataDir(dir), 0o777);
      const store = await openHubStore({ embeddedDir: dir });
      await store.close();
      expect(statSync(embeddedDataDir(dir)).mode & 0o777).toBe(0o700);
      expect(openToOthers(embeddedDataDir(dir))).toEqual([]);
    } finally {
      process.umask(previous);
    }
  }, 60_000);
});
