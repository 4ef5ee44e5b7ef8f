/**
 * The team report's comparison group (issue 19, item 4): two CSM apps push their held-out risk
 * items' judged outcomes (cohort "control", with their firing day) beside their interventions; the
 * hub's report and the lead's app, which pulls them, count treated AND control outcomes per play
 * exactly as the two local reports do, and the team's stratified uplift is the one a single local
 * report on the union of both books gives.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The registry registers every after-data-change step (scoring opens the risk items).
import '../../src/app/jobs/registry.ts';
import { runFeedJob } from '../../src/app/jobs/sync-jobs.ts';
import type { Db } from '../../src/domain/db/open.ts';
import { META_KEYS, metaRepo } from '../../src/domain/db/repos/meta.ts';
import { saveSource } from '../../src/domain/feed/sources.ts';
import { compare } from '../../src/domain/interventions/comparison.ts';
import { loadDemoBook } from '../../src/domain/demo/load.ts';
import { loadDemoInterventionHistory } from '../../src/domain/interventions/demo-history.ts';
import { loadOutcomeFacts, type OutcomeFact } from '../../src/domain/interventions/facts.ts';
import { rowFromStrata, type HubReport, type ReportRow } from '../../src/hub/report/report.ts';
import { episodes } from '../../src/domain/interventions/comparison.ts';
import { startHub, type RunningHub } from '../../src/hub/server/start.ts';
import { tempDb } from '../support/temp.ts';

const AS_OF = '2026-03-10';
const LEAD = 'lead@northwind-cs.example';
const DEMO = { accounts: 80, asOf: AS_OF, days: 60 };

function app(url: string, me: string): Db {
  const { db } = tempDb();
  metaRepo(db).set(META_KEYS.ownerIdentity, me);
  saveSource(db, { name: 'team', url, tokenRef: 'env:FORESIGHT_FEED_TOKEN_TEAM' }, new Date(`${AS_OF}T08:00:00Z`));
  return db;
}

const sync = (db: Db, token: string) =>
  runFeedJob(
    db,
    {
      targets: [{ name: 'team', token, tokenProblem: null }],
      asOf: AS_OF,
      startedAt: `${AS_OF}T10:00:00.000Z`,
      pageSize: 1000,
      retry: { baseDelayMs: 1, maxDelayMs: 2, maxAttempts: 2, timeoutMs: 10_000 },
    },
    () => undefined,
  );

/**
 * A CSM's app with a history on their own book: the demo book (the hub's, generated alike) cut to
 * the CSM's accounts, and the demo's past firings, half held out, the rest worked, all judged.
 */
function csmApp(url: string, me: string): { db: Db; firings: { interventions: number; control: number } } {
  const db = app(url, me);
  loadDemoBook(db, DEMO);
  db.prepare('DELETE FROM accounts WHERE owner_email IS NOT ?').run(me);
  const history = loadDemoInterventionHistory(db, { asOf: AS_OF, now: new Date(`${AS_OF}T09:00:00Z`) });
  return { db, firings: history };
}

const split = (facts: readonly OutcomeFact[]) => ({
  treated: facts.filter((f) => f.cohort === 'treated' && f.status !== 'planned'),
  control: facts.filter((f) => f.cohort === 'control'),
});

/** Treated and control counts per play, as the app's comparison counts them. */
function perPlay(
  facts: readonly OutcomeFact[],
): Record<string, { treated: [number, number]; control: [number, number] }> {
  const { treated, control } = split(facts);
  const plays = [...new Set([...treated, ...control].map((f) => f.trigger_id))].sort();
  return Object.fromEntries(
    plays.map((play) => {
      // The hub's team report still compares the touches with the control group (it receives no
      // eligible firings), so the touches stand in for the first group here.
      const row = compare(
        treated.filter((f) => f.trigger_id === play),
        control.filter((f) => f.trigger_id === play),
        [],
      );
      return [
        play,
        { treated: [row.treated.n, row.treated.succeeded], control: [row.control.n, row.control.succeeded] },
      ];
    }),
  );
}

