/**
 * An export written over an earlier one (`export … --force`, the app's save dialog, `quarantine
 * export --out`) never leaves a fragment where the good file was (QA 5 #7: a full disk left 16 KB
 * of the new export and lost the old one).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileReplacing, writeReplacing } from '../../src/domain/safety/replace-file.ts';
import { tempDir } from '../support/temp.ts';

describe('writing over a file', () => {
  it('leaves the old file whole and no temporary file when the write fails part-way', () => {
    const dir = tempDir();
    const target = join(dir, 'outcomes.csv');
    writeFileSync(target, 'the good export\n');
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(() =>
      writeReplacing(target, (fd) => {
        writeFileSync(fd, 'half of the new ');
        throw full;
      }),
    ).toThrow(full);
    expect(readFileSync(target, 'utf8')).toBe('the good export\n');
    expect(readdirSync(dir)).toEqual(['outcomes.csv']);
  });

  it('replaces it once the new data is complete', () => {
    const dir = tempDir();
    const target = join(dir, 'o.csv');
    writeFileSync(target, 'old');
    writeFileReplacing(target, new TextEncoder().encode('new export'));
    expect(readFileSync(target, 'utf8')).toBe('new export');
    expect(readdirSync(dir)).toEqual(['o.csv']);
    writeFileReplacing(join(dir, 'fresh.csv'), 'a,b\n');
    expect(existsSync(join(dir, 'fresh.csv'))).toBe(true);
  });
});
