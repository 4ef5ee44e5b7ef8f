// A first load of accounts sets the table's indexes and triggers aside and rebuilds them after the
// rows (src/domain/ingest/bulk-load.ts). The schema must come back exactly, also when the load fails,
// and what the triggers would have done must still happen.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/domain/db/open.ts';
import { setAsideWhileEmpty } from '../../src/domain/ingest/bulk-load.ts';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { bookFingerprint } from '../../src/domain/risk/fingerprint.ts';
import { tempDb, tempDir } from '../support/temp.ts';

const schema = (db: Db) =>
  db.prepare("SELECT type, name, sql FROM sqlite_schema WHERE tbl_name = 'accounts' ORDER BY name").all();
const accountsCsv = (ids: string[]) =>
  `account_id,name,arr,owner_email,renewal_date\n${ids.map((id, i) => `${id},Company ${i},${i},o${i % 3}@x.example,2027-0${1 + (i % 9)}-01`).join('\n')}\n`;

describe('loading accounts into an empty table', () => {
  it('rebuilds the indexes and triggers, which the planner and later writes use again', () => {
    const { db } = tempDb();
    const before = schema(db);
    expect(before.filter((o) => (o as { type: string }).type !== 'table').length).toBeGreaterThanOrEqual(5);
    const dir = tempDir();
    writeFileSync(join(dir, 'accounts.csv'), accountsCsv(Array.from({ length: 600 }, (_, i) => `acc_${i}`)));
    const result = importFiles(db, [join(dir, 'accounts.csv')], { parseInWorker: false });
    expect(result.accepted.accounts).toBe(600);
    expect(schema(db)).toEqual(before);
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT account_id FROM accounts WHERE owner_email = 'o1@x.example'")
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('USING INDEX accounts_owner');
    expect(db.prepare("SELECT count(*) FROM accounts WHERE owner_email = 'o1@x.example'").pluck().get()).toBe(200);
  });

  it("moves the book's change counter, as the accounts triggers would, so the book's fingerprint changes", () => {
    const { db } = tempDb();
    const empty = bookFingerprint(db);
    const dir = tempDir();
    writeFileSync(join(dir, 'accounts.csv'), accountsCsv(['acc_1', 'acc_2', 'acc_3']));
    importFiles(db, [join(dir, 'accounts.csv')], { parseInWorker: false });
    const loaded = bookFingerprint(db);
    expect(loaded).not.toBe(empty);
    // Later writes go through the triggers, which are back.
    writeFileSync(join(dir, 'more.csv'), accountsCsv(['acc_4']));
    importFiles(db, [join(dir, 'more.csv')], { parseInWorker: false });
    expect(bookFingerprint(db)).not.toBe(loaded);
  });

  it('leaves the schema as it was when the load fails', () => {
    const { db } = tempDb();
    const before = schema(db);
    expect(() =>
      db.transaction(() => {
        expect(setAsideWhileEmpty(db, 'accounts')).not.toBeNull();
        expect(schema(db)).not.toEqual(before);
        throw new Error('crash mid-load');
      })(),
    ).toThrow('crash mid-load');
    expect(schema(db)).toEqual(before);
  });

  it('sets nothing aside once the table has rows', () => {
    const { db } = tempDb();
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 1)").run();
    const before = schema(db);
    expect(db.transaction(() => setAsideWhileEmpty(db, 'accounts'))()).toBeNull();
    expect(schema(db)).toEqual(before);
  });

  it('forgets remembered files, as the accounts triggers would, so rejected child rows are read again', () => {
    const { db } = tempDb();
    const dir = tempDir();
    const metrics = join(dir, 'metrics.csv');
    writeFileSync(metrics, 'account_id,date,metric,value\nacc_1,2026-06-01,logins,5\nacc_2,2026-06-01,logins,7\n');
    const early = importFiles(db, [metrics]);
    expect(early.rejected).toBe(2);
    expect(db.prepare('SELECT count(*) FROM import_fingerprints').pluck().get()).toBe(1);
    writeFileSync(join(dir, 'accounts.csv'), accountsCsv(['acc_1', 'acc_2']));
    importFiles(db, [join(dir, 'accounts.csv')]);
    const again = importFiles(db, [metrics]);
    expect(again.accepted.metrics).toBe(2);
    expect(again.rejected).toBe(0);
  });
});