function hubPerPlay(rows: HubReport['plays']) {
  return Object.fromEntries(
    rows.map((r) => [
      r.trigger_id,
      { treated: [r.treated.n, r.treated.succeeded], control: [r.control.n, r.control.succeeded] },
    ]),
  );
}

function sumPlays(...books: ReturnType<typeof perPlay>[]) {
  const total: ReturnType<typeof perPlay> = {};
  for (const book of books)
    for (const [play, c] of Object.entries(book)) {
      const t = (total[play] ??= { treated: [0, 0], control: [0, 0] });
      t.treated = [t.treated[0] + c.treated[0], t.treated[1] + c.treated[1]];
      t.control = [t.control[0] + c.control[0], t.control[1] + c.control[1]];
    }
  return Object.fromEntries(Object.entries(total).sort(([a], [b]) => a.localeCompare(b)));
}

/** What the row says of the comparison, whichever side computed it. */
/**
 * The hub's team report still compares the touches with the held-out firings, stratified by play
 * (it receives no eligible firings; the app's report is intention to treat): the same rule over
 * the same episodes.
 */
function hubRule(treated: readonly OutcomeFact[], control: readonly OutcomeFact[]) {
  const strata = new Map<string, { n1: number; s1: number; n0: number; s0: number }>();
  const add = (facts: readonly OutcomeFact[], side: 1 | 0) => {
    for (const f of episodes(facts).filter((x) => x.status === 'succeeded' || x.status === 'failed')) {
      const s = strata.get(f.trigger_id) ?? { n1: 0, s1: 0, n0: 0, s0: 0 };
      const won = f.status === 'succeeded' ? 1 : 0;
      if (side === 1) {
        s.n1++;
        s.s1 += won;
      } else {
        s.n0++;
        s.s0 += won;
      }
      strata.set(f.trigger_id, s);
    }
  };
  add(
    treated.filter((f) => !f.excluded_from_uplift && !f.manual),
    1,
  );
  add(control, 0);
  return rowFromStrata(strata);
}

function summaryOf(row: Pick<ReportRow, 'uplift_method' | 'plays_compared'> & { uplift: ReportRow['uplift'] }) {
  return {
    method: row.uplift_method,
    plays: row.plays_compared,
    uplift: row.uplift && [row.uplift.value, row.uplift.ci_low, row.uplift.ci_high].map((v) => v.toFixed(10)),
  };
}

