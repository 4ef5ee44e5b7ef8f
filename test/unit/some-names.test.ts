/** QA-4 #18: 10,000 ignored columns are named as the first few and a count, not on a 70 KB line. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { someNames } from '../../src/shared/some-names.ts';
import { tempDb, tempDir } from '../support/temp.ts';

describe('someNames', () => {
  it('names a short list whole and a long one by its first ten and a count', () => {
    expect(someNames(['a', 'b'])).toBe('a, b');
    const many = Array.from({ length: 10_000 }, (_, i) => `c${i}`);
    expect(someNames(many)).toBe('c0, c1, c2, c3, c4, c5, c6, c7, c8, c9 and 9,990 more');
  });

  it('keeps the import history of a file with 10,000 extra columns short', () => {
    const { db } = tempDb();
    const file = join(tempDir(), 'wide.csv');
    const extra = Array.from({ length: 10_000 }, (_, i) => `c${i}`);
    writeFileSync(file, `account_id,name,arr,${extra.join(',')}\nW1,Wide,1,${extra.map(() => '').join(',')}\n`);
    importFiles(db, [file]);
    expect(db.prepare("SELECT message FROM sync_runs WHERE type = 'import'").pluck().get()).toBe(
      'Ignored columns: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9 and 9,990 more',
    );
  });
});
