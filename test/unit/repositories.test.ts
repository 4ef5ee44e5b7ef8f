import { describe, expect, it } from 'vitest';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';
import { eventsRepo } from '../../src/domain/db/repos/events.ts';
import { metricsRepo } from '../../src/domain/db/repos/metrics.ts';
import { withEventId } from '../../src/domain/contract/event-id.ts';
import type { Db } from '../../src/domain/db/open.ts';
import { sampleAccount, tempDb } from '../support/temp.ts';

const plan = (db: Db, sql: string, params: Record<string, unknown>) =>
  db
    .prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .all(params)
    .map((row) => (row as { detail: string }).detail)
    .join('\n');

describe('accounts repository', () => {
  it('reports written on insert and change, unchanged on an identical upsert', () => {
    const { db } = tempDb();
    const accounts = accountsRepo(db);
    expect(accounts.upsert(sampleAccount())).toBe('written');
    expect(accounts.upsert(sampleAccount())).toBe('unchanged');
    expect(accounts.upsert(sampleAccount({ arr: 15000 }))).toBe('written');
    expect(accounts.get('acc_1')?.arr).toBe(15000);
    expect(accounts.upsert(sampleAccount({ segment: null }))).toBe('written');
    expect(accounts.upsert(sampleAccount({ segment: null }))).toBe('unchanged');
  });

  it('searches by name, id and owner, treating % and _ literally', () => {
    const { db } = tempDb();
    const accounts = accountsRepo(db);
    accounts.upsert(sampleAccount({ account_id: 'acc_1', name: 'Acme 100% Corp', arr: 10 }));
    accounts.upsert(sampleAccount({ account_id: 'acc_2', name: 'Globex', owner_email: 'maya@example.com', arr: 20 }));
    accounts.upsert(sampleAccount({ account_id: 'acc_3', name: 'Initech', arr: 30 }));
    expect(accounts.search('', 0, 10).rows.map((r) => r.account_id)).toEqual(['acc_3', 'acc_2', 'acc_1']);
    expect(accounts.search('100%', 0, 10).rows.map((r) => r.name)).toEqual(['Acme 100% Corp']);
    expect(accounts.search('%', 0, 10).total).toBe(1);
    expect(accounts.search('maya', 0, 10).rows.map((r) => r.account_id)).toEqual(['acc_2']);
    expect(accounts.search('', 1, 1)).toMatchObject({ total: 3, rows: [{ account_id: 'acc_2' }] });
  });
});

describe('hot per-account time-window reads use their index', () => {
  it('metrics window reads the primary key range', () => {
    const { db } = tempDb();
    const detail = plan(
      db,
      'SELECT date, value FROM metrics WHERE account_id = @a AND metric = @m AND contact_id = @c AND date >= @f AND date <= @t',
      { a: 'x', m: 'logins', c: '', f: '2026-01-01', t: '2026-02-01' },
    );
    expect(detail).toMatch(
      /SEARCH metrics USING PRIMARY KEY \(account_id=\? AND metric=\? AND contact_id=\? AND date>\? AND date<\?\)/,
    );
  });

  it('events window uses events_account_time', () => {
    const { db } = tempDb();
    const detail = plan(
      db,
      'SELECT * FROM events WHERE account_id = @a AND occurred_at >= @f AND occurred_at < @t ORDER BY occurred_at DESC',
      {
        a: 'x',
        f: '2026-01-01',
        t: '2026-02-01',
      },
    );
    expect(detail).toMatch(
      /SEARCH events USING INDEX events_account_time \(account_id=\? AND occurred_at>\? AND occurred_at<\?\)/,
    );
    expect(detail).not.toMatch(/TEMP B-TREE/);
  });
});

describe('metrics and events', () => {
  it('deletes child rows with their account', () => {
    const { db } = tempDb();
    accountsRepo(db).upsert(sampleAccount());
    metricsRepo(db).upsert({ account_id: 'acc_1', metric: 'logins', contact_id: '', date: '2026-01-01', value: 3 });
    eventsRepo(db).upsert(
      withEventId({
        event_id: null,
        account_id: 'acc_1',
        occurred_at: '2026-01-01T00:00:00.000Z',
        type: 'csm_touch',
        value: null,
        contact_id: null,
        detail: null,
      }),
    );
    db.prepare("DELETE FROM accounts WHERE account_id = 'acc_1'").run();
    expect(metricsRepo(db).count() + eventsRepo(db).count()).toBe(0);
  });

  it('refuses a metric for an unknown account', () => {
    const { db } = tempDb();
    expect(() =>
      metricsRepo(db).upsert({ account_id: 'ghost', metric: 'logins', contact_id: '', date: '2026-01-01', value: 1 }),
    ).toThrow(/FOREIGN KEY/);
  });

  it('derives the same event id for the same event, and different ids for events that differ in any field', () => {
    const base = {
      event_id: null,
      account_id: 'a',
      occurred_at: '2026-01-01T00:00:00.000Z',
      type: 'payment_failed',
      value: null,
      contact_id: null,
      detail: 'x',
    };
    expect(withEventId(base).event_id).toBe(withEventId({ ...base }).event_id);
    // Two same-second events that differ only in detail are two events (issue 18).
    expect(withEventId(base).event_id).not.toBe(withEventId({ ...base, detail: 'other detail' }).event_id);
    expect(withEventId(base).event_id).not.toBe(withEventId({ ...base, type: 'payment_succeeded' }).event_id);
    expect(withEventId({ ...base, event_id: 'given' }).event_id).toBe('given');
  });
});