describe('control episodes in the team report', () => {
  let dir: string;
  let hub: RunningHub;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'foresight-hub-control-'));
    hub = await startHub({ embeddedDir: dir, port: 0, demo: DEMO });
  }, 60_000);
  afterAll(async () => {
    await hub?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pushes held-out firings, and the hub and the lead count them as the CSMs’ own reports do', async () => {
    const owners = await hub.store.query<{ owner_email: string }>(
      'SELECT owner_email FROM accounts GROUP BY owner_email ORDER BY count(*) DESC, owner_email LIMIT 2',
    );
    const [dana, lee] = owners.map((o) => o.owner_email) as [string, string];
    const tokens = {
      dana: await hub.addUser(dana, 'csm'),
      lee: await hub.addUser(lee, 'csm'),
      lead: await hub.addUser(LEAD, 'lead'),
    };
    const csms = { dana: csmApp(hub.url, dana), lee: csmApp(hub.url, lee) };
    const apps = { dana: csms.dana.db, lee: csms.lee.db, lead: app(hub.url, LEAD) };
    const local: Record<'dana' | 'lee', OutcomeFact[]> = { dana: [], lee: [] };
    for (const who of ['dana', 'lee'] as const) {
      expect(csms[who].firings.interventions).toBeGreaterThan(0);
      expect(csms[who].firings.control).toBeGreaterThan(0);
      const pushed = await sync(apps[who], tokens[who]);
      expect(pushed.sources[0]).toMatchObject({ status: 'ok' });
      local[who] = loadOutcomeFacts(apps[who], { asOf: AS_OF, includeImported: false });
      const { treated, control } = split(local[who]);
      // Every intervention and every judged held-out firing went to the hub; nothing came back as a colleague's.
      const judged = control.filter((f) => f.status !== 'pending');
      expect(judged.length).toBeGreaterThan(0);
      expect(pushed.sources[0]!.team?.pushed.interventions).toBe(
        treated.length + judged.length + local[who].filter((f) => f.status === 'planned').length,
      );
      expect(apps[who].prepare('SELECT count(*) FROM imported_outcomes').pluck().get()).toBe(0);
    }
    const union = [...local.dana, ...local.lee];
    const { treated, control } = split(union);
    // The book gives both groups, decided outcomes in both, on more than one play.
    expect(control.filter((f) => f.status === 'succeeded' || f.status === 'failed').length).toBeGreaterThan(0);
    expect(treated.filter((f) => f.status === 'succeeded' || f.status === 'failed').length).toBeGreaterThan(0);

    const expectedPlays = sumPlays(perPlay(local.dana), perPlay(local.lee));
    expect(perPlay(union)).toEqual(expectedPlays);
    const onUnion = hubRule(treated, control);

    // The hub's report for the lead: per play, for the team and per CSM.
    const response = await fetch(`${hub.url}/v1/report?as_of=${AS_OF}`, {
      headers: { Authorization: `Bearer ${tokens.lead}` },
    });
    const report = (await response.json()) as HubReport;
    expect(hubPerPlay(report.plays)).toEqual(expectedPlays);
    expect(report.team.treated).toMatchObject({ n: onUnion.treated.n, succeeded: onUnion.treated.succeeded });
    expect(report.team.control).toMatchObject({ n: onUnion.control.n, succeeded: onUnion.control.succeeded });
    expect(summaryOf(report.team)).toEqual(summaryOf({ ...onUnion, uplift: onUnion.uplift }));
    for (const who of ['dana', 'lee'] as const) {
      const mine = split(local[who]);
      const row = hubRule(mine.treated, mine.control);
      const csm = report.csms.find((c) => c.email === (who === 'dana' ? dana : lee))!;
      expect([csm.treated.n, csm.control.n, csm.treated.succeeded, csm.control.succeeded]).toEqual([
        row.treated.n,
        row.control.n,
        row.treated.succeeded,
        row.control.succeeded,
      ]);
    }

    // The lead's app pulls both CSMs' rows, control ones as control, and reports the same.
    await sync(apps.lead, tokens.lead);
    const leadFacts = loadOutcomeFacts(apps.lead, { asOf: AS_OF });
    expect(perPlay(leadFacts)).toEqual(expectedPlays);
    const lead = split(leadFacts);
    expect(summaryOf(hubRule(lead.treated, lead.control))).toEqual(summaryOf(onUnion));
  }, 90_000);

  it('counts two interventions of one firing as one episode, by the firing month they carry', async () => {
    const [owner] = await hub.store.query<{ owner_email: string; account_id: string }>(
      'SELECT owner_email, min(account_id) AS account_id FROM accounts GROUP BY owner_email ORDER BY count(*), owner_email LIMIT 1',
    );
    const token = await hub.addUser(owner!.owner_email, 'csm');
    const touch = (id: string, startOn: string, status: string) => ({
      intervention_id: id,
      account_id: owner!.account_id,
      trigger_id: 'payment_failing',
      status,
      version: `${AS_OF}T08:00:00.000Z`,
      fired_on: '2026-01-28',
      outcome: { start_on: startOn, manual: 0 },
    });
    const post = await fetch(`${hub.url}/v1/interventions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      // A call the day after the firing, and an email the next month: one episode, the first speaks.
      body: JSON.stringify({
        items: [touch('fired-once-a', '2026-01-29', 'succeeded'), touch('fired-once-b', '2026-02-02', 'failed')],
      }),
    });
    expect(post.status).toBe(200);
    const report = (await (
      await fetch(`${hub.url}/v1/report?as_of=${AS_OF}`, { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as HubReport;
    expect(report.interventions).toBe(2);
    expect(report.team.treated).toMatchObject({ n: 1, succeeded: 1 });
  });
});
