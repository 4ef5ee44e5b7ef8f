/**
 * The one CSV writer: RFC 4180 fields (quoted when they hold the delimiter, a quote, CR or LF,
 * quotes doubled inside), and for exports UTF-8 with a byte-order mark so that Excel reads it as
 * UTF-8, CRLF between records, and OWASP's formula-injection defence for every text cell. The
 * quarantine's fix file and the raw text of a rejected row are written with the same fields.
 */

export type CsvCell = string | number | boolean | null | undefined;

/** What spreadsheets treat as the start of a formula (OWASP), plus LF and full-width look-alikes. */
const FORMULA_START = /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/;
const QUOTE_PREFIX = "'";

/**
 * Makes a text cell inert: one that would start a formula gets a leading apostrophe, so it is
 * shown as text and never evaluated. A cell that already starts with an apostrophe gets one too,
 * so that `unneutralise` can restore every value exactly.
 */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) || text.startsWith(QUOTE_PREFIX) ? `${QUOTE_PREFIX}${text}` : text;
}

/** The inverse of `neutralise`, for reading our own exports back. */
export function unneutralise(text: string): string {
  return text.startsWith(QUOTE_PREFIX) ? text.slice(1) : text;
}

/**
 * One field as CSV text. Also quoted: a byte-order mark, and a space at either end, which some
 * readers trim (what papaparse, which reads our files back, does too).
 */
export function csvField(text: string, delimiter = ','): string {
  const quote = /["\r\n\uFEFF]/.test(text) || text.includes(delimiter) || text.startsWith(' ') || text.endsWith(' ');
  return quote ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One record as CSV text, without its line end. */
export function csvRecord(fields: readonly string[], delimiter = ','): string {
  return fields.map((f) => csvField(f, delimiter)).join(delimiter);
}

function field(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  // Numbers we computed are data, not customer text: written plainly (a negative number is not a formula).
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  return csvField(neutralise(cell));
}

export const UTF8_BOM = '\uFEFF';

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map(field).join(','), ...rows.map((row) => row.map(field).join(','))];
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`;
}
