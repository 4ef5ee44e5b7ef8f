/** Which feature columns the churn model is fitted on (fit.ts). */

/**
 * Columns worth fitting: seen on at least 1% of samples and not constant (trigger flags that never
 * fire, a metric every account reports the same). A constant column has no weight to learn, but
 * costs its share of every Newton step, which grows with the square of the columns. Exact copies of
 * another column are kept: under the ridge penalty a signal carried twice is shrunk less, and
 * dropping them measurably changed the ranking (docs/oulad.md).
 */
export function usableColumns(rows: readonly Float64Array[], names: readonly string[]): number[] {
  const counts = new Array<number>(names.length).fill(0);
  for (const row of rows) for (let j = 0; j < names.length; j++) if (row[j] === row[j]) counts[j]!++;
  return names
    .map((_, j) => j)
    .filter((j) => (counts[j] as number) >= Math.max(5, rows.length * 0.01) && varies(rows, j));
}

function varies(rows: readonly Float64Array[], j: number): boolean {
  let first: number | undefined;
  for (const row of rows) {
    const v = row[j] as number;
    if (v !== v) continue;
    if (first === undefined) first = v;
    else if (v !== first) return true;
  }
  return false;
}

/**
 * The rows cut to the chosen columns, in their order. A plain loop: `Float64Array.from` with a
 * mapping function goes through the iterator protocol per value, a tenth of `chooseModel` at
 * 40,000 rows (issue 13).
 */
export function project(rows: readonly Float64Array[], columns: readonly number[]): Float64Array[] {
  const at = Int32Array.from(columns);
  return rows.map((row) => {
    const out = new Float64Array(at.length);
    for (let k = 0; k < at.length; k++) out[k] = row[at[k] as number] as number;
    return out;
  });
}
