import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withEventId } from '../../src/domain/contract/event-id.ts';
import type { Db } from '../../src/domain/db/open.ts';
import { closeDatabase, openDatabase } from '../../src/domain/db/open.ts';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';
import { contactsRepo } from '../../src/domain/db/repos/contacts.ts';
import { eventsRepo } from '../../src/domain/db/repos/events.ts';
import { META_KEYS, metaRepo } from '../../src/domain/db/repos/meta.ts';
import { metricsRepo } from '../../src/domain/db/repos/metrics.ts';
import { clearDemoBook } from '../../src/domain/demo/clear.ts';
import { generateDemoBook } from '../../src/domain/demo/generate.ts';
import { loadDemoBook } from '../../src/domain/demo/load.ts';

const AS_OF = '2026-03-15';
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});

function freshDb(): Db {
  const dir = mkdtempSync(join(tmpdir(), 'foresight-demo-'));
  const { db } = openDatabase(join(dir, 'foresight.db'), { create: true });
  cleanups.push(() => {
    closeDatabase(db);
    rmSync(dir, { recursive: true, force: true });
  });
  return db;
}

const count = (db: Db, sql: string): number => (db.prepare(sql).pluck().get() as number) ?? 0;

/** A customer's own account with a contact, a metric and an event: the demo must never touch it. */
function addRealAccount(db: Db, accountId = 'cust-001'): void {
  accountsRepo(db).upsert({
    account_id: accountId,
    name: 'Real Customer Ltd',
    owner_email: 'me@company.example',
    segment: 'SMB',
    plan: 'Team',
    arr: 9_000,
    currency: 'USD',
    seats_purchased: 10,
    usage_limit: 1_000,
    renewal_date: '2026-12-01',
    created_at: '2024-01-01',
    lifecycle_stage: 'mature',
    status: 'active',
    churned_at: null,
    timezone: 'UTC',
    locale: 'en-US',
    updated_at: null,
  });
  contactsRepo(db).upsert({
    contact_id: `${accountId}-c1`,
    account_id: accountId,
    name: 'Real Person',
    email: 'real@company.example',
    role: 'Admin',
    is_champion: true,
    active: true,
    last_seen_at: null,
  });
  metricsRepo(db).upsert({ account_id: accountId, date: AS_OF, metric: 'active_users', value: 4, contact_id: '' });
  eventsRepo(db).upsert(
    withEventId({
      event_id: null,
      account_id: accountId,
      occurred_at: '2026-03-01T10:00:00.000Z',
      type: 'csm_touch',
      value: null,
      contact_id: null,
      detail: null,
    }),
  );
}

function addRiskItem(db: Db, accountId: string): void {
  db.prepare(
    `INSERT INTO risk_items (account_id, trigger_id, status, priority, tier, evidence, first_fired_on, last_fired_on, status_changed_at, created_at, updated_at)
     VALUES (?, 'usage_drop', 'open', 2, 'human', 'test', ?, ?, ?, ?, ?)`,
  ).run(accountId, AS_OF, AS_OF, AS_OF, AS_OF, AS_OF);
}

