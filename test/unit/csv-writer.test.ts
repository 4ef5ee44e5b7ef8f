/** The one CSV writer: its fields read back exactly with the parser the importer uses. */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvField, csvRecord, toCsv } from '../../src/domain/export/csv.ts';

const tricky = [
  'plain',
  'a,b',
  'say "hi"',
  'two\nlines',
  'cr\ronly',
  ' padded ',
  '',
  '\uFEFFbom',
  'semi;colon',
  'tab\there',
];

describe('csv writer', () => {
  it('quotes only what needs it', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(' padded ')).toBe('" padded "');
    expect(csvField('semi;colon')).toBe('semi;colon');
    expect(csvField('semi;colon', ';')).toBe('"semi;colon"');
  });

  it.each([',', ';', '\t'])('writes records that parse back to the same fields with delimiter %j', (delimiter) => {
    const line = csvRecord(tricky, delimiter);
    const parsed = Papa.parse<string[]>(line, { delimiter, newline: '\n' });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data).toEqual([tricky]);
  });

  it('exports with a byte-order mark, CRLF, and formulas made inert', () => {
    expect(
      toCsv(
        ['name', 'n'],
        [
          ['=SUM(A1)', 3],
          ['Acme, Inc', null],
        ],
      ),
    ).toBe('\uFEFFname,n\r\n\'=SUM(A1),3\r\n"Acme, Inc",\r\n');
  });
});
