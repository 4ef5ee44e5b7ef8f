/**
 * Protocol 1.1 against the reference feed server acting as a team hub (test/support/feed-server.ts):
 * two laptops share one hub; a snooze, a call and an intervention on one reach the other after a
 * sync; nothing comes back twice; a plain feed takes activities or says 404 once; and a sync cut
 * off mid-push or mid-pull resumes with nothing duplicated on either side.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runFeedJob } from '../../src/app/jobs/sync-jobs.ts';
import { pushedInterventionsText, stoppedText } from '../../src/shared/dto/sync.ts';
import { addActivity } from '../../src/domain/activities/activities.ts';
import type { Db } from '../../src/domain/db/open.ts';
import { META_KEYS, metaRepo } from '../../src/domain/db/repos/meta.ts';
import { feedRepo } from '../../src/domain/feed/repo.ts';
import { resolveRefusal } from '../../src/domain/feed/refused-outbox.ts';
import { saveSource, toSourceView } from '../../src/domain/feed/sources.ts';
import { syncSource } from '../../src/domain/feed/sync-source.ts';
import { loadOutcomeFacts } from '../../src/domain/interventions/facts.ts';
import { logIntervention } from '../../src/domain/interventions/log.ts';
import { snoozedByColleague } from '../../src/domain/item-actions/merge.ts';
import { accountIdSet } from '../../src/domain/ingest/counts.ts';
import { itemsRepo, snoozeItem } from '../../src/domain/risk/items.ts';
import { startFeedServer, type FeedServer } from '../support/feed-server.ts';
import { tempDb } from '../support/temp.ts';

const NOW = new Date('2026-03-10T10:00:00Z');
const DANA = 'dana-token-1234';
const LEE = 'lee-token-5678';
const ACCOUNTS = [1, 2].map((i) => ({
  account_id: `acc_${i}`,
  name: `Account ${i}`,
  arr: i * 1000,
  owner_email: 'dana@example.com',
  renewal_date: '2027-01-01',
}));

let servers: FeedServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function hub(pageSize = 100) {
  const server = await startFeedServer({
    data: { accounts: structuredClone(ACCOUNTS) },
    token: DANA,
    tokens: { [LEE]: { email: 'lee@example.com', role: 'csm' } },
    hub: { user: { email: 'dana@example.com', role: 'csm' } },
    pageSize,
  });
  servers.push(server);
  return server;
}

/** A hub whose book has usage, so a sync that brings it in scores the book. */
async function hubWithUsage(pageSize = 100) {
  const metrics = ['acc_1', 'acc_2'].map((id) => ({
    account_id: id,
    date: '2026-03-09',
    metric: 'active_users',
    value: 5,
  }));
  const server = await startFeedServer({
    data: { accounts: structuredClone(ACCOUNTS), metrics },
    token: DANA,
    hub: { user: { email: 'dana@example.com', role: 'csm' } },
    pageSize,
  });
  servers.push(server);
  return server;
}

function laptop(url: string, me: string): Db {
  const { db } = tempDb();
  metaRepo(db).set(META_KEYS.ownerIdentity, me);
  saveSource(db, { name: 'team', url, tokenRef: 'env:FORESIGHT_FEED_TOKEN_TEAM' }, NOW);
  return db;
}

function sync(db: Db, token: string, now = NOW) {
  return syncSource(db, feedRepo(db).get('team')!, {
    token,
    now: () => now,
    changed: accountIdSet(),
    retry: { baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 2_000, maxAttempts: 2 },
    http: { sleep: async () => {} },
    pageSize: 1,
  });
}

/** The item the engine would have opened on each laptop for acc_1's usage drop (or, held out, a control). */
function openItem(db: Db, isControl: 0 | 1 = 0): number {
  const at = '2026-03-10T06:00:00.000Z';
  return itemsRepo(db).open(
    {
      account_id: 'acc_1',
      trigger_id: 'usage_drop',
      priority: 2,
      tier: 'human',
      evidence: 'Usage fell',
      facts_json: '{}',
      is_control: isControl,
      first_fired_on: '2026-03-10',
      last_fired_on: '2026-03-10',
      status_changed_at: at,
      created_at: at,
      updated_at: at,
    },
    'Fired',
  );
}

