// Re-importing the very same file into an unchanged book is answered from the remembered report
// (src/domain/ingest/unchanged-files.ts, migration 8); any change that could alter the outcome
// makes the importer read the file again. Added with the bench's optimisations (docs/performance.md).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/domain/db/open.ts';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { tempDb, tempDir } from '../support/temp.ts';

const now = () => new Date('2026-06-30T12:00:00Z');

function files() {
  const dir = tempDir();
  const accounts = join(dir, 'accounts.csv');
  const metrics = join(dir, 'metrics.csv');
  writeFileSync(accounts, 'account_id,name,arr\nacc_1,Acme,1000\nacc_2,Globex,2000\n');
  writeFileSync(
    metrics,
    'account_id,date,metric,value\nacc_1,2026-06-01,logins,5\nacc_2,2026-06-01,logins,7\nacc_3,2026-06-01,logins,9\nacc_1,2026-02-31,logins,1\n',
  );
  return { dir, accounts, metrics };
}

const fingerprints = (db: Db) => (db.prepare('SELECT count(*) AS n FROM import_fingerprints').get() as { n: number }).n;
const lastRunMessage = (db: Db) =>
  String(db.prepare('SELECT message FROM sync_runs ORDER BY rowid DESC LIMIT 1').pluck().get());

describe('re-importing an unchanged file', () => {
  it('reports every row unchanged and the same rejections, from the remembered report', () => {
    const { db } = tempDb();
    const f = files();
    const first = importFiles(db, [f.accounts, f.metrics], { now });
    expect(first.accepted).toEqual({ accounts: 2, contacts: 0, metrics: 2, events: 0 });
    expect(first.rejected).toBe(2);
    expect(fingerprints(db)).toBe(2);

    const second = importFiles(db, [f.accounts, f.metrics], { now });
    expect(second.accepted).toEqual({ accounts: 0, contacts: 0, metrics: 0, events: 0 });
    expect(second.unchanged).toBe(4);
    expect(second.rejected).toBe(2);
    expect(second.errors.map((e) => e.message)).toEqual(first.errors.map((e) => e.message));
    expect(second.files.map((file) => [file.status, file.rows, file.unchanged, file.rejected])).toEqual([
      ['unchanged', 2, 2, 0],
      ['partial', 4, 2, 2],
    ]);
    expect(second.changedAccountIds).toEqual([]);
    expect(lastRunMessage(db)).toMatch(/^The same file as the last import/);
  });

  it('reads the file again once a row it wrote has been changed by anyone', () => {
    const { db } = tempDb();
    const f = files();
    importFiles(db, [f.accounts, f.metrics], { now });
    db.prepare("UPDATE metrics SET value = 99 WHERE account_id = 'acc_1'").run();
    expect(fingerprints(db)).toBe(0);
    const again = importFiles(db, [f.metrics], { now });
    expect(again.accepted.metrics).toBe(1);
    expect(again.changedAccountIds).toEqual(['acc_1']);
    expect(db.prepare("SELECT value FROM metrics WHERE account_id = 'acc_1'").pluck().get()).toBe(5);
  });

  it('accepts child rows once their account arrives, instead of repeating the old rejection', () => {
    const { db } = tempDb();
    const f = files();
    importFiles(db, [f.accounts, f.metrics], { now });
    const more = join(f.dir, 'more-accounts.csv');
    writeFileSync(more, 'account_id,name,arr\nacc_3,Initech,3000\n');
    importFiles(db, [more], { now });
    const again = importFiles(db, [f.metrics], { now });
    expect(again.accepted.metrics).toBe(1);
    expect(again.rejected).toBe(1);
  });

  it('keeps the fingerprint when other rows are only added, and reads a changed file in full', () => {
    const { db } = tempDb();
    const f = files();
    importFiles(db, [f.accounts, f.metrics], { now });
    db.prepare(
      "INSERT INTO metrics (account_id, metric, contact_id, date, value) VALUES ('acc_2', 'usage', '', '2026-06-02', 3)",
    ).run();
    expect(fingerprints(db)).toBe(2);
    writeFileSync(f.metrics, 'account_id,date,metric,value\nacc_1,2026-06-01,logins,6\n');
    const changed = importFiles(db, [f.metrics], { now });
    expect(changed.accepted.metrics).toBe(1);
    expect(changed.unchanged).toBe(0);
  });

  it('does not reuse a report made with other import options', () => {
    const { db } = tempDb();
    const f = files();
    importFiles(db, [f.accounts], { now });
    const forced = importFiles(db, [f.accounts], { now, kind: 'accounts' });
    expect(forced.unchanged).toBe(2);
    expect(lastRunMessage(db)).not.toMatch(/^The same file/);
  });
});

