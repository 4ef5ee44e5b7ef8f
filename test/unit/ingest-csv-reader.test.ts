import { describe, expect, it } from 'vitest';
import { detectDelimiter, readCsv } from '../../src/domain/ingest/csv-reader.ts';
import { textReaderFromString } from '../../src/domain/ingest/text-source.ts';

function read(text: string, chunkChars = 1 << 20) {
  const rows: { line: number; fields: string[] }[] = [];
  const problems: { line: number; reason: string; stop: boolean }[] = [];
  let header: string[] = [];
  const info = readCsv(textReaderFromString(text, chunkChars), {
    header: (fields) => (header = fields),
    row: (fields, line) => rows.push({ line, fields }),
    malformed: (line, reason, _raw, stop) => problems.push({ line, reason, stop }),
  });
  return { header, rows, problems, info };
}

const RFC = 'id,name,notes\r\n1,"Acme, Inc.","He said ""hi""\r\nthen left"\r\n\r\n2,Bluebird,\r\n3,"Corvid\nCo",x\r\n';

describe('the CSV reader', () => {
  it('reads RFC 4180: quoted delimiters, doubled quotes, line breaks in quotes, CRLF', () => {
    const { header, rows } = read(RFC);
    expect(header).toEqual(['id', 'name', 'notes']);
    expect(rows).toEqual([
      { line: 2, fields: ['1', 'Acme, Inc.', 'He said "hi"\r\nthen left'] },
      { line: 5, fields: ['2', 'Bluebird', ''] },
      { line: 6, fields: ['3', 'Corvid\nCo', 'x'] },
    ]);
  });

  it('gives the same rows and line numbers whatever the chunk boundaries', () => {
    const whole = read(RFC);
    for (const size of [1, 2, 3, 5, 7, 11, 64]) expect(read(RFC, size).rows).toEqual(whole.rows);
  });

  it.each([
    [',', 'a,b,c\n1,"2;3",4\n'],
    [';', 'a;b;c\n1;2,5;3\n4;5,5;6\n'],
    ['\t', 'a\tb\tc\n1\t2, 3\t4\n'],
    ['|', 'a|b|c\n1|2|3\n'],
  ])('detects the delimiter %j', (delimiter, text) => {
    expect(detectDelimiter(text, '\n', true)).toBe(delimiter);
    expect(read(text).info.delimiter).toBe(delimiter);
  });

  it('treats a header with quoted commas correctly when detecting semicolons', () => {
    expect(detectDelimiter('"Name, full";"ARR"\n"Acme, Inc.";"1,5"\n', '\n', true)).toBe(';');
  });

  it('reads classic Mac line endings (CR only)', () => {
    expect(read('a,b\r1,2\r3,4\r').rows.map((r) => r.fields)).toEqual([
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('skips blank and all-empty rows but counts their lines', () => {
    const { rows } = read('a,b\n\n1,2\n,\n  ,  \n3,4\n');
    expect(rows).toEqual([
      { line: 3, fields: ['1', '2'] },
      { line: 6, fields: ['3', '4'] },
    ]);
  });

  it('sets aside only the line of a quote that is never closed, and reads on', () => {
    const { rows, problems } = read('a,b\n1,2\n3,"oops\n5,6\n');
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
    expect(problems).toEqual([{ line: 3, reason: expect.stringContaining('never closed'), stop: false }]);
  });

  it('sets aside only the row with text after a closing quote (issue 15), and reads every row after it', () => {
    const { rows, problems } = read('a,b\n1,"x"y\n2,"z"\n3,4\n');
    expect(problems).toEqual([
      { line: 2, reason: expect.stringContaining('text after its closing quote'), stop: false },
    ]);
    expect(rows.map((r) => r.fields)).toEqual([
      ['2', 'z'],
      ['3', '4'],
    ]);
  });

  it('gives up on a line longer than 16 MB instead of buffering the whole file', () => {
    const huge = `a,b\n1,"${'x'.repeat(17 * 1024 * 1024)}`;
    const { problems } = read(huge, 1 << 20);
    expect(problems).toEqual([{ line: 2, reason: expect.stringContaining('longer than 16 MB'), stop: true }]);
  });

  it('reports no header for an empty or blank file', () => {
    expect(read('').info.sawHeader).toBe(false);
    expect(read('\n\n \n').info.sawHeader).toBe(false);
  });
});
