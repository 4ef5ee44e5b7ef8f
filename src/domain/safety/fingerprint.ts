/**
 * A fingerprint of what a database holds: every table's name and rows, hashed. A restore compares
 * the backup's fingerprint with the live database's after copying, so "restored" always means the
 * database now holds the backup's content (better-sqlite3's backup() can report success having
 * copied nothing when another connection holds the write lock).
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/open.ts';

export function contentFingerprint(db: Db): string {
  const hash = createHash('sha256');
  const tables = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .all();
  for (const { name } of tables) {
    hash.update(`\u0000table:${name}\u0000`);
    // A page-for-page copy scans in the same order, so no sort is needed to compare two copies.
    const rows = db.prepare(`SELECT * FROM "${name.replaceAll('"', '""')}"`).raw();
    for (const row of rows.iterate() as IterableIterator<unknown[]>) hash.update(rowText(row));
  }
  return hash.digest('hex');
}

function rowText(row: unknown[]): string {
  return `${JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))}\n`;
}