const count = (db: Db, sql: string) => db.prepare(sql).pluck().get() as number;

/** Dana snoozes, calls and logs an intervention on acc_1. */
function danaWorks(db: Db, itemId: number) {
  snoozeItem(db, itemId, {
    until: '2026-05-20',
    reason: 'Waiting for budget',
    asOf: '2026-03-10',
    now: '2026-03-10T09:00:00.000Z',
  });
  addActivity(
    db,
    { accountId: 'acc_1', type: 'call', summary: 'Talked budgets', authorEmail: 'dana@example.com' },
    NOW,
  );
  return logIntervention(db, { accountId: 'acc_1', triggerId: 'usage_drop', channel: 'email', force: true }, NOW);
}

describe('a team hub', () => {
  it('carries a snooze, a call and an intervention from one laptop to the other, once', async () => {
    const server = await hub();
    const dana = laptop(server.url, 'dana@example.com');
    const lee = laptop(server.url, 'lee@example.com');
    await sync(dana, DANA);
    await sync(lee, LEE);
    const danaItem = openItem(dana);
    const leeItem = openItem(lee);
    const intervention = danaWorks(dana, danaItem);

    const pushed = await sync(dana, DANA);
    expect(pushed.report.status).toBe('ok');
    expect(pushed.report.team).toMatchObject({
      protocol: '1.1',
      user: { email: 'dana@example.com', role: 'csm' },
      pushed: { interventions: 1, activities: 1, item_actions: 1 },
    });
    expect([...server.receivedLogs.item_actions.values()]).toEqual([
      expect.objectContaining({ action: 'snooze', snooze_until: '2026-05-20', actor_email: 'dana@example.com' }),
    ]);

    const pulled = await sync(lee, LEE);
    expect(pulled.report.team).toMatchObject({
      user: { email: 'lee@example.com', role: 'csm' },
      pulled: { item_actions: 1, interventions: 1, activities: 1 },
    });
    // Lee's item is snoozed by Dana; Dana's call is a touch on Lee's laptop; her intervention counts in Lee's outcomes.
    const item = itemsRepo(lee).get(leeItem)!;
    expect(item).toMatchObject({ status: 'open', snoozed_until: '2026-05-20', snooze_reason: 'Waiting for budget' });
    expect(snoozedByColleague(lee, item)).toBe('dana@example.com');
    expect(lee.prepare("SELECT author_email, origin FROM activities WHERE account_id = 'acc_1'").all()).toEqual([
      { author_email: 'dana@example.com', origin: 'team' },
    ]);
    expect(count(lee, "SELECT count(*) FROM events WHERE type = 'csm_touch' AND account_id = 'acc_1'")).toBe(1);
    const facts = loadOutcomeFacts(lee, { asOf: '2026-03-10' }).filter((f) => f.cohort === 'treated');
    expect(facts.map((f) => [f.record_id, f.source])).toEqual([[intervention.intervention_id, 'imported']]);
    expect(toSourceView(lee, feedRepo(lee).get('team')!).team).toMatchObject({
      protocol: '1.1',
      user: { email: 'lee@example.com', role: 'csm' },
      last: { pulled: { item_actions: 1, interventions: 1, activities: 1 } },
    });

    // Dana pulls her own work back from the hub: nothing is new, nothing doubles.
    const again = await sync(dana, DANA);
    expect(again.report.team).toMatchObject({
      pulled: { item_actions: 0, interventions: 0, activities: 0 },
      pushed: { interventions: 0, activities: 0, item_actions: 0 },
    });
    expect(count(dana, 'SELECT count(*) FROM activities')).toBe(1);
    expect(count(dana, 'SELECT count(*) FROM imported_outcomes')).toBe(0);
    expect(count(dana, 'SELECT count(*) FROM item_actions')).toBe(1);
    // And Lee's second sync brings nothing new either.
    const quiet = await sync(lee, LEE);
    expect(quiet.report.team?.pulled).toEqual({ item_actions: 0, interventions: 0, activities: 0 });

    // Lee reopens later: Dana's laptop follows the later action.
    const { unsnoozeItem } = await import('../../src/domain/risk/items.ts');
    unsnoozeItem(lee, leeItem, '2026-03-10T11:00:00.000Z');
    await sync(lee, LEE);
    await sync(dana, DANA);
    expect(itemsRepo(dana).get(danaItem)).toMatchObject({ snoozed_until: null, status: 'open' });
  });

  it('resumes a push whose answer was lost and a pull cut off mid-way, with nothing duplicated', async () => {
    const server = await hub(1);
    const dana = laptop(server.url, 'dana@example.com');
    const lee = laptop(server.url, 'lee@example.com');
    await sync(dana, DANA);
    await sync(lee, LEE);
    const danaItem = openItem(dana);
    openItem(lee);
    danaWorks(dana, danaItem);
    addActivity(dana, { accountId: 'acc_2', type: 'meeting', summary: 'QBR' }, NOW);

    // The hub stores the activities but its answer never arrives (every attempt): the sync fails.
    server.faults.push({ kind: 'activities', method: 'POST', loseAnswer: true, times: 2 });
    const cut = await sync(dana, DANA);
    expect(cut.report.status).toBe('offline');
    expect(server.receivedLogs.activities.size).toBe(2);
    const retried = await sync(dana, DANA);
    expect(retried.report.status).toBe('ok');
    expect(retried.report.team?.pushed).toMatchObject({ activities: 2, item_actions: 1 });
    expect(server.logs.activities).toHaveLength(2);

    // Lee's pull of activities (a page per item) is cut after the first page.
    server.faults.push({ kind: 'activities', method: 'GET', hangUp: true, times: 2 });
    const first = await sync(lee, LEE);
    expect(first.report.status).toBe('offline');
    const second = await sync(lee, LEE);
    expect(second.report.status).toBe('ok');
    expect(count(lee, 'SELECT count(*) FROM activities')).toBe(2);
    expect(count(lee, "SELECT count(*) FROM events WHERE type = 'csm_touch'")).toBe(2);
    expect(count(lee, 'SELECT count(*) FROM item_actions')).toBe(1);
    expect(count(lee, 'SELECT count(*) FROM imported_outcomes')).toBe(1);
  });

  it('reports an item the hub refuses (422) with its sentence, and sends everything else', async () => {
    const server = await hub();
    const dana = laptop(server.url, 'dana@example.com');
    await sync(dana, DANA);
    const itemId = openItem(dana);
    danaWorks(dana, itemId);
    addActivity(dana, { accountId: 'acc_2', type: 'note', summary: 'Second' }, NOW);
    // The batch of two is refused, then each alone: the first one again, the second taken.
    server.faults.push({ kind: 'activities', method: 'POST', status: 422, times: 2 });
    const refused = await sync(dana, DANA);
    expect(refused.report.status).toBe('error');
    expect(refused.report.message).toBe('the feed answered 422 for sending activities: injected 422');
    expect(refused.report.team?.pushed).toMatchObject({ activities: 1, item_actions: 1 });
    expect(server.receivedLogs.activities.size).toBe(1);
    // The refused one is not offered again: the next sync is clean.
    const next = await sync(dana, DANA);
    expect(next.report.status).toBe('ok');
    expect(next.report.team?.pushed).toMatchObject({ activities: 0, item_actions: 0 });
  });

  it('keeps an intervention the hub refuses on its own, with its reason, and sends the rest (a cover that ended)', async () => {
    const server = await hub();
    const dana = laptop(server.url, 'dana@example.com');
    await sync(dana, DANA);
    const log = (accountId: string) =>
      logIntervention(dana, { accountId, triggerId: 'usage_drop', channel: 'email', force: true }, NOW);
    const first = log('acc_1');
    const second = log('acc_2');
    // The batch of two is refused, then the first alone (as the hub refuses an account outside the book).
    server.faults.push({ kind: 'interventions', method: 'POST', status: 422, times: 2 });
    const outcome = await sync(dana, DANA);
    expect(outcome.report).toMatchObject({ status: 'ok', message: null, pushed: 1, pendingOutbox: 0 });
    const refused = [first, second].find((i) => !server.received.has(i.intervention_id))!;
    expect(server.received.size).toBe(1);
    const expected = {
      id: refused.intervention_id,
      cohort: 'treated',
      accountId: refused.account_id,
      reason: 'injected 422',
    };
    expect(outcome.report.refused).toEqual([expect.objectContaining(expected)]);
    // It stays here, shown on the source, and is not offered again: the next sync is clean.
    expect(toSourceView(dana, feedRepo(dana).get('team')!).refused).toEqual([expect.objectContaining(expected)]);
    const next = await sync(dana, DANA);
    expect(next.report).toMatchObject({ status: 'ok', pushed: 0, pendingOutbox: 0, refused: [] });
    expect(count(dana, 'SELECT count(*) FROM interventions')).toBe(2);
    // Discarding it deletes it from this book and clears the notice.
    resolveRefusal(dana, 'team', refused.intervention_id, 'discard');
    expect(count(dana, 'SELECT count(*) FROM interventions')).toBe(1);
    expect(toSourceView(dana, feedRepo(dana).get('team')!).refused).toEqual([]);
  });

  it('refuses nothing silently: a malformed action is counted as rejected with its item number', async () => {
    const server = await hub();
    server.logs.item_actions.push(
      {
        action_id: 'act_ok',
        account_id: 'acc_1',
        trigger_id: 'usage_drop',
        action: 'dismiss',
        at: '2026-03-10T12:00:00Z',
        actor_email: 'x@example.com',
      },
      {
        action_id: 'act_bad',
        account_id: 'acc_1',
        trigger_id: 'usage_drop',
        action: 'snooze',
        at: '2026-03-10T12:00:00Z',
      },
    );
    const lee = laptop(server.url, 'lee@example.com');
    const outcome = await sync(lee, LEE);
    expect(outcome.report.team?.pulled.item_actions).toBe(1);
    expect(outcome.counts.rejected).toBe(1);
    // Pages of one item: the bad one is item 1 of the page after the first cursor.
    expect(outcome.counts.errors.at(-1)).toMatchObject({
      file: expect.stringMatching(/^feed:team\/v1\/item_actions\?cursor=.+/),
      field: 'snooze_until',
      message: expect.stringMatching(/^item 1, snooze_until: a snooze needs a date/),
    });
  });
});

