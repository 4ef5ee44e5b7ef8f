/**
 * Excel holds at most 32,767 characters in a cell: a longer one makes an XLSX file Excel repairs
 * (dropping the cell) and is cut silently when a CSV is opened. Exports cut such a text before the
 * limit and say so at its end, so the reader sees that something is missing.
 */
export const EXCEL_CELL_LIMIT = 32_767;

/** The cut text's last words; the CSV's apostrophe for a formula-like text still fits after it. */
export const CUT_MARKER = ' [… cut: longer than a spreadsheet cell holds]';

export function fitCell<T>(value: T): T | string {
  if (typeof value !== 'string' || value.length < EXCEL_CELL_LIMIT) return value;
  return value.slice(0, EXCEL_CELL_LIMIT - 1 - CUT_MARKER.length) + CUT_MARKER;
}
