/**
 * Issue 15, High 1: a restore while another connection holds the write lock used to report
 * success having copied nothing. Now it waits, then copies and proves it (fingerprint), or refuses.
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../src/domain/db/open.ts';
import { createBackup } from '../../src/domain/safety/backup.ts';
import { contentFingerprint } from '../../src/domain/safety/fingerprint.ts';
import { backupsDirFor } from '../../src/domain/safety/backup-files.ts';
import { checkDatabaseAtStartup, restoreDatabase } from '../../src/domain/safety/restore.ts';
import { runCli } from '../support/cli.ts';
import { sampleAccount, tempDir } from '../support/temp.ts';

const NOW = new Date('2026-03-01T10:00:00Z');
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'foresight.mjs');

function addAccount(db: Db, id: string): void {
  db.prepare(
    'INSERT INTO accounts (account_id, name, owner_email, arr, currency, status, is_demo) VALUES (?, ?, ?, ?, ?, ?, 0)',
  ).run(id, `Customer ${id}`, sampleAccount().owner_email, 1000, 'USD', 'active');
}

const ids = (db: Db) => db.prepare('SELECT account_id FROM accounts ORDER BY account_id').pluck().all() as string[];

async function databaseWithBackup() {
  const dir = tempDir();
  const dbPath = join(dir, 'foresight.db');
  const { db } = openDatabase(dbPath, { create: true });
  addAccount(db, 'acc_in_backup');
  const backup = await createBackup(db, { dbPath, now: NOW, out: join(dir, 'backup.db') });
  addAccount(db, 'acc_after_backup');
  return { dir, dbPath, db, backupPath: backup.path };
}

describe('restore while another connection writes', () => {
  it('refuses with one sentence, changing nothing, when the write lock is held throughout', async () => {
    const { dbPath, db, backupPath } = await databaseWithBackup();
    const writer = new Database(dbPath);
    writer.prepare('BEGIN IMMEDIATE').run();
    try {
      await expect(restoreDatabase(db, { dbPath, from: backupPath, now: NOW, waitMs: 300 })).rejects.toMatchObject({
        code: 'RESTORE_BUSY',
        message: expect.stringMatching(/^Nothing was restored/),
      });
    } finally {
      writer.prepare('ROLLBACK').run();
      writer.close();
    }
    expect(ids(db)).toEqual(['acc_after_backup', 'acc_in_backup']);
    closeDatabase(db);
  });

  it('waits for the lock, then really restores: the content fingerprint equals the backup’s', async () => {
    const { dbPath, db, backupPath } = await databaseWithBackup();
    const writer = new Database(dbPath);
    writer.prepare('BEGIN IMMEDIATE').run();
    const restoring = restoreDatabase(db, { dbPath, from: backupPath, now: NOW, waitMs: 60_000 });
    // Let the restore meet the lock at least once, then let go of it.
    await new Promise((resolve) => setTimeout(resolve, 250));
    writer.prepare('ROLLBACK').run();
    writer.close();
    await restoring;
    expect(ids(db)).toEqual(['acc_in_backup']);
    const backup = new Database(backupPath, { readonly: true });
    const restored = new Database(dbPath, { readonly: true });
    // The restore records its notice in app_meta afterwards, so compare the data tables.
    expect(ids(restored)).toEqual(ids(backup));
    backup.close();
    restored.close();
    closeDatabase(db);
  });

  it('exits non-zero from the CLI with at most two lines on stderr while another process holds the lock', async () => {
    const { dbPath, db, backupPath } = await databaseWithBackup();
    closeDatabase(db);
    const writer = new Database(dbPath);
    writer.prepare('BEGIN IMMEDIATE').run();
    const child = spawn(process.execPath, [BIN, 'restore', backupPath, '--db', dbPath, '--wait', '0.3']);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    writer.prepare('ROLLBACK').run();
    expect(code).not.toBe(0);
    expect(stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(ids(writer)).toEqual(['acc_after_backup', 'acc_in_backup']);
    writer.close();
  });
});

describe('content fingerprint', () => {
  it('is equal for a backup and its source, and differs after one change', async () => {
    const { db, backupPath } = await databaseWithBackup();
    const backup = new Database(backupPath, { readonly: true });
    const before = contentFingerprint(backup);
    db.prepare("DELETE FROM accounts WHERE account_id = 'acc_after_backup'").run();
    db.prepare('DELETE FROM app_meta').run();
    // Bookkeeping like app_meta: the accounts' change counter (migration 29) moved with the delete.
    db.prepare('UPDATE book_changes SET changes = 0').run();
    const copy = new Database(backupPath);
    copy.prepare('DELETE FROM app_meta').run();
    copy.prepare('UPDATE book_changes SET changes = 0').run();
    expect(contentFingerprint(copy)).toBe(contentFingerprint(db));
    copy.prepare('UPDATE accounts SET arr = 1001').run();
    expect(contentFingerprint(copy)).not.toBe(contentFingerprint(db));
    expect(before).toMatch(/^[0-9a-f]{64}$/);
    copy.close();
    backup.close();
    closeDatabase(db);
  });
});

describe('what killed backups and restores leave behind', () => {
  it('removes stale .partial copies and a .restoring file at start-up, and keeps a copy still being written', async () => {
    const { dbPath, db } = await databaseWithBackup();
    closeDatabase(db);
    const folder = backupsDirFor(dbPath);
    mkdirSync(folder, { recursive: true });
    const old = join(folder, '.foresight-2026-02-01T10-00-00-000Z-pre-restore.db.partial');
    const fresh = join(folder, '.foresight-2026-03-01T09-59-00-000Z.db.partial');
    const restoring = `${dbPath}.restoring`;
    for (const path of [old, fresh, restoring]) writeFileSync(path, Buffer.alloc(4096, 1));
    const longAgo = new Date(NOW.getTime() - 3600_000);
    utimesSync(old, longAgo, longAgo);
    utimesSync(restoring, longAgo, longAgo);
    utimesSync(fresh, NOW, NOW);
    expect(checkDatabaseAtStartup(dbPath, { now: NOW }).status).toBe('ok');
    expect([existsSync(old), existsSync(restoring), existsSync(fresh)]).toEqual([false, false, true]);
  });
});

describe('a zero-length or foreign file', () => {
  it('is not turned into an empty Foresight database by a read command', () => {
    const dir = tempDir();
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    const run = runCli(['status', '--db', empty]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/is empty \(0 bytes\)/);
    expect(statSync(empty).size).toBe(0);
  });

  it('refuses a SQLite file of another program, leaving it unchanged', () => {
    const dir = tempDir();
    const foreign = join(dir, 'other.db');
    const other = new Database(foreign);
    other.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)');
    other.close();
    const before = readFileSync(foreign);
    const run = runCli(['import', join(dir, 'nothing.csv'), '--db', foreign]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/another program/);
    expect(readFileSync(foreign).equals(before)).toBe(true);
  });
});
