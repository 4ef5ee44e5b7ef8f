/** Prepared statements are built once per connection and reused, by every repository. */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/domain/db/open.ts';
import { onFirstUse, perConnection } from '../../src/domain/db/per-connection.ts';
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

  it('prepares an onFirstUse statement on its first use only, once', () => {
    const { db } = tempDb();
    let prepared = 0;
    const count = onFirstUse(() => {
      prepared++;
      return db.prepare<[], number>('SELECT count(*) FROM accounts').pluck();
    });
    expect(prepared).toBe(0);
    expect(count().get()).toBe(0);
    expect(count()).toBe(count());
    expect(prepared).toBe(1);
  });

  it("the risk store's writes work though prepared late", () => {
    const { db } = tempDb();
    db.prepare("INSERT INTO accounts (account_id, name, arr, currency) VALUES ('a1', 'A', 10, 'USD')").run();
    const row = {
      account_id: 'a1',
      as_of: '2026-03-31',
      score: 70,
      band: 'green' as const,
      components: '{}',
      config_version: 0,
    };
    expect(riskStore(db).upsertScore(row)).toBe(true);
    expect(riskStore(db).upsertScore(row)).toBe(false);
    expect(
      riskStore(db).upsertScores(
        Array.from({ length: 101 }, (_, i) => ({
          ...row,
          as_of: `2026-01-${String((i % 28) + 1).padStart(2, '0')}`,
          score: i,
        })),
      ),
    ).toBeGreaterThan(0);
    expect(riskStore(db).history('a1', '2026-01-01', '2026-12-31').length).toBe(29);
  });
});