describe('loading the demo book', () => {
  it('writes every generated record, marked as demo, and remembers the seed', () => {
    const db = freshDb();
    addRealAccount(db);
    const progress: [number, number][] = [];
    const result = loadDemoBook(db, {
      accounts: 130,
      seed: 5,
      asOf: AS_OF,
      days: 60,
      batchSize: 50,
      onProgress: (done, total) => progress.push([done, total]),
    });

    let contacts = 0,
      metrics = 0,
      events = 0;
    for (const b of generateDemoBook({ accounts: 130, seed: 5, asOf: AS_OF, days: 60 })) {
      contacts += b.contacts.length;
      metrics += b.metrics.length;
      events += b.events.length;
    }
    expect(result).toMatchObject({
      accounts: 130,
      contacts,
      metrics,
      events,
      replaced: 0,
      seed: 5,
      asOf: AS_OF,
      days: 60,
    });
    expect(progress).toEqual([
      [50, 130],
      [100, 130],
      [130, 130],
    ]);

    expect(count(db, 'SELECT count(*) FROM accounts WHERE is_demo = 1')).toBe(130);
    expect(count(db, 'SELECT count(*) FROM accounts WHERE is_demo = 0')).toBe(1);
    expect(count(db, "SELECT count(*) FROM contacts WHERE account_id <> 'cust-001'")).toBe(contacts);
    expect(count(db, "SELECT count(*) FROM metrics WHERE account_id <> 'cust-001'")).toBe(metrics);
    expect(count(db, "SELECT count(*) FROM events WHERE account_id <> 'cust-001'")).toBe(events);
    expect(metaRepo(db).get(META_KEYS.demoSeed)).toBe('5');

    // What went in is what the generator made, field for field.
    const first = generateDemoBook({ accounts: 130, seed: 5, asOf: AS_OF, days: 60 }).next().value;
    expect(accountsRepo(db).get('acc_00001')).toEqual({ ...first?.account, is_demo: 1 });
    expect(contactsRepo(db).forAccount('acc_00001')).toHaveLength(first?.contacts.length ?? -1);
    expect(metricsRepo(db).window('acc_00001', 'active_users', '2000-01-01', AS_OF)).toEqual(
      first?.metrics
        .filter((m) => m.metric === 'active_users' && m.contact_id === '')
        .map((m) => ({ date: m.date, value: m.value })),
    );
  });

  it('clears exactly the demo accounts and, through the foreign keys, all their rows', () => {
    const db = freshDb();
    addRealAccount(db);
    loadDemoBook(db, { accounts: 80, seed: 9, asOf: AS_OF, days: 45 });
    addRiskItem(db, 'acc_00003');
    addRiskItem(db, 'cust-001');
    expect(count(db, 'SELECT count(*) FROM metrics')).toBeGreaterThan(80 * 45 * 7);

    const progress: [number, number][] = [];
    expect(clearDemoBook(db, { batchSize: 30, onProgress: (done, total) => progress.push([done, total]) })).toBe(80);
    expect(progress).toEqual([
      [30, 80],
      [60, 80],
      [80, 80],
    ]);

    expect(count(db, 'SELECT count(*) FROM accounts')).toBe(1);
    expect(accountsRepo(db).get('cust-001')?.name).toBe('Real Customer Ltd');
    for (const table of ['contacts', 'metrics', 'events', 'risk_items']) {
      expect(count(db, `SELECT count(*) FROM ${table} WHERE account_id <> 'cust-001'`), table).toBe(0);
      expect(count(db, `SELECT count(*) FROM ${table} WHERE account_id = 'cust-001'`), table).toBe(1);
    }
    expect(metaRepo(db).get(META_KEYS.demoSeed)).toBeNull();
    expect(clearDemoBook(db)).toBe(0);
  });

  it('replaces an earlier demo book instead of leaving stale accounts behind', () => {
    const db = freshDb();
    loadDemoBook(db, { accounts: 90, seed: 1, asOf: AS_OF, days: 30 });
    const result = loadDemoBook(db, { accounts: 60, seed: 2, asOf: AS_OF, days: 30 });
    expect(result.replaced).toBe(90);
    expect(count(db, 'SELECT count(*) FROM accounts')).toBe(60);
    expect(db.prepare('SELECT max(account_id) FROM accounts').pluck().get()).toBe('acc_00060');
    expect(metaRepo(db).get(META_KEYS.demoSeed)).toBe('2');
    // Loading the same book twice gives the same database.
    const before = count(db, 'SELECT count(*) FROM metrics');
    loadDemoBook(db, { accounts: 60, seed: 2, asOf: AS_OF, days: 30 });
    expect(count(db, 'SELECT count(*) FROM metrics')).toBe(before);
  });

  it('refuses to overwrite a real account that uses a demo id', () => {
    const db = freshDb();
    addRealAccount(db, 'acc_00003');
    expect(() => loadDemoBook(db, { accounts: 10, seed: 1, asOf: AS_OF, days: 10 })).toThrow(/acc_00003/);
    expect(count(db, 'SELECT count(*) FROM accounts')).toBe(1);
    expect(accountsRepo(db).get('acc_00003')?.is_demo).toBe(0);
    // A smaller book does not need that id.
    expect(loadDemoBook(db, { accounts: 2, seed: 1, asOf: AS_OF, days: 10 }).accounts).toBe(2);
  });
});
