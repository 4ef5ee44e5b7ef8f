/**
 * Four apps and one team hub (issue 19): the hub (embedded PGlite, and a real PostgreSQL when one
 * can run here) holds the demo book; three CSMs and their lead each have their own app database
 * with the hub as a feed source. Lee covers Dana's book (`hub user add --covers`). Dana snoozes an
 * item and logs an intervention; Lee syncs and sees the snooze ("Snoozed by dana…") on Dana's
 * account, and logs an intervention on his own; the lead's app and the hub's report count both;
 * Kim, who covers nobody, never receives Dana's book. Then the hub is shut down in the middle of a
 * push and of a pull, started again, and the next sync completes with nothing duplicated. Kim is
 * in another team until the end; when Kim joins the lead's team, the lead's next sync reads the
 * team again (410 on the old cursors) and receives Kim's whole book.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// The registry registers every after-data-change step (scoring opens the risk items).
import '../../src/app/jobs/registry.ts';
import { runFeedJob } from '../../src/app/jobs/sync-jobs.ts';
import { addActivity } from '../../src/domain/activities/activities.ts';
import type { Db } from '../../src/domain/db/open.ts';
import { META_KEYS, metaRepo } from '../../src/domain/db/repos/meta.ts';
import { saveSource } from '../../src/domain/feed/sources.ts';
import { loadOutcomeFacts } from '../../src/domain/interventions/facts.ts';
import { logIntervention } from '../../src/domain/interventions/log.ts';
import { snoozedByColleague } from '../../src/domain/item-actions/merge.ts';
import { loadDemoBook } from '../../src/domain/demo/load.ts';
import { accountRisk } from '../../src/domain/risk/account-view.ts';
import { isTriggerId } from '../../src/domain/risk/catalog.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import { isLive, itemsRepo, snoozeItem, type RiskItemRow } from '../../src/domain/risk/items.ts';
import { startHub, type RunningHub } from '../../src/hub/server/start.ts';
import { sharedPostgres, stopSharedPostgres } from '../support/hub.ts';
import { postgresUnavailable } from '../support/postgres.ts';
import { tempDb } from '../support/temp.ts';

const AS_OF = '2026-03-10';
const LEAD = 'lead@northwind-cs.example';
const DEMO = { accounts: 60, asOf: AS_OF, days: 45 };

const pg = await sharedPostgres();
const backends = pg ? (['embedded', 'pg'] as const) : (['embedded'] as const);
if (!pg) process.stderr.write(`hub-e2e.test: real PostgreSQL skipped: ${postgresUnavailable}\n`);
afterAll(() => stopSharedPostgres());

/** A hub that can be shut down and started again on the same store and port. */
async function hubOn(backend: 'embedded' | 'pg') {
  const dir = backend === 'embedded' ? mkdtempSync(join(tmpdir(), 'foresight-hub-e2e-')) : null;
  const pgUrl = backend === 'pg' ? await pg!.createDatabase(`hub_e2e_${process.pid}`) : undefined;
  const where = dir ? { embeddedDir: dir } : { pgUrl };
  let hub: RunningHub = await startHub({ ...where, port: 0, demo: DEMO });
  const port = Number(new URL(hub.url).port);
  return {
    get hub() {
      return hub;
    },
    url: hub.url,
    restart: async () => void (hub = await startHub({ ...where, port })),
    dispose: async () => {
      await hub.close().catch(() => undefined);
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function app(url: string, me: string): Db {
  const { db } = tempDb();
  metaRepo(db).set(META_KEYS.ownerIdentity, me);
  // What `foresight source add team --url HUB_URL --token-env FORESIGHT_FEED_TOKEN_TEAM` stores.
  saveSource(db, { name: 'team', url, tokenRef: 'env:FORESIGHT_FEED_TOKEN_TEAM' }, new Date(`${AS_OF}T08:00:00Z`));
  return db;
}

/** `foresight sync` as the CLI and the app run it: the feed job, scoring and outcomes included. */
function sync(db: Db, token: string, onLabel?: (label: string) => void) {
  return runFeedJob(
    db,
    {
      targets: [{ name: 'team', token, tokenProblem: null }],
      asOf: AS_OF,
      startedAt: `${AS_OF}T10:00:00.000Z`,
      pageSize: 1000,
      retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 2, timeoutMs: 10_000 },
    },
    (p) => p.label && onLabel?.(p.label),
  );
}

const count = (db: Db, sql: string) => db.prepare(sql).pluck().get() as number;
const hubCount = async (hub: RunningHub, table: string) =>
  Number((await hub.store.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`))[0]!.n);

/** The three owners of the demo book with the most live risk items, read with the app's own engine. */
function csmsWithRisks(): [string, string, string] {
  const { db } = tempDb();
  loadDemoBook(db, DEMO);
  scoreAll(db, { asOf: AS_OF });
  const owners = db
    .prepare<[], string>(
      `SELECT a.owner_email FROM risk_items i JOIN accounts a USING (account_id)
       WHERE i.status IN ('open', 'in_progress') AND i.is_control = 0
       GROUP BY a.owner_email ORDER BY count(*) DESC, a.owner_email LIMIT 3`,
    )
    .pluck()
    .all();
  if (owners.length < 3) throw new Error('the demo book gave fewer than three CSMs with risk items');
  return [owners[0]!, owners[1]!, owners[2]!];
}

/** A live, not held-out item of a known trigger on one of the owner's accounts. */
function actionableItem(db: Db, owner: string): RiskItemRow {
  const owned = new Set(
    db.prepare<[string], string>('SELECT account_id FROM accounts WHERE owner_email = ?').pluck().all(owner),
  );
  const item = itemsRepo(db)
    .relevant()
    .find((i) => owned.has(i.account_id) && isLive(i) && i.is_control === 0 && isTriggerId(i.trigger_id));
  if (!item) throw new Error('the demo book gave this CSM no live risk item');
  return item;
}

describe.each(backends)('four apps and a team hub on %s', (backend) => {
  it('shares a snooze with a covering CSM and interventions with the lead, never beyond a book, and survives the hub going down', async () => {
    const team = await hubOn(backend);
    try {
      const [dana, lee, kim] = csmsWithRisks();
      const tokens = {
        dana: await team.hub.addUser(dana, 'csm'),
        lee: await team.hub.addUser(lee, 'csm', undefined, [dana]),
        kim: await team.hub.addUser(kim, 'csm', 'south'), // in another team until the end
        lead: await team.hub.addUser(LEAD, 'lead'),
      };
      const apps = {
        dana: app(team.url, dana),
        lee: app(team.url, lee),
        kim: app(team.url, kim),
        lead: app(team.url, LEAD),
      };
      const owners = (db: Db) =>
        db.prepare<[], string>('SELECT DISTINCT owner_email FROM accounts ORDER BY 1').pluck().all();

      for (const who of ['dana', 'lee', 'kim'] as const) {
        const first = await sync(apps[who], tokens[who]);
        expect(first.sources[0]).toMatchObject({ status: 'ok', team: { protocol: '1.1', user: { role: 'csm' } } });
      }
      // Scope: Dana and Kim hold only their own accounts; Lee his and Dana's, whom he covers.
      expect(owners(apps.dana)).toEqual([dana]);
      expect(owners(apps.kim)).toEqual([kim]);
      expect(owners(apps.lee)).toEqual([dana, lee].sort());

      // Dana snoozes an item and logs an intervention; Lee logs one on his own book.
      const item = actionableItem(apps.dana, dana);
      snoozeItem(apps.dana, item.item_id, {
        until: '2026-03-20',
        reason: 'Budget freeze until the 20th',
        asOf: AS_OF,
        now: `${AS_OF}T10:30:00.000Z`,
      });
      const now = new Date(`${AS_OF}T10:30:00Z`);
      const danaPlay = logIntervention(
        apps.dana,
        { accountId: item.account_id, triggerId: item.trigger_id as never, channel: 'email', force: true },
        now,
      );
      const leeItem = actionableItem(apps.lee, lee);
      const leePlay = logIntervention(
        apps.lee,
        { accountId: leeItem.account_id, triggerId: leeItem.trigger_id as never, channel: 'call', force: true },
        now,
      );
      for (const who of ['dana', 'lee'] as const) {
        const pushed = await sync(apps[who], tokens[who]);
        expect(pushed.sources[0]!.team?.pushed.interventions).toBe(1);
      }
      expect((await sync(apps.dana, tokens.dana)).sources[0]!.team?.pushed).toMatchObject({ item_actions: 0 });

      // Lee, covering Dana, sees her snooze on her account: "Snoozed by <dana> until 12 Dec 2026".
      const seenByLee = itemsRepo(apps.lee)
        .relevant(item.account_id)
        .find((i) => i.trigger_id === item.trigger_id)!;
      expect(seenByLee).toMatchObject({ snoozed_until: '2026-03-20', snooze_reason: 'Budget freeze until the 20th' });
      expect(snoozedByColleague(apps.lee, seenByLee)).toBe(dana);
      const leeShown = accountRisk(apps.lee, item.account_id, AS_OF, `${AS_OF}T12:00:00.000Z`).items.find(
        (i) => i.itemId === seenByLee.item_id,
      );
      expect(leeShown).toMatchObject({ snoozed: true, snoozedBy: dana, snoozedUntil: '2026-03-20' });
      expect(count(apps.lee, 'SELECT count(*) FROM imported_outcomes')).toBe(1); // Dana's intervention

      // The lead's app: Dana's snooze on the same item, by Dana; both interventions in the outcomes.
      const lead = await sync(apps.lead, tokens.lead);
      expect(lead.sources[0]).toMatchObject({ status: 'ok', team: { user: { email: LEAD, role: 'lead' } } });
      const leadItem = itemsRepo(apps.lead)
        .relevant(item.account_id)
        .find((i) => i.trigger_id === item.trigger_id)!;
      expect(leadItem).toMatchObject({ snoozed_until: '2026-03-20', snooze_reason: 'Budget freeze until the 20th' });
      expect(snoozedByColleague(apps.lead, leadItem)).toBe(dana);
      // What the lead's Account screen shows: "Snoozed by <dana> until 12 Dec 2026".
      const shown = accountRisk(apps.lead, item.account_id, AS_OF, `${AS_OF}T12:00:00.000Z`).items.find(
        (i) => i.itemId === leadItem.item_id,
      );
      expect(shown).toMatchObject({ snoozed: true, snoozedBy: dana, snoozedUntil: '2026-03-20' });
      const treated = loadOutcomeFacts(apps.lead, { asOf: AS_OF }).filter((f) => f.cohort === 'treated');
      expect(treated.map((f) => f.record_id).sort()).toEqual(
        [danaPlay.intervention_id, leePlay.intervention_id].sort(),
      );
      // …and the hub's report for the lead counts both CSMs.
      const report = (await (
        await fetch(`${team.url}/v1/report?as_of=${AS_OF}`, { headers: { Authorization: `Bearer ${tokens.lead}` } })
      ).json()) as { interventions: number; csms: { email: string; interventions: number }[] };
      expect(report.interventions).toBe(2);
      expect(
        report.csms
          .filter((c) => c.interventions > 0)
          .map((c) => c.email)
          .sort(),
      ).toEqual([dana, lee].sort());
      // Kim covers nobody: none of Dana's accounts, her snooze or her intervention reach Kim's app.
      const kimAgain = await sync(apps.kim, tokens.kim);
      expect(kimAgain.sources[0]!.team?.pulled).toEqual({ item_actions: 0, interventions: 0, activities: 0 });
      expect(owners(apps.kim)).toEqual([kim]);
      expect(count(apps.kim, 'SELECT count(*) FROM imported_outcomes')).toBe(0);
      expect(count(apps.kim, 'SELECT count(*) FROM item_actions')).toBe(0);

      // The hub goes down right after the interventions are acknowledged, before activities and actions.
      addActivity(
        apps.lee,
        { accountId: leeItem.account_id, type: 'call', summary: 'Walked through the renewal' },
        now,
      );
      snoozeItem(apps.lee, leeItem.item_id, {
        until: '2026-04-01',
        reason: 'Travelling',
        asOf: AS_OF,
        now: `${AS_OF}T11:00:00.000Z`,
      });
      logIntervention(
        apps.lee,
        { accountId: leeItem.account_id, triggerId: leeItem.trigger_id as never, channel: 'email', force: true },
        now,
      );
      let closing: Promise<void> | null = null;
      const cut = await sync(apps.lee, tokens.lee, (label) => {
        if (label.includes('sending') && !closing) closing = team.hub.close();
      });
      await closing;
      expect(closing).not.toBeNull();
      expect(cut.sources[0]!.status).toBe('offline');
      await team.restart();
      const resumed = await sync(apps.lee, tokens.lee);
      expect(resumed.sources[0]).toMatchObject({ status: 'ok' });
      expect(resumed.sources[0]!.team?.pushed).toMatchObject({ activities: 1, item_actions: 1 });

      // The lead's pull is cut mid-way too (after the first page of metrics), then completes.
      closing = null;
      const cutPull = await sync(apps.lead, tokens.lead, (label) => {
        if (label.includes('item actions') && !closing) closing = team.hub.close();
      });
      await closing;
      expect(cutPull.sources[0]!.status).toBe('offline');
      await team.restart();
      expect((await sync(apps.lead, tokens.lead)).sources[0]!.status).toBe('ok');

      // Kim joins the lead's team: the lead's cursors answer 410 and the app reads the team again,
      // so Kim's book (older than those cursors) reaches the lead at the next sync.
      expect(owners(apps.lead)).not.toContain(kim);
      await team.hub.addUser(kim, 'csm');
      expect((await sync(apps.lead, tokens.lead)).sources[0]!.status).toBe('ok');
      expect(owners(apps.lead)).toContain(kim);
      const kimMetrics = Number(
        (
          await team.hub.store.query<{ n: string }>('SELECT count(*)::text AS n FROM metrics WHERE owner_email = $1', [
            kim,
          ])
        )[0]!.n,
      );
      expect(kimMetrics).toBeGreaterThan(1000); // pages of them, all older than the lead's cursor
      expect(
        count(apps.lead, `SELECT count(*) FROM metrics JOIN accounts USING (account_id) WHERE owner_email = '${kim}'`),
      ).toBe(kimMetrics);

      // Nothing doubled: each log holds every item once, on the hub and in the lead's app.
      expect(await hubCount(team.hub, 'interventions')).toBe(3);
      expect(await hubCount(team.hub, 'activities')).toBe(1);
      expect(await hubCount(team.hub, 'item_actions')).toBe(2);
      expect(count(apps.lead, 'SELECT count(*) FROM imported_outcomes')).toBe(3);
      expect(count(apps.lead, 'SELECT count(*) FROM activities')).toBe(1);
      expect(count(apps.lead, 'SELECT count(*) FROM item_actions')).toBe(2);
      expect(count(apps.lead, 'SELECT count(*) FROM accounts')).toBe(await hubCount(team.hub, 'accounts'));
    } finally {
      await team.dispose();
    }
  }, 120_000);
});
