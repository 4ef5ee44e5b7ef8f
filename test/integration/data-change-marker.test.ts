/**
 * Every path that writes metrics or events moves the book's change marker in the transaction of its
 * rows (QA 5 #1): a feed page and a quarantine re-check as well as a file. A rescore killed after
 * them then leaves the ranked list out of date instead of current on the old data.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { saveSource } from '../../src/domain/feed/sources.ts';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { retryQuarantine } from '../../src/domain/ingest/quarantine.ts';
import { bookFingerprint, recordFingerprint, rescoreOwed } from '../../src/domain/risk/fingerprint.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { syncOnce } from '../support/feed-sync.ts';
import { tempDb, tempDir } from '../support/temp.ts';

const TOKEN = 'feed-secret-marker';
const NOW = new Date('2026-03-01T10:00:00Z');

let servers: FeedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

describe('the change marker', () => {
  it('moves with a quarantine re-check that writes rows, and not with one that writes none', () => {
    const { db } = tempDb();
    const dir = tempDir();
    const events = join(dir, 'events.csv');
    writeFileSync(events, 'event_id,account_id,occurred_at,type\ne1,acc_1,2026-02-10T09:00:00Z,payment_failed\n');
    const accounts = join(dir, 'accounts.csv');
    writeFileSync(accounts, 'account_id,name,arr\nacc_1,One,1000\n');
    importFiles(db, [events]); // quarantined: no such account yet
    importFiles(db, [accounts]);
    // Never scored: nothing is owed (the first list scores the book anyway).
    expect(rescoreOwed(db)).toBe(false);
    recordFingerprint(db);
    expect(rescoreOwed(db)).toBe(false);
    expect(retryQuarantine(db, { now: () => NOW }).accepted.events).toBe(1);
    expect(rescoreOwed(db)).toBe(true);
    recordFingerprint(db);
    retryQuarantine(db, { now: () => NOW });
    expect(rescoreOwed(db)).toBe(false);
  });

  it('moves with a feed page of metrics, and not with a sync that brings nothing new', async () => {
    const data = {
      accounts: [{ account_id: 'acc_1', name: 'One', arr: 1000 }],
      contacts: [],
      metrics: [] as Record<string, unknown>[],
      events: [],
    };
    const server = await startFeedServer({ data, token: TOKEN, pageSize: 2 });
    servers.push(server);
    const { db } = tempDb();
    saveSource(db, { name: 'warehouse', url: server.url, tokenRef: 'env:FORESIGHT_FEED_TOKEN_WAREHOUSE' }, NOW);
    const sync = () => syncOnce(db, 'warehouse', TOKEN, NOW);
    await sync();
    recordFingerprint(db);
    // Metrics only: the accounts table's triggers do not see them.
    server.data.metrics.push({ account_id: 'acc_1', date: '2026-02-01', metric: 'active_users', value: 3 });
    await sync();
    expect(db.prepare('SELECT count(*) FROM metrics').pluck().get()).toBe(1);
    expect(rescoreOwed(db)).toBe(true);
    recordFingerprint(db);
    const before = bookFingerprint(db);
    await sync();
    expect(bookFingerprint(db)).toBe(before);
    expect(rescoreOwed(db)).toBe(false);
  });
});
