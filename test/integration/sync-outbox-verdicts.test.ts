/**
 * A sync sends each verdict once it is known: the pulled data is evaluated before the outbox is
 * pushed, so an outcome the new data decides reaches the feed in the same sync, not the next one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runFeedJob } from '../../src/app/jobs/sync-jobs.ts';
import { saveSource } from '../../src/domain/feed/sources.ts';
import { logIntervention } from '../../src/domain/interventions/log.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { tempDb } from '../support/temp.ts';
import { accountIdWhere, addAccount, addMetric } from '../unit/interventions-fixtures.ts';

const TOKEN = 'feed-secret-verdicts';
let server: FeedServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('the outbox after a sync', () => {
  it('carries the verdict decided by the data that sync pulled', async () => {
    const { db } = tempDb();
    const accountId = addAccount(db, { account_id: accountIdWhere(false, 'payment_failing', '2026-02-20') });
    addMetric(db, accountId, 'active_users', '2026-02-21', 4);
    const { intervention_id } = logIntervention(
      db,
      { accountId, triggerId: 'payment_failing', channel: 'email', sentAt: '2026-02-20T09:00:00Z' },
      new Date('2026-02-20T10:00:00Z'),
    );
    server = await startFeedServer({
      token: TOKEN,
      data: { events: [{ account_id: accountId, occurred_at: '2026-02-23T09:00:00Z', type: 'payment_succeeded' }] },
    });
    saveSource(
      db,
      { name: 'warehouse', url: server.url, tokenRef: 'env:WAREHOUSE_TOKEN' },
      new Date('2026-03-01T10:00:00Z'),
    );
    await runFeedJob(
      db,
      {
        targets: [{ name: 'warehouse', token: TOKEN, tokenProblem: null }],
        asOf: '2026-03-01',
        startedAt: '2026-03-01T10:00:00.000Z',
      },
      () => {},
    );
    expect(server.posts).toBe(1);
    expect(server.received.get(intervention_id)).toMatchObject({ status: 'succeeded' });
  });
});
