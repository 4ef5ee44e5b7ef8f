import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../src/domain/db/migrate.ts';
import { migrations } from '../../src/domain/db/migrations/index.ts';
import { configureConnection } from '../../src/domain/db/open.ts';
import { tempDir } from '../support/temp.ts';

describe('migration 10: data age and per-account history', () => {
  const upTo = (version: number) => migrations.filter((m) => m.version <= version);

  it('keeps stored snapshots (not stale, age unknown) and adds the coverage table', () => {
    const db = new Database(join(tempDir(), 'raw.db'));
    configureConnection(db);
    migrate(db, upTo(9));
    db.prepare("INSERT INTO accounts (account_id, name, arr) VALUES ('acc_1', 'Acme', 100)").run();
    db.prepare(
      `INSERT INTO risk_snapshots (as_of, account_id, score, band, trend, p_churn, urgency, arr_usd, expected_arr_at_risk, ear_usd, score_key, config_version)
       VALUES ('2026-03-31', 'acc_1', 80, 'green', 'flat', 0.04, 1, 100, 4, 4, 80, 1)`,
    ).run();
    migrate(db, upTo(10));
    expect(schemaVersion(db)).toBe(10);
    expect(db.prepare('SELECT band, data_through, stale FROM risk_snapshots').get()).toEqual({
      band: 'green',
      data_through: null,
      stale: 0,
    });
    const cover = db.prepare(
      'INSERT INTO risk_history_coverage (account_id, config_version, from_day, through_day) VALUES (?, 1, ?, ?)',
    );
    cover.run('acc_1', '2026-01-01', '2026-03-31');
    expect(() => cover.run('acc_2', '2026-01-01', '2026-03-31')).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("UPDATE risk_history_coverage SET from_day = '2026-04-02'").run()).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE risk_snapshots SET stale = 2').run()).toThrow(/CHECK/);
    db.prepare("DELETE FROM accounts WHERE account_id = 'acc_1'").run();
    expect(db.prepare('SELECT count(*) FROM risk_history_coverage').pluck().get()).toBe(0);
  });
});
