/**
 * Streams CSV (RFC 4180) rows with their line numbers, using PapaParse's parser one chunk at a
 * time (the way PapaParse's own streamers drive it). Why PapaParse and not the faster uDSV:
 * docs/sync.md, "Parser choice" — in short, uDSV silently merges rows with a missing field and
 * drops an unterminated quote, and an importer that must lose nothing cannot allow either.
 *
 * - Delimiter: `,` `;` tab or `|`, detected from the first rows (or given).
 * - Line endings: LF, CRLF and even a mix; the row separator is LF and a trailing CR is removed.
 * - Line numbers are physical lines (what an editor shows): a row with a quoted line break
 *   spans several, and the row is reported at the line where it starts. Blank lines are skipped
 *   but counted.
 */
import Papa from 'papaparse';
import { csvRecord } from '../export/csv.ts';
import type { TextReader } from './text-source.ts';

export interface CsvHandlers {
  header(fields: string[], line: number, delimiter: string): void;
  row(fields: string[], line: number): void;
  /** A row that could not be split reliably; `stop` is true when the rest of the file is unreadable. */
  malformed(line: number, reason: string, rawText: string, stop: boolean): void;
  /** After each chunk of the file, for progress. */
  chunk?(): void;
}

export interface CsvInfo {
  delimiter: string;
  /** False when the file had no non-blank row at all. */
  sawHeader: boolean;
}

/** A single row longer than this means a quote was never closed; stop instead of buffering the file. */
export const MAX_ROW_CHARS = 16 * 1024 * 1024;
const SAMPLE_CHARS = 64 * 1024;
const CANDIDATES = [',', ';', '\t', '|'];

interface PapaError {
  code: string;
  row: number;
}

interface PapaResult {
  data: string[][];
  errors: PapaError[];
  meta: { cursor: number };
}

function parseWith(delimiter: string, newline: string, preview = 0): Papa.Parser {
  return new Papa.Parser({ delimiter, newline: newline as '\n', quoteChar: '"', preview });
}

const isBlank = (fields: readonly string[]) => fields.every((field) => field.trim() === '');

function countNewlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/** Guesses the delimiter: the candidate that splits the first rows into the same number (> 1) of fields. */
export function detectDelimiter(sample: string, newline = '\n', complete = false): string {
  let best = ',';
  let bestScore = 0;
  for (const candidate of CANDIDATES) {
    const result = parseWith(candidate, newline, 20).parse(sample, 0, !complete) as PapaResult;
    const rows = result.data.filter((row) => !isBlank(row));
    if (rows.length === 0) continue;
    const width = rows[0]!.length;
    if (width < 2) continue;
    const consistent = rows.slice(1).filter((row) => row.length === width).length;
    const score = ((consistent + 1) / rows.length) * 1000 + width;
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

/** A row as CSV text again (for the quarantine's raw column). */
export function rawLine(fields: readonly string[], delimiter: string): string {
  return csvRecord(fields, delimiter);
}

export function readCsv(reader: TextReader, handlers: CsvHandlers, options: { delimiter?: string } = {}): CsvInfo {
  // A sample big enough to see a few rows, for the delimiter and line-ending guesses.
  let pending = '';
  let eof = false;
  while (pending.length < SAMPLE_CHARS) {
    const chunk = reader.next();
    if (chunk === null) {
      eof = true;
      break;
    }
    pending += chunk;
  }
  // Classic Mac files end lines with CR alone; everything else ends them with LF (CRLF included).
  const newline = !pending.includes('\n') && pending.includes('\r') ? '\r' : '\n';
  const delimiter = options.delimiter ?? detectDelimiter(pending, newline, eof);
  const parser = parseWith(delimiter, newline);
  let line = 1;
  let sawHeader = false;
  let stopped = false;

  const feed = (input: string, last: boolean): number => {
    const result = parser.parse(input, 0, !last) as PapaResult;
    const rows = result.data;
    const rowErrors = new Map<number, string>();
    // An unclosed quote outranks anything else in the same row: it means the rest was swallowed.
    for (const error of result.errors)
      if (error.row < rows.length && rowErrors.get(error.row) !== 'MissingQuotes') rowErrors.set(error.row, error.code);
    const mayHaveLineBreaks = input.includes('"');
    for (let index = 0; index < rows.length; index++) {
      const fields = rows[index]!;
      const start = line;
      const lastField = fields.length - 1;
      const tail = fields[lastField]!;
      if (newline === '\n' && tail.length > 0 && tail.charCodeAt(tail.length - 1) === 13)
        fields[lastField] = tail.slice(0, -1);
      let extra = 0;
      if (mayHaveLineBreaks) for (const field of fields) if (field.includes('\n')) extra += countNewlines(field);
      line += 1 + extra;

      const problem = rowErrors.get(index);
      if (problem === 'MissingQuotes') {
        handlers.malformed(
          start,
          'a quoted field that starts on this line is never closed, so the rest of the file could not be read',
          rawLine(fields, delimiter),
          true,
        );
        stopped = true;
        return input.length;
      }
      if (problem !== undefined) {
        const span = line - 1 > start ? `, so lines ${start} to ${line - 1} could not be split into fields` : '';
        handlers.malformed(
          start,
          `a quoted field has text after its closing quote${span} (a quote inside a field must be doubled: "")`,
          rawLine(fields, delimiter),
          false,
        );
        continue;
      }
      if (isBlank(fields)) continue;
      if (!sawHeader) {
        sawHeader = true;
        handlers.header(fields, start, delimiter);
      } else {
        handlers.row(fields, start);
      }
    }
    return result.meta.cursor;
  };

  for (;;) {
    const cursor = feed(pending, eof);
    if (stopped || eof) break;
    const rest = pending.slice(cursor);
    if (rest.length > MAX_ROW_CHARS) {
      handlers.malformed(
        line,
        'a row that starts on this line is longer than 16 MB, so a quoted field is probably never closed; the rest of the file could not be read',
        rest.slice(0, 4096),
        true,
      );
      break;
    }
    handlers.chunk?.();
    const next = reader.next();
    if (next === null) {
      eof = true;
      pending = rest;
    } else {
      pending = rest + next;
    }
  }
  handlers.chunk?.();
  return { delimiter, sawHeader };
}
