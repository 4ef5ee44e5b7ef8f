import type { Db } from './open.ts';

/**
 * One write of many rows: `batch` rows a statement (values bound by position), the rest one a
 * statement, in the rows' order. `sql(n)` is the statement for n rows, whose VALUES clause is
 * valuesOf(columns, n). Returns the statements' changes. Performance: a statement per row was most
 * of a first scoring run's write of its checklists and history coverage (issue 13).
 */
export function batchedWrite<Row>(
  db: Db,
  columns: readonly (keyof Row & string)[],
  batch: number,
  sql: (rows: number) => string,
): (rows: readonly Row[]) => number {
  const one = db.prepare<unknown[]>(sql(1));
  const many = db.prepare<unknown[]>(sql(batch));
  const values = (row: Row) => columns.map((c) => row[c]);
  return (rows) => {
    let changes = 0;
    let i = 0;
    for (; i + batch <= rows.length; i += batch) changes += many.run(rows.slice(i, i + batch).flatMap(values)).changes;
    for (; i < rows.length; i++) changes += one.run(values(rows[i] as Row)).changes;
    return changes;
  };
}

/** `VALUES (?, …), …` for `rows` rows of `columns`. */
export function valuesOf(columns: readonly string[], rows: number): string {
  const row = `(${columns.map(() => '?').join(', ')})`;
  return `VALUES ${Array.from({ length: rows }, () => row).join(', ')}`;
}
