import type { Db } from './open.ts';

/**
 * Builds one prepared upsert for a table. The UPDATE only fires when a column really differs, so
 * `changes` is 0 for a row that is already identical: that is how imports report "unchanged".
 */
export function prepareUpsert<Row extends Record<string, unknown>>(
  db: Db,
  table: string,
  columns: readonly (keyof Row & string)[],
  key: readonly (keyof Row & string)[],
) {
  const valueColumns = columns.filter((c) => !key.includes(c));
  const sql =
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})` +
    ` ON CONFLICT (${key.join(', ')}) DO ` +
    (valueColumns.length === 0
      ? 'NOTHING'
      : `UPDATE SET ${valueColumns.map((c) => `${c} = excluded.${c}`).join(', ')}` +
        ` WHERE ${valueColumns.map((c) => `${table}.${c} IS NOT excluded.${c}`).join(' OR ')}`);
  const statement = db.prepare(sql);
  /** Returns 'written' when the row was inserted or changed, 'unchanged' otherwise. */
  return (row: Row): 'written' | 'unchanged' => (statement.run(row).changes > 0 ? 'written' : 'unchanged');
}
