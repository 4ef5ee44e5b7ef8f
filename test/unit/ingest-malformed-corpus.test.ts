/**
 * The malformed-input corpus: every file in test/fixtures/sync/malformed has one bad row (or is
 * bad as a whole), and expectations.json says where and why. Each is imported into a fresh
 * database holding three base accounts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { tempDb } from '../support/temp.ts';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'sync', 'malformed');

interface Expectation {
  file: string;
  line?: number;
  field?: string | null;
  reason?: string;
  accepted?: number;
  fileError?: string;
}

const expectations = JSON.parse(readFileSync(join(DIR, 'expectations.json'), 'utf8')) as {
  baseAccounts: string;
  cases: Expectation[];
};

describe('the malformed-input corpus', () => {
  it('has at least 50 cases, each with a file', () => {
    expect(expectations.cases.length).toBeGreaterThanOrEqual(50);
    for (const c of expectations.cases) expect(() => readFileSync(join(DIR, c.file))).not.toThrow();
  });

  // Metrics files are read both in this thread and by the CSV worker (other kinds ignore the option).
  const runs = expectations.cases.flatMap((c) => [
    [c.file, c, false] as const,
    [`${c.file} (worker)`, c, true] as const,
  ]);
  it.each(runs)('%s', (_name, c, parseInWorker) => {
    const { db } = tempDb();
    importFiles(db, [join(DIR, expectations.baseAccounts)]);
    const result = importFiles(db, [{ path: join(DIR, c.file), name: c.file }], { parseInWorker });
    const file = result.files[0]!;
    if (c.fileError) {
      expect(file.status).toBe('failed');
      expect(file.message).toContain(c.fileError);
      expect(result.errors).toEqual([
        { file: c.file, line: null, field: null, message: expect.stringContaining(c.fileError) },
      ]);
      return;
    }
    expect(result.rejected).toBe(1);
    expect(result.errors).toHaveLength(1);
    const [error] = result.errors;
    expect(error).toMatchObject({ file: c.file, line: c.line, field: c.field });
    expect(error!.message).toContain(c.reason);
    expect(error!.message.startsWith(`line ${c.line}`)).toBe(true);
    expect(file.accepted).toBe(c.accepted);
    // Nothing is lost: the bad row is in the quarantine with the same place and reason.
    const quarantined = db.prepare('SELECT origin, line, field, reason FROM quarantine').all();
    expect(quarantined).toEqual([
      { origin: c.file, line: c.line, field: c.field, reason: expect.stringContaining(c.reason!) },
    ]);
  });
});
