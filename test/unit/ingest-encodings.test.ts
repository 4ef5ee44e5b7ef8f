/**
 * Issue 15, Low 10: UTF-16 without a byte-order mark is read as UTF-16, and a binary file is
 * refused with one sentence that shows none of its bytes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { sniffEncoding } from '../../src/domain/ingest/text-source.ts';
import { runCli } from '../support/cli.ts';
import { tempDb, tempDir } from '../support/temp.ts';

const NOW = () => new Date('2026-03-01T10:00:00Z');
const CSV = 'account_id,name,arr,owner_email,renewal_date\nacc_1,Müller GmbH,1000,a@example.com,2027-01-01\n';

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
}

describe('encodings', () => {
  it.each([
    ['UTF-16 LE without a BOM', Buffer.from(CSV, 'utf16le')],
    ['UTF-16 BE without a BOM', utf16be(CSV)],
    ['UTF-16 LE with a BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CSV, 'utf16le')])],
  ])('reads %s', (_name, bytes) => {
    const { db } = tempDb();
    const file = join(tempDir(), 'accounts.csv');
    writeFileSync(file, bytes);
    const result = importFiles(db, [file], { now: NOW });
    expect(result.accepted.accounts).toBe(1);
    expect(db.prepare('SELECT name FROM accounts').pluck().get()).toBe('Müller GmbH');
  });

  it.each([false, true])(
    'refuses a UTF-8 file with one stray Windows-1252 byte, naming the line, and garbles no name (CSV worker: %s)',
    (parseInWorker) => {
      const { db } = tempDb();
      const file = join(tempDir(), 'mixed.csv');
      writeFileSync(
        file,
        Buffer.concat([
          Buffer.from('account_id,name,arr\nM1,Zoë Müller GmbH,100\nM2,東京株式会社,300\nM4,Caf'),
          Buffer.from([0xe9]),
          Buffer.from(' Latin,400\n'),
        ]),
      );
      const result = importFiles(db, [file], { now: NOW, parseInWorker });
      expect(result.files[0]!.message).toMatch(/mixed\.csv is UTF-8 except for line 4, which has a character saved/);
      expect(db.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(0);
      // A file wholly in Windows-1252 is still read as such.
      const cp1252 = join(tempDir(), 'cp1252.csv');
      writeFileSync(cp1252, Buffer.from('account_id,name,arr\nW1,Caf\xe9 Latin,400\n', 'latin1'));
      importFiles(db, [cp1252], { now: NOW, parseInWorker });
      expect(db.prepare('SELECT name FROM accounts').pluck().get()).toBe('Café Latin');
    },
  );

  it('refuses a binary file with one sentence and no raw bytes', () => {
    const dir = tempDir();
    const file = join(dir, 'accounts.csv');
    const png = Buffer.concat([
      Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'),
      Buffer.alloc(64, 0),
      Buffer.from([0xff, 0xd8, 7, 1, 0, 3]),
    ]);
    writeFileSync(file, png);
    const db = join(dir, 'f.db');
    const run = runCli(['import', file, '--db', db, '--json']);
    expect(run.code).not.toBe(0);
    const report = run.json<{ files: { status: string; message: string }[] }>();
    expect(report.files[0]!.status).toBe('failed');
    expect(report.files[0]!.message).toMatch(
      /accounts\.csv is not a text file \(it contains NUL bytes, like an image, a zip or an \.xlsx workbook\); save the data as CSV, JSON or NDJSON and import that$/,
    );
    // eslint-disable-next-line no-control-regex
    expect(run.stdout + run.stderr).not.toMatch(/[\u0000-\u0008\u000e-\u001f\ufffd]|PNG/);
  });

  it('tells UTF-8 text, UTF-16 and binary apart', () => {
    expect(sniffEncoding(Buffer.from(CSV))).toBe('utf-8');
    expect(sniffEncoding(Buffer.from(CSV, 'utf16le'))).toBe('utf-16le');
    expect(sniffEncoding(utf16be(CSV))).toBe('utf-16be');
    expect(sniffEncoding(Buffer.from([0x50, 0x4b, 3, 4, 0, 0, 0x14, 0]))).toBe('binary');
  });
});
