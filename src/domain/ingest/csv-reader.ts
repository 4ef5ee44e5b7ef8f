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
import { brokenRowEnd, loneCrToLf } from './csv-recovery.ts';
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

function countNewlines(text: string, newline = '\n'): number {
  let count = 0;
  for (let at = text.indexOf(newline); at !== -1; at = text.indexOf(newline, at + 1)) count++;
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

/** After a broken row, the text that follows is parsed in windows this large (doubling back up), so many broken rows cost little. */
const RECOVERY_WINDOW = 2048;
const MAX_RAW_CHARS = 64 * 1024;

export function readCsv(reader: TextReader, handlers: CsvHandlers, options: { delimiter?: string } = {}): CsvInfo {
  // A sample big enough to see a few rows, for the delimiter and line-ending guesses.
  let sample = '';
  let eof = false;
  while (sample.length < SAMPLE_CHARS) {
    const chunk = reader.next();
    if (chunk === null) {
      eof = true;
      break;
    }
    sample += chunk;
  }
  // Classic Mac files end lines with CR alone; everything else ends them with LF (CRLF included).
  const newline = !sample.includes('\n') && sample.includes('\r') ? '\r' : '\n';
  const crToLf = newline === '\n' ? loneCrToLf() : (chunk: string) => chunk;
  sample = crToLf(sample, eof);
  const delimiter = options.delimiter ?? detectDelimiter(sample, newline, eof);
  const stream = new CsvStream(reader, handlers, { delimiter, newline, crToLf });
  stream.run(sample, eof);
  return { delimiter, sawHeader: stream.sawHeader };
}

/** The rows of one file after the sample: parsing chunk by chunk, and recovering at a broken row. */
class CsvStream {
  sawHeader = false;
  private line = 1;
  private stopped = false;
  private pending = '';
  private eof = false;
  private readonly parser: Papa.Parser;
  private readonly reader: TextReader;
  private readonly handlers: CsvHandlers;
  private readonly delimiter: string;
  private readonly newline: string;
  private readonly crToLf: (chunk: string, last: boolean) => string;

  constructor(
    reader: TextReader,
    handlers: CsvHandlers,
    format: { delimiter: string; newline: string; crToLf: (chunk: string, last: boolean) => string },
  ) {
    this.reader = reader;
    this.handlers = handlers;
    this.delimiter = format.delimiter;
    this.newline = format.newline;
    this.crToLf = format.crToLf;
    this.parser = parseWith(format.delimiter, format.newline);
  }

  run(sample: string, eof: boolean): void {
    this.pending = sample;
    this.eof = eof;
    // Infinity: the whole pending text at once. After a broken row, small windows (doubling back up).
    let window = Infinity;
    for (;;) {
      const piece = this.pending.length > window ? this.pending.slice(0, window) : this.pending;
      const whole = piece.length === this.pending.length;
      const { cursor, recovered } = this.feed(piece, this.eof && whole);
      if (this.stopped) break;
      this.pending = this.pending.slice(cursor);
      if (recovered || !whole) {
        window = recovered ? RECOVERY_WINDOW : window * 2 > MAX_ROW_CHARS ? Infinity : window * 2;
        continue;
      }
      window = Infinity;
      if (this.eof) break;
      if (this.pending.length > MAX_ROW_CHARS) {
        if (!this.setAsideLongLine()) break;
        window = RECOVERY_WINDOW;
        continue;
      }
      this.handlers.chunk?.();
      const next = this.reader.next();
      this.eof = next === null;
      this.pending += this.crToLf(next ?? '', this.eof);
    }
    this.handlers.chunk?.();
  }

  /** Parses `input`; returns how far it got and whether it stopped early at a broken row. */
  private feed(input: string, last: boolean): { cursor: number; recovered: boolean } {
    const result = this.parser.parse(input, 0, !last) as PapaResult;
    const rows = result.data;
    // Rows PapaParse found a quote problem in (the only errors it reports without header mode).
    const brokenRows = new Set<number>();
    for (const error of result.errors) if (error.row < rows.length) brokenRows.add(error.row);
    const mayHaveLineBreaks = input.includes('"');
    const firstLine = this.line;
    for (let index = 0; index < rows.length; index++) {
      const fields = rows[index]!;
      const start = this.line;
      const lastField = fields.length - 1;
      const tail = fields[lastField]!;
      if (this.newline === '\n' && tail.length > 0 && tail.charCodeAt(tail.length - 1) === 13)
        fields[lastField] = tail.slice(0, -1);
      let extra = 0;
      if (mayHaveLineBreaks) for (const field of fields) if (field.includes('\n')) extra += countNewlines(field);
      this.line += 1 + extra;

      if (brokenRows.has(index)) {
        if (!this.sawHeader) {
          this.handlers.malformed(start, 'a quoted field is broken', rawLine(fields, this.delimiter), true);
          this.stopped = true;
          return { cursor: input.length, recovered: false };
        }
        const cursor = this.setAside(input, offsetOfLine(input, start - firstLine, this.newline), start);
        return { cursor, recovered: true };
      }
      if (isBlank(fields)) continue;
      if (!this.sawHeader) {
        this.sawHeader = true;
        this.handlers.header(fields, start, this.delimiter);
      } else {
        this.handlers.row(fields, start);
      }
    }
    return { cursor: result.meta.cursor, recovered: false };
  }

  /** A row whose quote is broken: set aside from its start to where brokenRowEnd cuts it; returns that offset. */
  private setAside(input: string, from: number, start: number): number {
    const { end, problem } = brokenRowEnd(input, from, this.delimiter, this.newline);
    const raw = input.slice(from, end).replace(/\r?\n$|\r$/, '');
    const reason =
      problem === 'unclosed-quote'
        ? 'a quoted field that starts on this line is never closed, so only this line was set aside (a quote inside a field must be doubled: "")'
        : 'a quoted field has text after its closing quote (a quote inside a field must be doubled: ""), so this row was set aside';
    this.handlers.malformed(start, reason, raw.length > MAX_RAW_CHARS ? `${raw.slice(0, MAX_RAW_CHARS)}…` : raw, false);
    this.line = start + countNewlines(input.slice(from, end), this.newline);
    return end;
  }

  /** A row still open after 16 MB: its first line is set aside (false when even one line is that long). */
  private setAsideLongLine(): boolean {
    const start = this.line;
    const cut = this.pending.indexOf(this.newline);
    if (cut === -1) {
      this.handlers.malformed(
        start,
        'a line that starts here is longer than 16 MB, so the rest of the file could not be read',
        this.pending.slice(0, 4096),
        true,
      );
      return false;
    }
    this.handlers.malformed(
      start,
      'a row that starts on this line is longer than 16 MB, so a quoted field is probably never closed; only this line was set aside',
      this.pending.slice(0, Math.min(cut, 4096)),
      false,
    );
    this.line += 1;
    this.pending = this.pending.slice(cut + 1);
    return true;
  }
}

/** The offset in `text` where its line `index` (0-based, counting LF) starts. */
function offsetOfLine(text: string, index: number, newline: string): number {
  let at = 0;
  for (let i = 0; i < index; i++) {
    const n = text.indexOf(newline, at);
    if (n === -1) return text.length;
    at = n + 1;
  }
  return at;
}
