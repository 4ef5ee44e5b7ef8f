import { describe, expect, it } from 'vitest';
import { JsonFileError, readJsonArray, readNdjson } from '../../src/domain/ingest/json-reader.ts';
import { textReaderFromString } from '../../src/domain/ingest/text-source.ts';

function run(reader: typeof readJsonArray, text: string, chunk = 1 << 20) {
  const items: { line: number; value: unknown }[] = [];
  const problems: { line: number; reason: string }[] = [];
  reader(textReaderFromString(text, chunk), {
    item: (value, line) => items.push({ line, value }),
    malformed: (line, reason) => problems.push({ line, reason }),
  });
  return { items, problems };
}

const ARRAY = '[\n  {"a": "x,y]", "b": {"c": [1, 2]}},\n  {"a": "q\\"uote}"},\n  3,\n  "s"\n]\n';

describe('the JSON array reader', () => {
  it('yields each element with the line it starts on, whatever the chunking', () => {
    const expected = [
      { line: 2, value: { a: 'x,y]', b: { c: [1, 2] } } },
      { line: 3, value: { a: 'q"uote}' } },
      { line: 4, value: 3 },
      { line: 5, value: 's' },
    ];
    for (const size of [1, 2, 3, 7, 1000])
      expect(run(readJsonArray, ARRAY, size)).toEqual({ items: expected, problems: [] });
  });

  it('reads an empty array', () => {
    expect(run(readJsonArray, ' [ ] ')).toEqual({ items: [], problems: [] });
  });

  it('reports an element that is not JSON and goes on', () => {
    const { items, problems } = run(readJsonArray, '[{"a":1},\n{"a":},\n{"a":3}]');
    expect(items.map((i) => i.value)).toEqual([{ a: 1 }, { a: 3 }]);
    expect(problems).toEqual([{ line: 2, reason: expect.stringContaining('is not valid JSON') }]);
  });

  it('reports a cut-off array', () => {
    expect(run(readJsonArray, '[{"a":1},\n{"a":2').problems).toEqual([
      { line: 2, reason: expect.stringContaining('cut off') },
    ]);
    expect(run(readJsonArray, '[{"a":1},').problems).toEqual([
      { line: 1, reason: expect.stringContaining('never closed') },
    ]);
  });

  it('refuses a file that is not an array, or has text after it', () => {
    expect(() => run(readJsonArray, '{"a":1}')).toThrow(JsonFileError);
    expect(() => run(readJsonArray, '[1] [2]')).toThrow(/after the end/);
    expect(() => run(readJsonArray, '   ')).toThrow(/is empty/);
  });
});

describe('the NDJSON reader', () => {
  it('yields one item per non-blank line, with CRLF and without a final newline', () => {
    for (const size of [1, 4, 1000]) {
      expect(run(readNdjson, '{"a":1}\r\n\r\n{"a":2}\n{"a":3}', size)).toEqual({
        items: [
          { line: 1, value: { a: 1 } },
          { line: 3, value: { a: 2 } },
          { line: 4, value: { a: 3 } },
        ],
        problems: [],
      });
    }
  });

  it('reports a bad line and goes on', () => {
    const { items, problems } = run(readNdjson, '{"a":1}\n{a:2}\n{"a":3}\n');
    expect(items).toHaveLength(2);
    expect(problems).toEqual([{ line: 2, reason: expect.stringContaining('is not valid JSON') }]);
  });
});