describe('batched writes', () => {
  it('count written, unchanged and changed accounts exactly as row by row, across batch boundaries', () => {
    const { db } = tempDb();
    const dir = tempDir();
    const accounts = join(dir, 'accounts.csv');
    const metrics = join(dir, 'metrics.csv');
    writeFileSync(
      accounts,
      `account_id,name,arr\n${Array.from({ length: 300 }, (_, i) => `acc_${i},Company ${i},${i}`).join('\n')}\n`,
    );
    // 600 rows: two batches and a remainder; the same key twice (the later value wins, both written).
    const rows = Array.from(
      { length: 599 },
      (_, i) => `acc_${i % 300},2026-06-${String(1 + Math.floor(i / 300)).padStart(2, '0')},logins,${i}`,
    );
    rows.push('acc_0,2026-06-01,logins,12345');
    writeFileSync(metrics, `account_id,date,metric,value\n${rows.join('\n')}\n`);
    const first = importFiles(db, [accounts, metrics], { now });
    expect(first.accepted).toEqual({ accounts: 300, contacts: 0, metrics: 600, events: 0 });
    expect(first.changedAccountIds?.length).toBe(300);
    expect(
      db.prepare("SELECT value FROM metrics WHERE account_id = 'acc_0' AND date = '2026-06-01'").pluck().get(),
    ).toBe(12345);

    rows[5] = 'acc_5,2026-06-01,logins,-1';
    writeFileSync(metrics, `account_id,date,metric,value\n${rows.join('\n')}\n`);
    const second = importFiles(db, [metrics], { now });
    // acc_0's first row differs from the stored (later) value again, so it is written, as row by row would.
    expect(second.accepted.metrics).toBe(3);
    expect(second.unchanged).toBe(597);
    expect(second.changedAccountIds?.sort()).toEqual(['acc_0', 'acc_5']);
  });
});

describe('migration 7: import fingerprints', () => {
  it('forgets fingerprints on updates, deletes and new accounts, but not on new child rows', () => {
    const { db } = tempDb();
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 1)").run();
    const remember = () =>
      db
        .prepare(
          "INSERT INTO import_fingerprints (name, digest, options, report_json, errors_json, created_at) VALUES ('f', 'd', 'o', '{}', '[]', 'now')",
        )
        .run();
    remember();
    db.prepare(
      "INSERT INTO metrics (account_id, metric, contact_id, date, value) VALUES ('acc_1', 'logins', '', '2026-06-01', 1)",
    ).run();
    db.prepare(
      "INSERT INTO events (event_id, account_id, occurred_at, type) VALUES ('e1', 'acc_1', '2026-06-01T00:00:00.000Z', 'csm_touch')",
    ).run();
    expect(fingerprints(db)).toBe(1);
    db.prepare('UPDATE metrics SET value = 2').run();
    expect(fingerprints(db)).toBe(0);
    remember();
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_2', 'Globex', 1)").run();
    expect(fingerprints(db)).toBe(0);
    remember();
    db.prepare("DELETE FROM accounts WHERE account_id = 'acc_1'").run();
    expect(fingerprints(db)).toBe(0);
  });
});
