import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../src/domain/db/migrate.ts';
import { migrations } from '../../src/domain/db/migrations/index.ts';
import { configureConnection } from '../../src/domain/db/open.ts';
import { tempDir } from '../support/temp.ts';

function atVersion(version: number) {
  const db = new Database(join(tempDir(), 'm.db'));
  configureConnection(db);
  migrate(
    db,
    migrations.filter((m) => m.version <= version),
  );
  return db;
}

describe('migration 3: sync sources, runs and quarantine', () => {
  it('keeps existing rows and adds STRICT sync tables', () => {
    const db = atVersion(2);
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100)").run();
    migrate(
      db,
      migrations.filter((m) => m.version <= 3),
    );
    expect(schemaVersion(db)).toBe(3);
    expect(db.prepare('SELECT name FROM accounts').pluck().all()).toEqual(['Acme']);
    const tables = db
      .prepare<[], { name: string; strict: number }>(
        "SELECT name, strict FROM pragma_table_list WHERE name IN ('sync_sources', 'sync_cursors', 'sync_outbox', 'sync_runs', 'quarantine')",
      )
      .all();
    expect(tables.map((t) => t.name).sort()).toEqual([
      'quarantine',
      'sync_cursors',
      'sync_outbox',
      'sync_runs',
      'sync_sources',
    ]);
    expect(tables.every((t) => t.strict === 1)).toBe(true);
  });

  it('refuses a stored token: a token reference must say where the token lives', () => {
    const db = atVersion(3);
    const insert = db.prepare(
      "INSERT INTO sync_sources (name, url, token_ref, created_at) VALUES (?, 'https://x', ?, 'now')",
    );
    insert.run('a', 'env:FEED_TOKEN');
    insert.run('b', 'secret:feed-token:b');
    insert.run('c', null);
    expect(() => insert.run('d', 'sk_live_123456')).toThrow(/CHECK/);
  });

  it('keeps one quarantine entry per raw row and kind, and drops cursors with their source', () => {
    const db = atVersion(3);
    const entry = db.prepare(
      "INSERT INTO quarantine (kind, origin, reason, raw_hash, created_at) VALUES ('accounts', 'f.csv', 'r', ?, 'now')",
    );
    entry.run('h1');
    expect(() => entry.run('h1')).toThrow(/UNIQUE/);
    db.prepare("INSERT INTO sync_sources (name, url, created_at) VALUES ('s', 'https://x', 'now')").run();
    db.prepare(
      "INSERT INTO sync_cursors (source, kind, cursor, updated_at) VALUES ('s', 'accounts', 'c', 'now')",
    ).run();
    db.prepare("DELETE FROM sync_sources WHERE name = 's'").run();
    expect(db.prepare('SELECT count(*) FROM sync_cursors').pluck().get()).toBe(0);
  });
});
