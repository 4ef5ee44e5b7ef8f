import type { Migration } from '../migration.ts';

/**
 * The book's fingerprint (risk/fingerprint.ts) from a counter kept by the accounts table's own
 * triggers, instead of a scan of every account on each `status`, `risks` and `account` (issue 16:
 * 11 ms of `account X` at 100,000 accounts, the one read of that command that grew with the book).
 *
 * The fingerprint was the accounts' count, total ARR, newest `updated_at` and churned count: any
 * change of one of them needs an account inserted or deleted, or its `status`, `arr` or `updated_at`
 * changed, and each of those moves the counter (triggers run for every writer, the app's, an
 * import's, another SQLite client's). The counter moves on a little more (an ARR changed and back),
 * which only costs a rescore. A book whose stored fingerprint matched its accounts keeps matching:
 * the stored value is rewritten in the new form here.
 */
export const migration0029: Migration = {
  version: 29,
  name: 'book changes counter for the fingerprint',
  up(db) {
    db.exec(`
      CREATE TABLE book_changes (
        id      INTEGER PRIMARY KEY CHECK (id = 1),
        changes INTEGER NOT NULL
      ) STRICT;
      INSERT INTO book_changes (id, changes) VALUES (1, 0);
      CREATE TRIGGER book_changes_account_added AFTER INSERT ON accounts
      BEGIN
        UPDATE book_changes SET changes = changes + 1 WHERE id = 1;
      END;
      CREATE TRIGGER book_changes_account_removed AFTER DELETE ON accounts
      BEGIN
        UPDATE book_changes SET changes = changes + 1 WHERE id = 1;
      END;
      CREATE TRIGGER book_changes_account_changed AFTER UPDATE OF status, arr, updated_at ON accounts
      WHEN OLD.status IS NOT NEW.status OR OLD.arr IS NOT NEW.arr OR OLD.updated_at IS NOT NEW.updated_at
      BEGIN
        UPDATE book_changes SET changes = changes + 1 WHERE id = 1;
      END;
    `);
    // The form fingerprint.ts computed before this version, from the same meta keys.
    const meta = db.prepare<[string], string>('SELECT value FROM app_meta WHERE key = ?').pluck();
    const stored = meta.get('risk.book_fingerprint');
    if (stored === undefined) return;
    const row = db
      .prepare<[], { n: number; arr: number; updated: string | null; churned: number }>(
        "SELECT count(*) AS n, total(arr) AS arr, max(updated_at) AS updated, count(*) FILTER (WHERE status = 'churned') AS churned FROM accounts",
      )
      .get()!;
    const seed = meta.get('demo_seed') ?? '-';
    const before = [row.n, Math.round(row.arr), row.updated ?? '-', row.churned, seed].join('|');
    if (stored === before)
      db.prepare("UPDATE app_meta SET value = ? WHERE key = 'risk.book_fingerprint'").run(`changes 0|${seed}`);
  },
};
