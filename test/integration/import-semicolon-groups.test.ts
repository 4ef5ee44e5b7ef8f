/**
 * QA-4 #10: in a semicolon-separated file (Excel where the comma is the decimal separator) "12.500"
 * is twelve thousand five hundred; it was read as 12.5, 1000× off, while "1.234,50" was refused.
 * A number grouped in threes is now refused with a sentence there, unless the mapping says which
 * separator the file uses.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { parseMapping } from '../../src/domain/ingest/mapping.ts';
import { tempDb, tempDir } from '../support/temp.ts';

const NOW = () => new Date('2026-12-07T12:00:00Z');
const EU = 'account_id;name;arr\nD7;Müller GmbH;12.500\nD8;Schmidt AG;2,500\nD9;Weber KG;99.5\n';

describe.each([false, true])('numbers grouped in threes in a semicolon file (CSV worker: %s)', (parseInWorker) => {
  it('are refused with a sentence pointing to decimalSeparator, never read 1000× off', () => {
    const { db } = tempDb();
    const file = join(tempDir(), 'eu.csv');
    writeFileSync(file, EU);
    const result = importFiles(db, [file], { now: NOW, parseInWorker });
    expect(result.rejected).toBe(2);
    const reasons = db.prepare('SELECT reason FROM quarantine ORDER BY line').pluck().all() as string[];
    for (const reason of reasons) expect(reason).toMatch(/grouped in thousands or a decimal.*"decimalSeparator"/);
    expect(db.prepare('SELECT account_id, arr FROM accounts').all()).toEqual([{ account_id: 'D9', arr: 99.5 }]);
  });

  it('are read as the mapping says', () => {
    const { db } = tempDb();
    const file = join(tempDir(), 'eu.csv');
    writeFileSync(file, 'account_id;name;arr\nD7;Müller GmbH;12.500\nD8;Schmidt AG;1.234,50\n');
    const mapping = parseMapping({ decimalSeparator: ',' });
    importFiles(db, [file], { now: NOW, parseInWorker, mapping });
    expect(db.prepare('SELECT arr FROM accounts ORDER BY account_id').pluck().all()).toEqual([12_500, 1234.5]);
  });

  it('stay as they were in a comma-separated file', () => {
    const { db } = tempDb();
    const file = join(tempDir(), 'us.csv');
    writeFileSync(file, 'account_id,name,arr\nU1,Acme,"12,500"\nU2,Beta,1.250\n');
    importFiles(db, [file], { now: NOW, parseInWorker });
    expect(db.prepare('SELECT arr FROM accounts ORDER BY account_id').pluck().all()).toEqual([12_500, 1.25]);
  });
});
