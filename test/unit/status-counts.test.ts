// readStatus keeps its row counts until the data can have changed (src/app/services/status.ts);
// these tests make sure a cached count is never stale, whichever connection wrote.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { readStatus } from '../../src/app/services/status.ts';
import { newestDataOn } from '../../src/domain/risk/rescore.ts';
import { configureConnection } from '../../src/domain/db/open.ts';
import { sampleAccount, tempDb } from '../support/temp.ts';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';
import { eventsRepo } from '../../src/domain/db/repos/events.ts';
import { metricsRepo } from '../../src/domain/db/repos/metrics.ts';

const at = new Date('2026-06-30T12:00:00Z');

describe('app status counts', () => {
  it('follow writes made on the same connection', async () => {
    const { db, path } = tempDb();
    expect((await readStatus(db, path, at, newestDataOn)).counts.accounts).toBe(0);
    accountsRepo(db).upsert(sampleAccount());
    expect((await readStatus(db, path, at, newestDataOn)).counts.accounts).toBe(1);
    db.prepare(
      "INSERT INTO metrics (account_id, metric, contact_id, date, value) VALUES ('acc_1', 'logins', '', '2026-06-01', 1)",
    ).run();
    expect((await readStatus(db, path, at, newestDataOn)).counts.metrics).toBe(1);
    db.prepare('DELETE FROM metrics').run();
    expect((await readStatus(db, path, at, newestDataOn)).counts.metrics).toBe(0);
  });

  it('follow writes committed by another connection, such as a job worker', async () => {
    const { db, path } = tempDb();
    expect((await readStatus(db, path, at, newestDataOn)).counts.accounts).toBe(0);
    const other = new Database(path);
    configureConnection(other);
    accountsRepo(other).upsert(sampleAccount({ account_id: 'acc_2' }), true);
    other.close();
    const status = await readStatus(db, path, at, newestDataOn);
    expect(status.counts.accounts).toBe(1);
    expect(status.demo).toBe(true);
  });

  it('estimate the metric rows of a large book from a sample of accounts, and say so', async () => {
    const { db, path } = tempDb();
    const insert = db.prepare(
      "INSERT INTO metrics (account_id, metric, contact_id, date, value) VALUES (?, 'logins', '', ?, 1)",
    );
    db.transaction(() => {
      for (let a = 0; a < 40; a++) {
        const id = `acc_${String(a).padStart(3, '0')}`;
        accountsRepo(db).upsert(sampleAccount({ account_id: id }));
        // Accounts with 10 or 30 rows alternate, so a sample that missed either kind would be off.
        for (let d = 0; d < (a % 2 === 0 ? 10 : 30); d++) insert.run(id, `2026-05-${String(d + 1).padStart(2, '0')}`);
      }
    })();
    expect(metricsRepo(db).estimate(1000)).toEqual({ n: 800, estimated: false });
    expect(metricsRepo(db).estimate(100, 8)).toEqual({ n: 800, estimated: true });
    // One sampled account (10 rows) puts the book at 400: near a limit of 800, so it is counted
    // exactly; near a limit of 500 and over it, at least the 501 rows the exact count walked.
    expect(metricsRepo(db).estimate(800, 1)).toEqual({ n: 800, estimated: false });
    expect(metricsRepo(db).estimate(500, 1)).toEqual({ n: 501, estimated: true });
    // The app counts exactly; only the one-shot CLI asks for the estimate, which the status names.
    expect((await readStatus(db, path, at, newestDataOn)).countsEstimated).toBeUndefined();
    const small = await readStatus(db, path, at, newestDataOn, { rowCounts: 'estimate' });
    expect(small).toMatchObject({ counts: { metrics: 800 } });
    expect(small.countsEstimated).toBeUndefined();
  });

  it('count the metric rows of a book the size of the demo exactly, as init and the app header do', async () => {
    // QA: status said "about 369,000 (estimated from a sample)" where init said 371,078.
    const { db, path } = tempDb();
    const insert = db.prepare(
      "INSERT INTO metrics (account_id, metric, contact_id, date, value) VALUES (?, ?, '', ?, 1)",
    );
    const start = Date.UTC(2026, 0, 1);
    db.transaction(() => {
      for (let a = 0; a < 20; a++) {
        const id = `acc_${String(a).padStart(3, '0')}`;
        accountsRepo(db).upsert(sampleAccount({ account_id: id }));
        // Uneven accounts, so a sample could not land on the exact figure, and 149,107 rows in
        // all: over the old exact limit of 100,000.
        const metrics = a === 0 ? ['logins'] : ['logins', 'usage'];
        const days = a === 0 ? 907 : 3900;
        for (const metric of metrics)
          for (let d = 0; d < days; d++)
            insert.run(id, metric, new Date(start + d * 86_400_000).toISOString().slice(0, 10));
      }
    })();
    const rows = metricsRepo(db).count();
    expect(rows).toBe(149_107);
    expect(metricsRepo(db).estimate()).toEqual({ n: rows, estimated: false });
    const status = await readStatus(db, path, at, newestDataOn, { rowCounts: 'estimate' });
    expect(status.counts.metrics).toBe(rows);
    expect(status.countsEstimated).toBeUndefined();
  });

  it('estimate the events of a large book from how densely their ids are filled', () => {
    const { db } = tempDb();
    accountsRepo(db).upsert(sampleAccount());
    const insert = db.prepare(
      "INSERT INTO events (event_id, account_id, occurred_at, type) VALUES (?, 'acc_1', '2026-06-01T10:00:00Z', 'csm_touch')",
    );
    db.transaction(() => {
      for (let i = 0; i < 4000; i++) insert.run(`e${i}`);
    })();
    // Every other event deleted: the ids span 4,000, the rows are 2,000.
    db.prepare('DELETE FROM events WHERE rowid % 2 = 0').run();
    expect(eventsRepo(db).estimate(5000)).toEqual({ n: 2000, estimated: false });
    expect(eventsRepo(db).estimate(100, 16, 100)).toEqual({ n: 2000, estimated: true });
    // Ids spanning more than the limit, but a sample near it: counted exactly, as it is under it.
    expect(eventsRepo(db).estimate(2500, 16, 100)).toEqual({ n: 2000, estimated: false });
    // Near the limit and over it: at least the exact floor, flagged as an estimate.
    expect(eventsRepo(db).estimate(1500, 16, 100)).toEqual({ n: 2000, estimated: true });
  });
});
