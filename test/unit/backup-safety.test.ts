import Database from 'better-sqlite3';
import { copyFileSync, existsSync, openSync, readdirSync, readFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../src/domain/db/open.ts';
import { backupIfDue, createBackup } from '../../src/domain/safety/backup.ts';
import { backupsDirFor, listBackups } from '../../src/domain/safety/backup-files.ts';
import { checkFile } from '../../src/domain/safety/integrity.ts';
import {
  checkDatabaseAtStartup,
  readLastRecovery,
  recordRecovery,
  restoreDatabase,
} from '../../src/domain/safety/restore.ts';
import { sampleAccount, tempDir } from '../support/temp.ts';

function seed(db: Db, from: number, count: number): void {
  const insert = db.prepare(
    'INSERT INTO accounts (account_id, name, owner_email, arr, currency, status, is_demo) VALUES (@account_id, @name, @owner_email, @arr, @currency, @status, 0)',
  );
  db.transaction(() => {
    for (let i = from; i < from + count; i++) {
      insert.run({
        ...sampleAccount(),
        account_id: `acc_${i}`,
        name: `Customer ${i} ${'x'.repeat(80)}`,
        arr: 1000 + i,
      });
    }
  })();
}

const accountCount = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

/** Overwrites the b-tree page header of the accounts table's root page: SQLite can open the file, quick_check cannot pass it. */
function corruptAccountsPage(path: string): void {
  const db = new Database(path, { readonly: true });
  const { rootpage } = db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'accounts'").get() as {
    rootpage: number;
  };
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, (rootpage - 1) * pageSize + (rootpage === 1 ? 100 : 0));
  closeSync(fd);
}

describe('backups', () => {
  it('writes a verified, single-file copy into the backups folder and rotates older ones', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'foresight.db');
    const { db } = openDatabase(dbPath, { create: true });
    seed(db, 0, 50);
    // 20 days of scheduled backups, with injected dates.
    for (let day = 0; day < 20; day++) {
      await createBackup(db, { dbPath, now: new Date(Date.UTC(2025, 1, 1 + day, 9)) });
    }
    const kept = listBackups(dbPath);
    // Feb 14..20 daily, then the newest of each of the 4 weeks before (Feb 13 W07, Feb 9 W06, Feb 2 W05): only 3 such weeks exist.
    expect(kept.map((b) => b.takenAt.toISOString().slice(0, 10))).toEqual([
      '2025-02-20',
      '2025-02-19',
      '2025-02-18',
      '2025-02-17',
      '2025-02-16',
      '2025-02-15',
      '2025-02-14',
      '2025-02-13',
      '2025-02-09',
      '2025-02-02',
    ]);
    for (const backup of kept) {
      expect(checkFile(backup.path, 'full').ok).toBe(true);
      expect(existsSync(`${backup.path}-wal`)).toBe(false);
      expect(accountCount(backup.path)).toBe(50);
    }
    // No ".partial" leftovers.
    expect(readdirSync(backupsDirFor(dbPath)).filter((f) => f.includes('partial'))).toEqual([]);
    closeDatabase(db);
  });

  it('takes the daily backup only once a day', async () => {
    const dbPath = join(tempDir(), 'foresight.db');
    const { db } = openDatabase(dbPath, { create: true });
    expect(await backupIfDue(db, { dbPath, now: new Date('2025-03-02T08:00:00Z') })).not.toBeNull();
    expect(await backupIfDue(db, { dbPath, now: new Date('2025-03-02T20:00:00Z') })).toBeNull();
    expect(await backupIfDue(db, { dbPath, now: new Date('2025-03-03T00:30:00Z') })).not.toBeNull();
    expect(listBackups(dbPath)).toHaveLength(2);
    closeDatabase(db);
  });

  it('refuses to overwrite an existing file with --out', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'foresight.db');
    const { db } = openDatabase(dbPath, { create: true });
    const out = join(dir, 'copy.db');
    await createBackup(db, { dbPath, now: new Date(), out });
    await expect(createBackup(db, { dbPath, now: new Date(), out })).rejects.toThrow(/already there/);
    closeDatabase(db);
  });
});

