/**
 * A first load of events builds their unique `event_id` index once, after the rows, instead of
 * inserting each id into it as it comes. Event ids are random (`ev_9fbb41cf…`), so each insert
 * into that index lands on another page: memory latency, 24-32 CPU-s for the 2.3 M events of a
 * 50,000-account book against 6.3 s without the index, and a page cache 16 times larger did not help
 * (docs/performance.md, "The import's own part"). Building the index from all the rows is one sort.
 *
 * Only for an empty events table, inside the file's transaction (a failed import rolls the drop back
 * with everything else). The writer then inserts plainly (`plainInsert`, writer.ts), so a file that
 * repeats an id holds both rows until `restore` settles them exactly as the upsert would have:
 * the first row keeps its place (rowid) and takes the last row's values, and each repeat that
 * equals the row before it is counted unchanged instead of written. The index itself is what
 * finds repeats: building it fails on one, and only then are they looked for.
 */
import type { Db } from '../db/open.ts';
import { tableIsEmpty } from './bulk-load.ts';
import { DB_COLUMNS } from './repo.ts';
import type { RecordWriter } from './writer.ts';

const KEY_INDEX = 'events_event_id';
const VALUE_COLUMNS = DB_COLUMNS.events.filter((column) => column !== 'event_id');

export interface EventKeySetAside {
  /** Settles repeated ids, builds the index again and moves repeats that changed nothing to unchanged. */
  restore(writer: RecordWriter): void;
}

/** Null when the events table has rows (the upsert keeps the index, as before). */
export function setAsideEventKey(db: Db): EventKeySetAside | null {
  if (!tableIsEmpty(db, 'events')) return null;
  const sql = db
    .prepare<[string], string>("SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?")
    .pluck()
    .get(KEY_INDEX);
  if (!sql) return null;
  db.exec(`DROP INDEX ${KEY_INDEX}`);
  return {
    restore(writer) {
      if (buildIndex(db, sql)) return;
      const unchanged = settleRepeatedIds(db);
      if (!buildIndex(db, sql)) throw new Error('Repeated event ids were left after settling them.');
      writer.counts.accepted.events -= unchanged;
      writer.counts.unchanged += unchanged;
    },
  };
}

/**
 * SQLite's page cache while the index is built, in KiB. The sorter sizes its in-memory runs by the
 * page cache, and the import's 64 MiB made the build both larger and slower: 2.33 M ids at 50,000
 * accounts took 3.9 CPU-s and 176 MB of RSS with it against 2.3 CPU-s and 63 MB with 2 MiB
 * (SQLite's default), and raised the whole import's peak from 381 to 612 MB.
 */
const INDEX_BUILD_CACHE_KIB = 2048;

/**
 * The sorter's runs go to a temporary file while the index is built: with the connection's
 * `temp_store = MEMORY` (open.ts) the sorter keeps every id in memory and never spills, and the
 * process kept that memory afterwards (about 300 MB of RSS at 100,000 accounts, under the first
 * scoring's peak; issue 16). SQLite refuses the change inside a transaction that already uses
 * temporary storage: the build then stays in memory, as before.
 */
function sortOnDisk(db: Db): () => void {
  const before = db.pragma('temp_store', { simple: true }) as number;
  try {
    db.pragma('temp_store = FILE');
  } catch {
    return () => {};
  }
  return () => db.pragma(`temp_store = ${before}`);
}

/** False when a repeated id stopped the build (nothing of it is left behind). */
function buildIndex(db: Db, sql: string): boolean {
  const cacheBefore = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${INDEX_BUILD_CACHE_KIB}`);
  const restoreTempStore = sortOnDisk(db);
  db.exec('SAVEPOINT event_key');
  try {
    db.exec(sql);
    db.exec('RELEASE event_key');
    return true;
  } catch (error) {
    db.exec('ROLLBACK TO event_key');
    db.exec('RELEASE event_key');
    if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return false;
    throw error;
  } finally {
    restoreTempStore();
    db.pragma(`cache_size = ${cacheBefore}`);
  }
}

type EventRow = Record<string, unknown> & { rid: number; event_id: string };

/**
 * Each repeated id down to its first row holding its last row's values, as one upsert per row
 * would have left it. Returns how many repeats equalled the row before them (the upsert's
 * "unchanged"). The fingerprints of other files (migration 7) are kept unless a repeat changed its
 * row, as the upsert's UPDATE trigger would have decided; the lifecycle trigger (migration 13)
 * sees the settled row.
 */
function settleRepeatedIds(db: Db): number {
  const rows = db
    .prepare<[], EventRow>(
      `SELECT rowid AS rid, * FROM events
       WHERE event_id IN (SELECT event_id FROM events GROUP BY event_id HAVING count(*) > 1)
       ORDER BY event_id, rowid`,
    )
    .all();
  const fingerprints = db.prepare('SELECT * FROM import_fingerprints').all() as Record<string, unknown>[];
  const remove = db.prepare<[number]>('DELETE FROM events WHERE rowid = ?');
  const update = db.prepare(
    `UPDATE events SET ${VALUE_COLUMNS.map((c) => `${c} = @${c}`).join(', ')} WHERE rowid = @rid`,
  );
  const same = (a: EventRow, b: EventRow) => VALUE_COLUMNS.every((c) => a[c] === b[c]);
  let unchanged = 0;
  let changedAny = false;
  for (let start = 0; start < rows.length;) {
    let end = start + 1;
    while (end < rows.length && rows[end]!.event_id === rows[start]!.event_id) end++;
    for (let i = start + 1; i < end; i++) {
      if (same(rows[i]!, rows[i - 1]!)) unchanged++;
      else changedAny = true;
      remove.run(rows[i]!.rid);
    }
    const first = rows[start]!;
    const last = rows[end - 1]!;
    if (!same(first, last)) {
      const values: Record<string, unknown> = { rid: first.rid };
      for (const column of VALUE_COLUMNS) values[column] = last[column];
      update.run(values);
    }
    start = end;
  }
  if (!changedAny) restoreFingerprints(db, fingerprints);
  return unchanged;
}

/** Puts back fingerprints the settling's DELETEs made their trigger forget. */
function restoreFingerprints(db: Db, rows: readonly Record<string, unknown>[]): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const insert = db.prepare(
    `INSERT OR IGNORE INTO import_fingerprints (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
  );
  for (const row of rows) insert.run(row);
}
