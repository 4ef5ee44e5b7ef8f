/** Prepared statements are built once per connection and reused, by every repository. */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/domain/db/open.ts';
import { perConnection } from '../../src/domain/db/per-connection.ts';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';
import { riskListRepo } from '../../src/domain/risk/list.ts';
import { riskStore } from '../../src/domain/risk/store.ts';
import { tempDb } from '../support/temp.ts';

describe('perConnection', () => {
  it('builds once per connection and again for another connection', () => {
    const { db, path } = tempDb();
    let builds = 0;
    const count = perConnection((c) => {
      builds++;
      return c.prepare<[], { n: number }>('SELECT count(*) AS n FROM accounts');
    });
    expect(count(db)).toBe(count(db));
    expect(builds).toBe(1);
    const other = openDatabase(path).db;
    try {
      expect(count(other)).not.toBe(count(db));
      expect(builds).toBe(2);
      expect(count(other).get()?.n).toBe(0);
    } finally {
      other.close();
    }
  });

  it('keeps the repositories: a second risk.list call prepares nothing', () => {
    const { db } = tempDb();
    expect(riskStore(db)).toBe(riskStore(db));
    expect(riskListRepo(db)).toBe(riskListRepo(db));
    expect(accountsRepo(db)).toBe(accountsRepo(db));
  });
});