describe('corruption at start-up', () => {
  it('detects flipped bytes, restores the newest good backup, keeps the damaged file, and says what and from when', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'foresight.db');
    const { db } = openDatabase(dbPath, { create: true });
    seed(db, 0, 300);
    await createBackup(db, { dbPath, now: new Date('2025-03-01T09:00:00Z') });
    seed(db, 300, 100);
    await createBackup(db, { dbPath, now: new Date('2025-03-02T09:00:00Z') });
    seed(db, 400, 5); // made after the last backup: this is what the restore cannot bring back
    closeDatabase(db);
    expect(checkDatabaseAtStartup(dbPath, { now: new Date('2025-03-02T12:00:00Z') })).toEqual({ status: 'ok' });

    // Flip bytes in a copy of the database, then put the damaged copy in place.
    const damaged = join(dir, 'damaged-copy.db');
    copyFileSync(dbPath, damaged);
    corruptAccountsPage(damaged);
    expect(checkFile(damaged, 'quick').ok).toBe(false);
    copyFileSync(damaged, dbPath);

    const result = checkDatabaseAtStartup(dbPath, { now: new Date('2025-03-02T12:00:00Z') });
    expect(result.status).toBe('recovered');
    if (result.status !== 'recovered') return;
    const { notice } = result;
    expect(notice.kind).toBe('restored-damaged');
    expect(notice.backupTakenAt).toBe('2025-03-02T09:00:00.000Z');
    expect(notice.message).toContain('restored the backup taken 2025-03-02 09:00 UTC');
    expect(notice.message).toContain('Changes made after that time are not in it');
    expect(notice.message).toContain(notice.keptAt!);

    // The restored database is whole and holds the newest backup's data.
    expect(checkFile(dbPath, 'full').ok).toBe(true);
    expect(accountCount(dbPath)).toBe(400);
    // Nothing silently lost: the damaged file is kept, byte for byte.
    expect(readFileSync(notice.keptAt!).equals(readFileSync(damaged))).toBe(true);
    // Backups are untouched.
    expect(listBackups(dbPath)).toHaveLength(2);

    // The app opens it normally and can show the notice afterwards.
    const reopened = openDatabase(dbPath);
    recordRecovery(reopened.db, notice);
    expect(readLastRecovery(reopened.db)?.message).toBe(notice.message);
    closeDatabase(reopened.db);
  });

  it('skips a damaged backup and uses the next good one', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'foresight.db');
    const { db } = openDatabase(dbPath, { create: true });
    seed(db, 0, 300);
    await createBackup(db, { dbPath, now: new Date('2025-03-01T09:00:00Z') });
    const newest = await createBackup(db, { dbPath, now: new Date('2025-03-02T09:00:00Z') });
    closeDatabase(db);
    corruptAccountsPage(newest.path);
    corruptAccountsPage(dbPath);

    const result = checkDatabaseAtStartup(dbPath, { now: new Date('2025-03-02T12:00:00Z') });
    expect(result.status).toBe('recovered');
    if (result.status === 'recovered') expect(result.notice.backupTakenAt).toBe('2025-03-01T09:00:00.000Z');
    expect(checkFile(dbPath, 'full').ok).toBe(true);
  });

  it('never erases a damaged database that has no backup: it stays in place and a copy is kept', () => {
    const dir = tempDir();
    const dbPath = join(dir, 'foresight.db');
    const { db } = openDatabase(dbPath, { create: true });
    seed(db, 0, 300);
    closeDatabase(db);
    corruptAccountsPage(dbPath);
    const before = readFileSync(dbPath);

    const result = checkDatabaseAtStartup(dbPath, { now: new Date('2025-03-02T12:00:00Z') });
    expect(result.status).toBe('damaged');
    if (result.status !== 'damaged') return;
    expect(result.notice.message).toMatch(/no good backup/);
    expect(readFileSync(dbPath).equals(before)).toBe(true);
    expect(readFileSync(result.notice.keptAt!).equals(before)).toBe(true);
  });

  it('treats a file that is not a database at all (header overwritten) as damaged', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'foresight.db');
    const { db } = openDatabase(dbPath, { create: true });
    seed(db, 0, 10);
    await createBackup(db, { dbPath, now: new Date('2025-03-01T09:00:00Z') });
    closeDatabase(db);
    const fd = openSync(dbPath, 'r+');
    writeSync(fd, Buffer.from('this is not sqlite at all'), 0, 25, 0);
    closeSync(fd);
    const result = checkDatabaseAtStartup(dbPath, { now: new Date('2025-03-02T12:00:00Z') });
    expect(result.status).toBe('recovered');
    expect(accountCount(dbPath)).toBe(10);
  });

  it('brings back a missing database file from its backups, and starts fresh when there are none', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'foresight.db');
    expect(checkDatabaseAtStartup(dbPath, { now: new Date() })).toEqual({ status: 'new' });
    const { db } = openDatabase(dbPath, { create: true });
    seed(db, 0, 10);
    await createBackup(db, { dbPath, now: new Date('2025-03-01T09:00:00Z') });
    closeDatabase(db);
    const { rmSync } = await import('node:fs');
    rmSync(dbPath);
    const result = checkDatabaseAtStartup(dbPath, { now: new Date('2025-03-02T12:00:00Z') });
    expect(result.status).toBe('recovered');
    if (result.status === 'recovered') expect(result.notice.kind).toBe('restored-missing');
    expect(accountCount(dbPath)).toBe(10);
  });
});

