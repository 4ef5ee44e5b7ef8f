/**
 * A first pull cut off part-way is not the book (docs/sync.md): nothing scores it, not the sync
 * that stopped, nor the next `risks`, nor an import meanwhile, until a sync completes it (QA 5 #2:
 * the next `risks` banded 8 accounts green from a tenth of their rows and opened a risk item).
 */
import { afterEach, describe, expect, it } from 'vitest';
import '../../src/app/jobs/risk.ts';
import { closeDatabase, openDatabase } from '../../src/domain/db/open.ts';
import { incompleteFirstPulls } from '../../src/domain/feed/first-pull.ts';
import { removeSource, saveSource } from '../../src/domain/feed/sources.ts';
import { rescoreAfterChange, scoreBook } from '../../src/domain/risk/rescore.ts';
import { runCli } from '../support/cli.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { syncOnce } from '../support/feed-sync.ts';
import { tempDb } from '../support/temp.ts';

const TOKEN = 'feed-secret-first-pull';
const NOW = new Date('2026-03-01T10:00:00Z');
const AS_OF = '2026-03-01';

let servers: FeedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const data = () => ({
  accounts: [1, 2, 3].map((i) => ({ account_id: `acc_${i}`, name: `Account ${i}`, arr: i * 1000 })),
  contacts: [],
  metrics: [1, 2, 3].flatMap((i) =>
    [1, 2, 3, 4].map((d) => ({ account_id: `acc_${i}`, date: `2026-02-0${d}`, metric: 'active_users', value: 5 })),
  ),
  events: [{ account_id: 'acc_1', occurred_at: '2026-02-20T09:00:00Z', type: 'payment_failed' }],
});

describe('a first pull cut off part-way', () => {
  it('is scored by nothing until a sync completes it', async () => {
    const server = await startFeedServer({ data: data(), token: TOKEN, pageSize: 2 });
    servers.push(server);
    const { db, path } = tempDb();
    saveSource(db, { name: 'warehouse', url: server.url, tokenRef: 'env:FORESIGHT_FEED_TOKEN_WAREHOUSE' }, NOW);
    server.faults.push({ kind: 'events', hangUp: true, times: 99 });
    const cut = await syncOnce(db, 'warehouse', TOKEN, NOW);
    expect(cut.report.pullComplete).toBe(false);
    expect(db.prepare('SELECT count(*) FROM metrics').pluck().get()).toBe(12);
    expect(incompleteFirstPulls(db)).toEqual([{ source: 'warehouse', pages: 9 }]);

    expect(() => scoreBook(db, { asOf: AS_OF })).toThrow(/first pull of warehouse \(9 pages kept\) is not complete/);
    expect(rescoreAfterChange(db, { accountIds: ['acc_1'], asOf: AS_OF })).toBeNull();
    closeDatabase(db);
    const risks = runCli(['risks', '--db', path, '--as-of', AS_OF]);
    expect(risks.stderr).toContain('The first pull of warehouse (9 pages kept) is not complete');
    expect(risks.code).not.toBe(0);

    const again = openDatabase(path).db;
    server.faults.length = 0;
    expect((await syncOnce(again, 'warehouse', TOKEN, NOW)).report.pullComplete).toBe(true);
    expect(incompleteFirstPulls(again)).toEqual([]);
    expect(scoreBook(again, { asOf: AS_OF }).scope).toBe('full');
    closeDatabase(again);
  });

  it('is forgotten with its source', async () => {
    const { db } = tempDb();
    saveSource(db, { name: 'warehouse', url: 'http://127.0.0.1:9/', tokenRef: null }, NOW);
    db.prepare("INSERT INTO app_meta (key, value) VALUES ('feed.first_pull_open:warehouse', '3')").run();
    removeSource(db, 'warehouse');
    expect(incompleteFirstPulls(db)).toEqual([]);
  });
});
