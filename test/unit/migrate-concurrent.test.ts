/**
 * Two processes opening a book that needs an upgrade at the same moment (the app starting while a
 * cron `digest` runs): the second waits for the first and then finds nothing to do, and keeps no
 * second copy (QA 5 #9). A copy cut off part-way is removed at the next start, and only the newest
 * few copies are kept (QA 5 #10, #11).
 */
import Database from 'better-sqlite3';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../src/domain/db/migrate.ts';
import type { Migration } from '../../src/domain/db/migration.ts';
import {
  preMigrationCopies,
  prunePreMigrationCopies,
  removeUnfinishedCopies,
} from '../../src/domain/db/pre-migration-copies.ts';
import { tempDir } from '../support/temp.ts';

const list: Migration[] = [
  { version: 1, name: 'one', up: (db) => db.exec('CREATE TABLE t (x)') },
  { version: 2, name: 'two', up: (db) => db.exec('CREATE TABLE u (y)') },
];

describe('two processes migrating one book', () => {
  it('the second waits, finds the work done, and keeps no copy of its own', () => {
    const dir = tempDir();
    const path = join(dir, 'b.db');
    const first = new Database(path);
    migrate(first, list.slice(0, 1));
    first.prepare('INSERT INTO t VALUES (1)').run();
    const second = new Database(path);
    let firstCopy: string | null = null;
    const report = migrate(second, list, {
      // The second has read the version (1) and is about to copy; the first migrates meanwhile.
      backupPath: (from) => {
        firstCopy = migrate(first, list, { backupPath: (v) => `${path}.pre-v${v + 1}-1.bak` }).backupPath;
        return `${path}.pre-v${from + 1}-2.bak`;
      },
    });
    expect(report).toEqual({ from: 2, to: 2, backupPath: null });
    expect(schemaVersion(second)).toBe(2);
    expect(firstCopy).toBe(`${path}.pre-v2-1.bak`);
    expect(readdirSync(dir).filter((name) => name.includes('.pre-v'))).toEqual(['b.db.pre-v2-1.bak']);
    first.close();
    second.close();
  });
});

describe('pre-migration copies', () => {
  it('removes a copy cut off part-way, and keeps the newest three whole ones', () => {
    const dir = tempDir();
    const book = join(dir, 'b.db');
    writeFileSync(book, '');
    // An earlier release's copy killed while written (its journal is still there), a temporary
    // copy of a process that is gone, and five whole copies.
    writeFileSync(`${book}.pre-v26-100.bak`, 'x');
    writeFileSync(`${book}.pre-v26-100.bak-journal`, 'x');
    writeFileSync(`${book}.pre-v26-101.bak.999999999.partial`, 'x');
    writeFileSync(`${book}.pre-v26-102.bak.${process.pid}.partial`, 'x');
    for (const ms of [200, 300, 400, 500, 600]) writeFileSync(`${book}.pre-v${ms / 100 + 20}-${ms}.bak`, 'x');
    expect(removeUnfinishedCopies(book).sort()).toEqual([
      'b.db.pre-v26-100.bak',
      'b.db.pre-v26-100.bak-journal',
      'b.db.pre-v26-101.bak.999999999.partial',
    ]);
    // A copy still being written by a live process is left alone.
    expect(existsSync(`${book}.pre-v26-102.bak.${process.pid}.partial`)).toBe(true);
    expect(preMigrationCopies(book).map((c) => c.version)).toEqual([25, 24, 23, 22, 21]);
    expect(prunePreMigrationCopies(book)).toHaveLength(2);
    expect(preMigrationCopies(book).map((c) => c.takenAt.getTime())).toEqual([600, 500, 400]);
  });
});