describe('a plain feed and activities', () => {
  it('sends activities to a feed that takes them, and asks a feed that does not only once', async () => {
    const taker = await startFeedServer({
      data: { accounts: structuredClone(ACCOUNTS) },
      token: DANA,
      acceptsActivities: true,
    });
    const plain = await startFeedServer({ data: { accounts: structuredClone(ACCOUNTS) }, token: DANA });
    servers.push(taker, plain);
    for (const server of [taker, plain]) {
      const db = laptop(server.url, 'dana@example.com');
      await sync(db, DANA);
      addActivity(db, { accountId: 'acc_1', type: 'call', summary: 'Called' }, NOW);
      const first = await sync(db, DANA);
      expect(first.report.status).toBe('ok');
      await sync(db, DANA);
      const posts = server.requests.filter((r) => r.method === 'POST' && r.kind === 'activities');
      if (server === taker) {
        expect(first.report.team?.pushed.activities).toBe(1);
        expect(posts.map((r) => r.status)).toEqual([200]);
        expect(toSourceView(db, feedRepo(db).get('team')!).team?.takesActivities).toBe(true);
      } else {
        expect(first.report.team?.pushed.activities).toBe(0);
        expect(posts.map((r) => r.status)).toEqual([404]);
        expect(toSourceView(db, feedRepo(db).get('team')!).team).toMatchObject({
          protocol: null,
          takesActivities: false,
        });
      }
    }
  });
});

