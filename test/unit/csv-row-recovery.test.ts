/**
 * Issue 15, Medium 6 and Low 10: one stray character after a closing quote, or a quote never
 * closed, costs only its own row; a lone CR in an LF file is a line break outside quotes and data
 * inside them. Checked through the reader and through a real import into a real SQLite file.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/domain/ingest/csv-reader.ts';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { textReaderFromString } from '../../src/domain/ingest/text-source.ts';
import { tempDb, tempDir } from '../support/temp.ts';

const NOW = () => new Date('2026-03-01T10:00:00Z');
const HEADER = 'account_id,name,arr,owner_email,renewal_date';
const good = (i: number) => `acc_${i},Customer ${i},${1000 + i},c${i}@example.com,2027-01-01`;

function read(text: string, chunk = 1 << 20) {
  const rows: { line: number; fields: string[] }[] = [];
  const problems: { line: number; raw: string }[] = [];
  readCsv(textReaderFromString(text, chunk), {
    header() {},
    row: (fields, line) => rows.push({ line, fields }),
    malformed: (line, _reason, raw) => problems.push({ line, raw }),
  });
  return { rows, problems };
}

describe('a broken quote costs only its own row', () => {
  it.each([
    ['small file', 1_000, 1 << 20],
    ['file past 64 KB read in small chunks', 3_000, 4096],
  ])('QA-BAD,"Acme" Inc,… in a %s: every following good row is imported', (_name, count, chunk) => {
    const lines = [HEADER, good(0), 'QA-BAD,"Acme" Inc,500,x@example.com,2027-01-01'];
    for (let i = 1; i <= count; i++) lines.push(good(i));
    const { rows, problems } = read(`${lines.join('\n')}\n`, chunk);
    expect(problems).toEqual([{ line: 3, raw: 'QA-BAD,"Acme" Inc,500,x@example.com,2027-01-01' }]);
    expect(rows).toHaveLength(count + 1);
    expect(rows.at(-1)).toEqual({ line: count + 3, fields: good(count).split(',') });
  });

  it('imports the good rows and quarantines the bad one with its line and reason', () => {
    const { db } = tempDb();
    const file = join(tempDir(), 'accounts.csv');
    const lines = [HEADER, good(0), 'QA-BAD,"Acme" Inc,500,x@example.com,2027-01-01'];
    for (let i = 1; i <= 1000; i++) lines.push(good(i));
    writeFileSync(file, `${lines.join('\n')}\n`);
    const result = importFiles(db, [file], { now: NOW });
    expect(result.accepted.accounts).toBe(1001);
    expect(result.rejected).toBe(1);
    const row = db.prepare('SELECT line, reason, raw_text FROM quarantine').get() as Record<string, unknown>;
    expect(row).toMatchObject({ line: 3, reason: expect.stringContaining('text after its closing quote') });
    expect(row.raw_text).toBe('QA-BAD,"Acme" Inc,500,x@example.com,2027-01-01');
  });

  it('keeps a valid quoted field that spans lines whole', () => {
    const { rows, problems } = read('a,b\n1,"two\nlines"\n2,x\n');
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { line: 2, fields: ['1', 'two\nlines'] },
      { line: 4, fields: ['2', 'x'] },
    ]);
  });
});

describe('a lone CR in an LF file', () => {
  it('is a line break outside quotes', () => {
    const { rows } = read('a,b\n1,x\r2,y\n3,z\n');
    expect(rows.map((r) => r.fields)).toEqual([
      ['1', 'x'],
      ['2', 'y'],
      ['3', 'z'],
    ]);
  });

  it('is data inside quotes, also when a chunk ends on it', () => {
    const text = 'a,b\n1,"x\ry"\n2,z\r\n';
    for (const chunk of [1, 2, 3, 7, 1 << 20]) {
      const { rows } = read(text, chunk);
      expect(rows.map((r) => r.fields)).toEqual([
        ['1', 'x\ry'],
        ['2', 'z'],
      ]);
    }
  });
});
