/**
 * Filling an empty table: its secondary indexes and triggers are set aside and rebuilt after the
 * rows, inside the same transaction, so a failed import leaves them exactly as they were. Building
 * an index once from all the rows is cheaper than keeping it sorted row by row (the two account
 * indexes are in random order), and a row trigger costs about a microsecond per row even when its
 * WHEN clause is false (docs/performance.md, "import"). Only for an empty table: rebuilding the
 * indexes of a full one would cost more than a small file saves.
 */
import type { Db } from '../db/open.ts';

interface SchemaObject {
  type: 'index' | 'trigger';
  name: string;
  sql: string;
}

export interface SetAside {
  /** Recreates every index and trigger set aside. The caller then does what the triggers would have done. */
  restore(): void;
}

export function tableIsEmpty(db: Db, table: string): boolean {
  return db.prepare(`SELECT EXISTS (SELECT 1 FROM ${table})`).pluck().get() === 0;
}

/** Null when the table already has rows (nothing is set aside). */
export function setAsideWhileEmpty(db: Db, table: string): SetAside | null {
  if (!tableIsEmpty(db, table)) return null;
  // Automatic indexes (primary keys, UNIQUE) have no SQL and stay: they enforce the table's keys.
  const objects = db
    .prepare<[string], SchemaObject>(
      "SELECT type, name, sql FROM sqlite_schema WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name",
    )
    .all(table);
  for (const object of objects)
    db.exec(`DROP ${object.type === 'index' ? 'INDEX' : 'TRIGGER'} "${object.name.replaceAll('"', '""')}"`);
  return {
    restore() {
      for (const object of objects) db.exec(object.sql);
    },
  };
}