describe('the sync job against a team hub', () => {
  it('counts the control-group episodes it sends apart from the interventions, and says so', async () => {
    const server = await hub();
    const db = laptop(server.url, 'dana@example.com');
    await sync(db, DANA);
    const itemId = openItem(db, 1);
    db.prepare(
      `INSERT INTO control_outcomes (item_id, record_id, account_id, trigger_id, start_on, status, evidence, evaluated_on, updated_at)
       VALUES (?, 'control:acc_1:usage_drop:2026-03-10', 'acc_1', 'usage_drop', '2026-03-10', 'failed', 'No recovery', '2026-03-10', ?)`,
    ).run(itemId, NOW.toISOString());
    logIntervention(db, { accountId: 'acc_2', triggerId: 'usage_drop', channel: 'email', force: true }, NOW);
    const { report } = await sync(db, DANA);
    expect(report.team).toMatchObject({ pushed: { interventions: 2 }, pushedControl: 1 });
    const last = toSourceView(db, feedRepo(db).get('team')!).team!.last!;
    expect(pushedInterventionsText(last)).toBe(
      '2 interventions (1 of them a control-group episode, accounts left alone for comparison)',
    );
  });

  it('keeps a first pull cut off part-way, says so, and scores the book only once a sync completes it', async () => {
    const server = await hubWithUsage(1);
    const db = laptop(server.url, 'dana@example.com');
    const job = (at: Date) =>
      runFeedJob(
        db,
        {
          targets: [{ name: 'team', token: DANA, tokenProblem: null }],
          asOf: '2026-03-10',
          startedAt: at.toISOString(),
          retry: { baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 500, maxAttempts: 1 },
        },
        () => {},
      );
    const scored = () => count(db, 'SELECT count(*) FROM risk_snapshots');
    // The hub stops answering after the accounts and usage, as when it is stopped during a first pull.
    server.faults.push({ kind: 'events', hangUp: true, times: 99 });
    const cut = await job(NOW);
    const [report] = cut.sources;
    expect(report).toMatchObject({ status: 'offline', firstPull: true, pullComplete: false });
    expect(report!.pages).toBeGreaterThan(0);
    expect(cut.accepted.accounts).toBe(2);
    expect(stoppedText(report!)).toMatch(
      /^What arrived before it stopped \(\d+ pages\) is kept, and the next sync resumes from there\. This was the first pull .* nothing was scored from it yet/,
    );
    expect(cut.ranking ?? null).toBeNull();
    expect(scored()).toBe(0);

    server.faults.length = 0;
    const whole = await job(new Date(NOW.getTime() + 60_000));
    expect(whole.sources[0]).toMatchObject({ status: 'ok', firstPull: true, pullComplete: true });
    // The accounts came in the cut pull, not this one: the book is scored whole all the same.
    expect(whole.accepted.accounts).toBe(0);
    expect(scored()).toBe(2);
  });

  it('scores a first pull that read every kind to its end even when a later step fails', async () => {
    const server = await hubWithUsage();
    const db = laptop(server.url, 'dana@example.com');
    server.faults.push({ kind: 'capabilities', status: 500, times: 99 });
    const result = await runFeedJob(
      db,
      {
        targets: [{ name: 'team', token: DANA, tokenProblem: null }],
        asOf: '2026-03-10',
        startedAt: NOW.toISOString(),
        retry: { baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 500, maxAttempts: 1 },
      },
      () => {},
    );
    expect(result.sources[0]).toMatchObject({ status: 'error', firstPull: true, pullComplete: true });
    expect(stoppedText(result.sources[0]!)).toMatch(/^Everything it pulled \(\d+ pages?\) is kept\.$/);
    expect(count(db, 'SELECT count(*) FROM risk_snapshots')).toBe(2);
  });

  it('names what it is pulling in plain words on the progress line, never a protocol kind', async () => {
    const server = await hub(1);
    const db = laptop(server.url, 'dana@example.com');
    const labels: string[] = [];
    await runFeedJob(
      db,
      {
        targets: [{ name: 'team', token: DANA, tokenProblem: null }],
        asOf: '2026-03-10',
        startedAt: NOW.toISOString(),
      },
      (p) => p.label && labels.push(p.label),
    );
    expect(labels).toContain('Syncing team: item actions, page 1');
    expect(labels).toContain('Syncing team: usage metrics, page 1');
    expect(labels.filter((label) => label.includes('_'))).toEqual([]);
  });
});
