/**
 * CSV writing: RFC 4180 (comma separated, CRLF between records, a field quoted when it holds a
 * comma, a quote, CR or LF, quotes doubled inside), UTF-8 with a byte-order mark so that Excel
 * reads it as UTF-8, and OWASP's formula-injection defence for every text cell.
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

function field(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  // Numbers we computed are data, not customer text: written plainly (a negative number is not a formula).
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  const text = neutralise(cell);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const UTF8_BOM = '\uFEFF';

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map(field).join(','), ...rows.map((row) => row.map(field).join(','))];
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`;
}