describe('restore on request', () => {
  it('restores into the open database, keeps a pre-restore copy, and reports the backup time', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'foresight.db');
    const { db } = openDatabase(dbPath, { create: true });
    seed(db, 0, 20);
    const out = join(dir, 'elsewhere.db');
    await createBackup(db, { dbPath, now: new Date('2025-03-01T09:00:00Z'), out });
    seed(db, 20, 30);

    const result = await restoreDatabase(db, { dbPath, from: out, now: new Date('2025-03-02T10:00:00Z') });
    // The same open connection sees the restored data.
    expect((db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n).toBe(20);
    // A renamed copy still knows when it was taken.
    expect(result.backupTakenAt).toBe('2025-03-01T09:00:00.000Z');
    expect(result.notice.message).toContain('2025-03-01 09:00 UTC');
    expect(accountCount(result.safetyCopy)).toBe(50);
    expect(listBackups(dbPath).map((b) => b.kind)).toEqual(['pre-restore']);
    expect(readLastRecovery(db)?.kind).toBe('restored-by-user');
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    closeDatabase(db);
  });

  it('refuses damaged files, files from a newer app, and files that are not Foresight databases, changing nothing', async () => {
    const dir = tempDir();
    const dbPath = join(dir, 'foresight.db');
    const { db } = openDatabase(dbPath, { create: true });
    seed(db, 0, 300);
    const good = join(dir, 'good.db');
    await createBackup(db, { dbPath, now: new Date(), out: good });

    const damaged = join(dir, 'damaged.db');
    copyFileSync(good, damaged);
    corruptAccountsPage(damaged);
    await expect(restoreDatabase(db, { dbPath, from: damaged, now: new Date() })).rejects.toThrow(/integrity check/);

    const newer = join(dir, 'newer.db');
    copyFileSync(good, newer);
    const n = new Database(newer);
    n.pragma('user_version = 999');
    n.close();
    await expect(restoreDatabase(db, { dbPath, from: newer, now: new Date() })).rejects.toThrow(/newer version/);

    const stranger = join(dir, 'stranger.db');
    const s = new Database(stranger);
    s.exec('CREATE TABLE x (y)');
    s.close();
    await expect(restoreDatabase(db, { dbPath, from: stranger, now: new Date() })).rejects.toThrow(
      /not a Foresight backup/,
    );

    expect((db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n).toBe(300);
    expect(listBackups(dbPath)).toHaveLength(0);
    closeDatabase(db);
  });
});
