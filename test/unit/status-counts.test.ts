// readStatus keeps its row counts until the data can have changed (src/app/services/status.ts);
// these tests make sure a cached count is never stale, whichever connection wrote.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { readStatus } from '../../src/app/services/status.ts';
import { configureConnection } from '../../src/domain/db/open.ts';
import { sampleAccount, tempDb } from '../support/temp.ts';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';

const at = new Date('2026-06-30T12:00:00Z');

describe('app status counts', () => {
  it('follow writes made on the same connection', () => {
    const { db, path } = tempDb();
    expect(readStatus(db, path, at).counts.accounts).toBe(0);
    accountsRepo(db).upsert(sampleAccount());
    expect(readStatus(db, path, at).counts.accounts).toBe(1);
    db.prepare(
      "INSERT INTO metrics (account_id, metric, contact_id, date, value) VALUES ('acc_1', 'logins', '', '2026-06-01', 1)",
    ).run();
    expect(readStatus(db, path, at).counts.metrics).toBe(1);
    db.prepare('DELETE FROM metrics').run();
    expect(readStatus(db, path, at).counts.metrics).toBe(0);
  });

  it('follow writes committed by another connection, such as a job worker', () => {
    const { db, path } = tempDb();
    expect(readStatus(db, path, at).counts.accounts).toBe(0);
    const other = new Database(path);
    configureConnection(other);
    accountsRepo(other).upsert(sampleAccount({ account_id: 'acc_2' }), true);
    other.close();
    const status = readStatus(db, path, at);
    expect(status.counts.accounts).toBe(1);
    expect(status.demo).toBe(true);
  });
});
