import Database from 'better-sqlite3';
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../src/domain/db/open.ts';
import { createBackup } from '../../src/domain/safety/backup.ts';
import { runCli } from '../support/cli.ts';
import { sampleAccount, tempDir } from '../support/temp.ts';

/** A database with `accounts` rows, made in-process: only the commands under test are spawned. */
async function makeDb(dir: string, accounts: number, backupTo?: string): Promise<string> {
  const path = join(dir, 'f.db');
  const { db } = openDatabase(path, { create: true });
  const insert = db.prepare('INSERT INTO accounts (account_id, name, arr, currency, status) VALUES (?, ?, 1000, ?, ?)');
  for (let i = 0; i < accounts; i++) insert.run(`acc_${i}`, sampleAccount().name, 'USD', 'active');
  if (backupTo) await createBackup(db, { dbPath: path, now: new Date(), out: backupTo });
  closeDatabase(db);
  return path;
}

const count = (path: string) => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM accounts').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('foresight backup / restore', () => {
  it('backs up, lists, restores, and keeps what it replaced', async () => {
    const dir = tempDir();
    const db = await makeDb(dir, 15);

    const out = join(dir, 'copy.db');
    const backup = runCli(['backup', '--db', db, '--out', out, '--json']);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.json()).toMatchObject({ path: out, verified: true, kind: 'export' });
    expect(runCli(['backup', '--db', db, '--out', out]).code).toBe(1);

    const inFolder = runCli(['backup', '--db', db, '--json']);
    expect(inFolder.code).toBe(0);
    const listed = runCli(['backup', '--list', '--db', db, '--json']).json<{ backups: { kind: string }[] }>();
    expect(listed.backups.map((b) => b.kind)).toEqual(['manual']);

    // Change the data, then restore the copy.
    const live = new Database(db);
    live.exec('DELETE FROM accounts');
    live.close();
    expect(count(db)).toBe(0);
    const restore = runCli(['restore', out, '--db', db, '--json']);
    expect(restore.code, restore.stderr).toBe(0);
    const report = restore.json<{ message: string; keptAt: string }>();
    expect(report.message).toMatch(/^Restored the backup taken \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\./);
    expect(count(db)).toBe(15);
    expect(count(report.keptAt)).toBe(0);
  });

  it('restores over a database too damaged to open, keeping the damaged file', async () => {
    const dir = tempDir();
    const out = join(dir, 'copy.db');
    const db = await makeDb(dir, 5, out);
    const fd = openSync(db, 'r+');
    writeSync(fd, Buffer.alloc(100, 0x41), 0, 100, 0);
    closeSync(fd);
    const restore = runCli(['restore', out, '--db', db]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toMatch(/damaged database it replaced is kept at .*f\.db\.damaged-/);
    expect(count(db)).toBe(5);
  });

  it('refuses a file that is not a backup, with one sentence and exit code 1', async () => {
    const dir = tempDir();
    const db = await makeDb(dir, 0);
    const result = runCli(['restore', join(dir, 'nope.db'), '--db', db]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`There is no file at ${join(dir, 'nope.db')}.\n`);
  });
});
