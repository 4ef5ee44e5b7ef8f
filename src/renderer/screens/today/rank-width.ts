/**
 * The width of Today's rank column ("#"): wide enough for the largest rank the list can show. A
 * fixed 44 px cut ranks of 1,000 and more to "1…" on a large book. `ch` is the width of a digit;
 * the padding is the first cell's (DataTable.css: --space-4 left, --space-3 right).
 */
export function rankColumnWidth(maxRank: number): string {
  const digits = String(Math.max(99, Math.floor(maxRank))).length;
  return `max(44px, calc(${digits + 1}ch + var(--space-4) + var(--space-3)))`;
}
