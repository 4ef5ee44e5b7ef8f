/**
 * A key repeated within one file: the first row is kept and each later row with the same key is
 * rejected to the quarantine naming the line it repeats, so the counts are true and a re-import of
 * the same file changes nothing (docs/sync.md, "A key twice in one file"). And an account older
 * (updated_at) than the stored one is kept out and counted (docs/sync.md, "Older records").
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/domain/db/open.ts';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { listQuarantine } from '../../src/domain/ingest/quarantine.ts';
import { tempDb, tempDir } from '../support/temp.ts';

const now = () => new Date('2026-06-30T12:00:00Z');
const arrOf = (db: Db, id: string) => db.prepare('SELECT name, arr FROM accounts WHERE account_id = ?').get(id);

describe.each([false, true])('a key twice in one file (CSV worker: %s)', (parseInWorker) => {
  it('keeps the first row, quarantines the repeat with both lines, and changes nothing the second time', () => {
    const { db } = tempDb();
    const dir = tempDir();
    const file = join(dir, 'dup.csv');
    writeFileSync(file, 'account_id;name;arr\nA1;"Alpha; Inc";1000\nB1;Beta;2000\nA1;Alpha dup;1500\n');
    const contacts = join(dir, 'contacts.csv');
    writeFileSync(contacts, 'contact_id,account_id,name\nc1,A1,Ana\nc1,B1,Bo\nc2,B1,Cy\n');
    const first = importFiles(db, [file, contacts], { now, parseInWorker });
    expect(first.accepted).toMatchObject({ accounts: 2, contacts: 2 });
    expect(first.rejected).toBe(2);
    expect(first.errors.map((e) => e.message)).toEqual([
      "line 4, account_id: 'A1' is already on line 2 of this file; the first row was kept",
      "line 3, contact_id: 'c1' is already on line 2 of this file; the first row was kept",
    ]);
    expect(arrOf(db, 'A1')).toEqual({ name: 'Alpha; Inc', arr: 1000 });
    expect(listQuarantine(db, {}, 0, 10).total).toBe(2);

    // Change the file so it is read again rather than answered from the remembered report.
    writeFileSync(file, 'account_id;name;arr\nA1;"Alpha; Inc";1000\nB1;Beta;2000\nA1;Alpha dup;1500\n\n');
    const again = importFiles(db, [file, contacts], { now, parseInWorker });
    expect(again.accepted).toMatchObject({ accounts: 0, contacts: 0 });
    expect(again.unchanged).toBe(4);
    expect(again.rejected).toBe(2);
    expect(listQuarantine(db, {}, 0, 10).rows.map((r) => r.id)).toEqual([1, 2]);
    expect(arrOf(db, 'A1')).toEqual({ name: 'Alpha; Inc', arr: 1000 });
  });
});

describe.each([false, true])('an older account in a file (CSV worker: %s)', (parseInWorker) => {
  it('keeps the newer stored account and counts the older one', () => {
    const { db } = tempDb();
    const dir = tempDir();
    const newer = join(dir, 'newer.csv');
    const older = join(dir, 'older.csv');
    writeFileSync(newer, 'account_id,name,arr,updated_at\nF1,F,2000,2026-06-05T00:00:00Z\nF2,G,10,\n');
    writeFileSync(
      older,
      'account_id,name,arr,updated_at\nF1,F,1000,2026-06-01T00:00:00Z\nF2,G,20,2026-06-01T00:00:00Z\n',
    );
    importFiles(db, [newer], { now, parseInWorker });
    const second = importFiles(db, [older], { now, parseInWorker });
    // F2 had no updated_at stored: the dated row is written; F1's older row is not.
    expect(second).toMatchObject({ older: 1, unchanged: 0, accepted: { accounts: 1 } });
    expect(arrOf(db, 'F1')).toEqual({ name: 'F', arr: 2000 });
    expect(arrOf(db, 'F2')).toEqual({ name: 'G', arr: 20 });
  });
});
