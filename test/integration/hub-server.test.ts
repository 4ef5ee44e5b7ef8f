/**
 * The hub server on both stores (embedded PGlite, and a real PostgreSQL when one can start here):
 * schema migrations, tokens, scoping, cursors/ETags/304/410, idempotent pushes, 422 for another
 * book, merge order, rate limits, bounded bodies, the audit log and the team report.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mantelHaenszelDifference } from '../../src/domain/interventions/stratified.ts';
import { HUB_MIGRATIONS } from '../../src/hub/migrations/index.ts';
import { migrateHub } from '../../src/hub/migrations/migrate.ts';
import { createHubServer } from '../../src/hub/server/http-server.ts';
import {
  account,
  client,
  seed,
  sharedPostgres,
  startTestHub,
  stopSharedPostgres,
  type Backend,
  type TestHub,
} from '../support/hub.ts';
import { runCliAsync } from '../support/cli.ts';
import { postgresUnavailable } from '../support/postgres.ts';

const MAYA = 'maya@team.example';
const JO = 'jo@team.example';
const LEAD = 'lead@team.example';
const OTHER = 'other@elsewhere.example';

const pg = await sharedPostgres();
const backends: Backend[] = pg ? ['embedded', 'pg'] : ['embedded'];
if (!pg) process.stderr.write(`hub-server.test: real PostgreSQL skipped: ${postgresUnavailable}\n`);
afterAll(() => stopSharedPostgres());

describe.each(backends)('hub server on %s', (backend) => {
  let hub: TestHub;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    hub = (await startTestHub(backend))!;
    tokens.maya = await hub.addUser(MAYA, 'csm', 'north');
    tokens.jo = await hub.addUser(JO, 'csm', 'north');
    tokens.lead = await hub.addUser(LEAD, 'lead', 'north');
    tokens.other = await hub.addUser(OTHER, 'csm', 'south');
    tokens.admin = await hub.addUser('admin@team.example', 'admin');
    const accounts = [
      ...Array.from({ length: 12 }, (_, i) => account(`m${String(i).padStart(2, '0')}`, MAYA)),
      account('j1', JO),
      account('j2', JO),
      account('o1', OTHER),
    ];
    await seed(hub.store, {
      accounts,
      contacts: [
        {
          contact_id: 'c-m',
          account_id: 'm00',
          name: 'Ann',
          email: null,
          phone: null,
          role: null,
          is_champion: true,
          active: true,
          last_seen_at: null,
        },
        {
          contact_id: 'c-o',
          account_id: 'o1',
          name: 'Olu',
          email: null,
          phone: null,
          role: null,
          is_champion: false,
          active: true,
          last_seen_at: null,
        },
      ],
      metrics: [
        { account_id: 'm00', date: '2026-02-01', metric: 'active_users', value: 5, contact_id: '' },
        { account_id: 'j1', date: '2026-02-01', metric: 'active_users', value: 7, contact_id: '' },
        { account_id: 'o1', date: '2026-02-01', metric: 'active_users', value: 9, contact_id: '' },
      ],
      events: [
        {
          event_id: 'e-o',
          account_id: 'o1',
          occurred_at: '2026-02-01T10:00:00.000Z',
          type: 'payment_failed',
          value: null,
          contact_id: null,
          detail: null,
        },
      ],
    });
  });
  afterAll(() => hub?.stopAll());

  it('migrates once, records the version, and refuses a newer database', async () => {
    const version = await hub.store.query<{ value: string }>("SELECT value FROM hub_meta WHERE key = 'schema_version'");
    expect(version[0]?.value).toBe(String(HUB_MIGRATIONS.at(-1)!.version));
    expect(await migrateHub(hub.store)).toEqual([]);
    await hub.store.query("UPDATE hub_meta SET value = '99' WHERE key = 'schema_version'");
    await expect(migrateHub(hub.store)).rejects.toThrow(/schema version 99, newer than this Foresight/);
    await hub.store.query(
      `UPDATE hub_meta SET value = '${HUB_MIGRATIONS.at(-1)!.version}' WHERE key = 'schema_version'`,
    );
  });

  it('keeps only the SHA-256 of each token and rejects unknown ones', async () => {
    expect(tokens.maya).toMatch(/^fh_[A-Za-z0-9_-]{43}$/);
    const stored = await hub.store.query<{ token_hash: string }>('SELECT token_hash FROM hub_tokens');
    expect(stored.map((r) => r.token_hash)).toContain(createHash('sha256').update(tokens.maya!).digest('hex'));
    expect(JSON.stringify(stored)).not.toContain(tokens.maya!.slice(3));
    expect((await fetch(`${hub.url}/v1/accounts`)).status).toBe(401);
    expect((await client(hub.url, `fh_${'A'.repeat(43)}`).get('/v1/accounts')).status).toBe(401);
  });

  it('answers capabilities with the caller', async () => {
    const response = await client(hub.url, tokens.lead!).get('/v1/capabilities');
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ protocol: '1.1', user: { email: LEAD, role: 'lead' } });
    expect(body.pull).toEqual([
      'accounts',
      'contacts',
      'metrics',
      'events',
      'item_actions',
      'interventions',
      'activities',
    ]);
  });

  it('scopes every kind to the book: a csm, a lead of the team, an admin', async () => {
    const ids = async (token: string, kind: string, key: string) =>
      (await client(hub.url, token).pullAll(kind, 5)).map((i) => i[key]).sort();
    const maya = await ids(tokens.maya!, 'accounts', 'account_id');
    expect(maya).toHaveLength(12);
    expect(maya.every((id) => String(id).startsWith('m'))).toBe(true);
    const lead = await ids(tokens.lead!, 'accounts', 'account_id');
    expect(new Set(lead).size).toBe(14); // pages merged across the team's members, none twice
    expect(lead).toHaveLength(14);
    expect(await ids(tokens.admin!, 'accounts', 'account_id')).toHaveLength(15);
    expect(await ids(tokens.maya!, 'contacts', 'contact_id')).toEqual(['c-m']);
    expect(await ids(tokens.maya!, 'metrics', 'account_id')).toEqual(['m00']);
    expect(await ids(tokens.lead!, 'metrics', 'account_id')).toEqual(['j1', 'm00']);
    expect(await ids(tokens.maya!, 'events', 'event_id')).toEqual([]);
    expect(await ids(tokens.other!, 'events', 'event_id')).toEqual(['e-o']);
  });

  it('pages with cursors, answers 304 to an unchanged last page and 410 to a foreign cursor', async () => {
    const maya = client(hub.url, tokens.maya!);
    const first = await maya.get('/v1/accounts?limit=10');
    const page = await first.json();
    expect(page.items).toHaveLength(10);
    const last = await maya.get(`/v1/accounts?limit=10&cursor=${page.next_cursor}`);
    const lastPage = await last.json();
    expect(lastPage.items).toHaveLength(2);
    expect(lastPage.next_cursor).toBeNull();
    const etag = last.headers.get('etag')!;
    const again = await maya.get(`/v1/accounts?limit=10&cursor=${page.next_cursor}`, { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    // A changed account comes again after the cursors already handed out, with a new ETag.
    await seed(hub.store, { accounts: [account('m00', MAYA, { arr: 2000 })] });
    const changed = await maya.get(`/v1/accounts?limit=10&cursor=${page.next_cursor}`, { 'If-None-Match': etag });
    expect(changed.status).toBe(200);
    expect((await changed.json()).items.map((i: { account_id: string }) => i.account_id)).toContain('m00');
    const foreign = Buffer.from('s:999999999').toString('base64url');
    expect((await maya.get(`/v1/accounts?cursor=${foreign}`)).status).toBe(410);
    expect((await maya.get('/v1/accounts?cursor=garbage')).status).toBe(410);
  });

  it('moves an account’s rows to its new owner’s feed when it changes hands', async () => {
    const jo = client(hub.url, tokens.jo!);
    expect(await jo.pullAll('contacts')).toEqual([]);
    await seed(hub.store, { accounts: [account('m00', JO, { arr: 2000 })] });
    expect((await jo.pullAll('contacts')).map((c) => c.contact_id)).toEqual(['c-m']);
    expect((await client(hub.url, tokens.maya!).pullAll('contacts')).length).toBe(0);
    await seed(hub.store, { accounts: [account('m00', MAYA, { arr: 2000 })] });
  });

  it('stores pushed logs once, with the actor from the token, and merges by time then id', async () => {
    const maya = client(hub.url, tokens.maya!);
    const actions = [
      {
        action_id: 'act_a',
        account_id: 'm01',
        trigger_id: 'usage_drop',
        action: 'snooze',
        at: '2026-03-01T10:00:00Z',
        snooze_until: '2026-03-08',
        reason: 'holiday',
        actor_email: 'forged@x.example',
      },
      {
        action_id: 'act_c',
        account_id: 'm01',
        trigger_id: 'usage_drop',
        action: 'resolve',
        at: '2026-03-01T10:00:00Z',
      },
      {
        action_id: 'act_b',
        account_id: 'm01',
        trigger_id: 'usage_drop',
        action: 'dismiss',
        at: '2026-03-01T10:00:00Z',
      },
    ];
    const first = await maya.post('/v1/item_actions', { items: actions });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ accepted: 3, stored: 3 });
    expect(await (await maya.post('/v1/item_actions', { items: actions })).json()).toEqual({ accepted: 3, stored: 0 });
    const pulled = await client(hub.url, tokens.lead!).pullAll('item_actions');
    expect(pulled.filter((a) => String(a.action_id).startsWith('act_'))).toHaveLength(3);
    expect(new Set(pulled.map((a) => a.actor_email))).toEqual(new Set([MAYA]));
    const status = await hub.store.query<{ action: string }>(
      "SELECT action FROM item_status WHERE account_id = 'm01' AND trigger_id = 'usage_drop'",
    );
    expect(status[0]?.action).toBe('resolve'); // same instant: the greater action_id wins
    await maya.post('/v1/item_actions', {
      items: [
        {
          action_id: 'act_0',
          account_id: 'm01',
          trigger_id: 'usage_drop',
          action: 'reopen',
          at: '2026-03-02T09:00:00Z',
        },
      ],
    });
    const later = await hub.store.query<{ action: string }>("SELECT action FROM item_status WHERE account_id = 'm01'");
    expect(later[0]?.action).toBe('reopen'); // a later action wins whatever its id
    const activity = {
      activity_id: 'actv_1',
      account_id: 'm02',
      type: 'call',
      at: '2026-03-01T11:00:00Z',
      summary: 'Walked through the renewal',
    };
    await maya.post('/v1/activities', { items: [activity] });
    const jo = client(hub.url, tokens.jo!);
    expect((await jo.pullAll('activities')).length).toBe(0);
    const seenByLead = await client(hub.url, tokens.lead!).pullAll('activities');
    expect(seenByLead).toEqual([
      expect.objectContaining({ activity_id: 'actv_1', actor_email: MAYA, contact_id: null }),
    ]);
  });

  it('refuses a whole batch naming another book with 422, and bad items with their sentence', async () => {
    const maya = client(hub.url, tokens.maya!);
    const mixed = [
      { activity_id: 'actv_ok', account_id: 'm03', type: 'note', at: '2026-03-01T11:00:00Z', summary: 'ok' },
      { activity_id: 'actv_no', account_id: 'j1', type: 'note', at: '2026-03-01T11:00:00Z', summary: 'not mine' },
    ];
    const refused = await maya.post('/v1/activities', { items: mixed });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ error: 'account j1 is not in your book' });
    const stored = await hub.store.query("SELECT 1 FROM activities WHERE activity_id IN ('actv_ok', 'actv_no')");
    expect(stored).toHaveLength(0);
    const bad = await maya.post('/v1/item_actions', {
      items: [{ action_id: 'x', account_id: 'm01', trigger_id: 't', action: 'snooze', at: '2026-03-01T10:00:00Z' }],
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'item 1, snooze_until: is required for a snooze' });
  });

  it('refuses a body over the limit with 413 and stores nothing of it', async () => {
    const server = createHubServer({ store: hub.store, maxBodyBytes: 1000 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const items = Array.from({ length: 40 }, (_, i) => ({
        activity_id: `big_${i}`,
        account_id: 'm03',
        type: 'note',
        at: '2026-03-01T11:00:00Z',
        summary: 'a note long enough to pass the limit together',
      }));
      const response = await client(url, tokens.maya!).post('/v1/activities', { items });
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({ error: 'the body is larger than 1000 bytes' });
      expect(await hub.store.query("SELECT 1 FROM activities WHERE activity_id LIKE 'big_%'")).toHaveLength(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('keeps the highest version of an intervention and reports uplift per CSM and for the team', async () => {
    const post = (token: string, items: unknown[]) => client(hub.url, token).post('/v1/interventions', { items });
    const iv = (
      id: string,
      acc: string,
      trigger: string,
      status: string,
      cohort = 'treated',
      version = '2026-02-20T10:00:00Z',
    ) => ({
      intervention_id: id,
      account_id: acc,
      trigger_id: trigger,
      channel: 'email',
      status,
      cohort,
      version,
      outcome: { start_on: '2026-02-10', manual: 0 },
    });
    const mayaItems: unknown[] = [];
    const controls: unknown[] = [];
    // 12 of Maya's accounts × 2 plays: treated in 'usage_drop' succeed 9/12, control 4/12 ('usage_drop'),
    // treated 6/12 vs control 6/12 in 'payment_failed'.
    for (let i = 0; i < 12; i++) {
      const acc = `m${String(i).padStart(2, '0')}`;
      mayaItems.push(iv(`t-ud-${i}`, acc, 'usage_drop', i < 9 ? 'succeeded' : 'failed'));
      mayaItems.push(iv(`t-pf-${i}`, acc, 'payment_failed', i < 6 ? 'succeeded' : 'failed'));
      controls.push({
        ...iv(`c-ud-${i}`, acc, 'usage_drop', i < 4 ? 'succeeded' : 'failed', 'control'),
        outcome: { start_on: '2026-01-10' },
      });
      controls.push({
        ...iv(`c-pf-${i}`, acc, 'payment_failed', i < 6 ? 'succeeded' : 'failed', 'control'),
        outcome: { start_on: '2026-01-10' },
      });
    }
    for (let i = 0; i < mayaItems.length; i += 100)
      expect((await post(tokens.maya!, mayaItems.slice(i, i + 100))).status).toBe(200);
    expect((await post(tokens.maya!, controls)).status).toBe(200);
    expect((await post(tokens.jo!, [iv('t-jo', 'j1', 'usage_drop', 'succeeded')])).status).toBe(200);
    // An older version after a newer one changes nothing.
    await post(tokens.maya!, [iv('t-ud-0', 'm00', 'usage_drop', 'failed', 'treated', '2026-02-01T00:00:00Z')]);
    const pulled = await client(hub.url, tokens.maya!).pullAll('interventions');
    expect(pulled.find((p) => p.intervention_id === 't-ud-0')).toMatchObject({
      status: 'succeeded',
      actor_email: MAYA,
    });

    const response = await client(hub.url, tokens.lead!).get('/v1/report?as_of=2026-03-01');
    const report = await response.json();
    expect(report.interventions).toBe(25);
    expect(report.csms.map((c: { email: string }) => c.email)).toEqual([JO, MAYA]);
    expect(report.csms.find((c: { email: string }) => c.email === JO).interventions).toBe(1);
    const expected = mantelHaenszelDifference([
      { n1: 13, s1: 10, n0: 12, s0: 4 },
      { n1: 12, s1: 6, n0: 12, s0: 6 },
    ])!;
    expect(report.team.uplift_method).toBe('mantel_haenszel');
    expect(report.team.uplift.value).toBeCloseTo(expected.value, 10);
    expect(report.team.uplift.ci_low).toBeCloseTo(expected.low, 10);
    expect(report.team.treated).toMatchObject({ n: 25, succeeded: 16 });
    // Jo's book: one treated outcome and no control group: no uplift, and the note says why.
    expect(
      (
        await client(hub.url, tokens.jo!)
          .get('/v1/report?as_of=2026-03-01')
          .then((r) => r.json())
      ).team.note,
    ).toMatch(/Not enough data yet: 1 treated and 0 control/);
  });

  it('writes an audit row for every write', async () => {
    const rows = await hub.store.query<{ actor_email: string; action: string; kind: string; count: number }>(
      "SELECT actor_email, action, kind, count FROM hub_audit WHERE action = 'push' AND kind = 'item_actions' ORDER BY id",
    );
    expect(rows[0]).toMatchObject({ actor_email: MAYA, action: 'push', kind: 'item_actions', count: 3 });
    expect(rows[1]).toMatchObject({ count: 0 });
    const users = await hub.store.query("SELECT 1 FROM hub_audit WHERE action = 'user add'");
    expect(users.length).toBeGreaterThanOrEqual(5);
  });

  it('limits each token’s requests with 429 and Retry-After', async () => {
    const server = createHubServer({ store: hub.store, rateLimit: { burst: 2, perSecond: 0.01 } });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const maya = client(url, tokens.maya!);
      expect((await maya.get('/v1/capabilities')).status).toBe(200);
      expect((await maya.get('/v1/capabilities')).status).toBe(200);
      const limited = await maya.get('/v1/capabilities');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await client(url, tokens.jo!).get('/v1/capabilities')).status).toBe(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('adds users through the admin API only for admins, and locally with the embedded hub’s secret', async () => {
    const body = { email: 'new@team.example', role: 'csm', team: 'north' };
    expect((await client(hub.url, tokens.maya!).post('/v1/admin/users', body)).status).toBe(403);
    const created = await client(hub.url, tokens.admin!).post('/v1/admin/users', body);
    expect(created.status).toBe(201);
    const { token } = await created.json();
    expect((await client(hub.url, token).get('/v1/capabilities')).status).toBe(200);
    if (hub.dir) {
      expect(statSync(join(hub.dir, 'hub.secret')).mode & 0o777).toBe(0o600);
      const secret = readFileSync(join(hub.dir, 'hub.secret'), 'utf8');
      const local = await fetch(`${hub.url}/v1/admin/users`, {
        method: 'POST',
        headers: { 'X-Hub-Admin-Secret': secret, 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'local@team.example', role: 'lead', team: 'north' }),
      });
      expect(local.status).toBe(201);
      const wrong = await fetch(`${hub.url}/v1/admin/users`, {
        method: 'POST',
        headers: { 'X-Hub-Admin-Secret': 'nope', 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'x@team.example', role: 'admin' }),
      });
      expect(wrong.status).toBe(403);
      // The CLI reaches the running hub through the same door (PGlite allows one process per folder).
      const added = await runCliAsync([
        'hub',
        'user',
        'add',
        'Cli@Team.example',
        '--role',
        'csm',
        '--embedded',
        hub.dir,
        '--json',
      ]);
      expect(added.stderr).toBe('');
      const cli = JSON.parse(added.stdout) as { email: string; token: string };
      expect(cli.email).toBe('cli@team.example');
      expect((await client(hub.url, cli.token).get('/v1/capabilities')).status).toBe(200);
      // …and through the HTTP API with an admin token, as an admin would from another machine.
      const remote = await runCliAsync(
        [
          'hub',
          'user',
          'add',
          'remote@team.example',
          '--role',
          'csm',
          '--team',
          'north',
          '--url',
          hub.url,
          '--token-env',
          'HUB_ADMIN',
          '--token-only',
        ],
        { HUB_ADMIN: tokens.admin! },
      );
      expect((await client(hub.url, remote.stdout.trim()).get('/v1/capabilities')).status).toBe(200);
      const report = await runCliAsync(
        ['hub', 'report', '--url', hub.url, '--token-env', 'HUB_LEAD', '--as-of', '2026-03-01', '--json'],
        {
          HUB_LEAD: tokens.lead!,
        },
      );
      expect(JSON.parse(report.stdout)).toMatchObject({ as_of: '2026-03-01', scope: { email: LEAD, role: 'lead' } });
      const refused = await runCliAsync(['hub', 'load', 'accounts.csv', '--embedded', hub.dir]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /^The hub in .* is running \(process \d+, http:\/\/127\.0\.0\.1:\d+\); stop it before you load files/,
      );
    }
  }, 60_000);
  it('revokes a user’s earlier token when a new one is issued, and every token on hub user remove', async () => {
    const admin = client(hub.url, tokens.admin!);
    const body = { email: 'leaky@team.example', role: 'csm', team: 'north' };
    const first = await (await admin.post('/v1/admin/users', body)).json();
    expect(first.revoked).toBe(0);
    const second = await (await admin.post('/v1/admin/users', body)).json();
    expect(second.revoked).toBe(1);
    expect((await client(hub.url, first.token).get('/v1/capabilities')).status).toBe(401);
    expect((await client(hub.url, second.token).get('/v1/capabilities')).status).toBe(200);

    expect((await client(hub.url, tokens.maya!).post('/v1/admin/users/remove', { email: body.email })).status).toBe(
      403,
    );
    const removed = await admin.post('/v1/admin/users/remove', { email: 'Leaky@team.example' });
    expect(removed.status).toBe(200);
    expect(await removed.json()).toEqual({ email: body.email, revoked: 1 });
    expect((await client(hub.url, second.token).get('/v1/capabilities')).status).toBe(401);
    expect((await admin.post('/v1/admin/users/remove', { email: 'nobody@team.example' })).status).toBe(400);
    // Their row stays (what they pushed keeps its actor); the audit log says what happened.
    expect(await hub.store.query('SELECT email FROM hub_users WHERE email = $1', [body.email])).toHaveLength(1);
    const audit = await hub.store.query<{ detail: string }>(
      "SELECT detail FROM hub_audit WHERE action = 'user remove' ORDER BY id DESC LIMIT 1",
    );
    expect(audit[0]!.detail).toBe('leaky@team.example: 1 token(s) revoked');
    if (hub.dir) {
      // The CLI, through the running embedded hub's door: re-issuing says so, removing revokes.
      const cli = (args: string[]) => runCliAsync(['hub', 'user', ...args, '--embedded', hub.dir!]);
      // An empty address is named as such, not " is not a hub user." (found by QA).
      expect((await cli(['remove', ''])).stderr).toContain('Say whose access to remove: the email is empty.');
      const again = await cli(['add', 'leaky@team.example', '--role', 'csm']);
      expect(again.stdout).not.toContain('earlier token');
      const reissued = await cli(['add', 'leaky@team.example', '--role', 'csm']);
      expect(reissued.stdout).toContain('Their earlier token no longer works: give them the new one.');
      const token = /Token \(shown only now; the hub keeps only its hash\): (\S+)/.exec(reissued.stdout)![1]!;
      expect((await client(hub.url, token).get('/v1/capabilities')).status).toBe(200);
      const bad = await cli(['add', 'not-an-address', '--role', 'csm']);
      expect(bad.stderr.trim()).toBe("The hub answered 400: 'not-an-address' is not an email address.");
      const gone = await cli(['remove', 'leaky@team.example']);
      expect(gone.stdout.trim()).toBe(
        'Removed leaky@team.example: 1 token revoked, covers ended. What they pushed stays on the hub; "hub user add" gives them a new token.',
      );
      expect((await client(hub.url, token).get('/v1/capabilities')).status).toBe(401);
    }
  }, 60_000);

  it('lets a csm cover colleagues: their books are read and written, others stay refused', async () => {
    const admin = client(hub.url, tokens.admin!);
    const added = await admin.post('/v1/admin/users', { email: 'pod@team.example', role: 'csm', covers: [JO] });
    expect(added.status).toBe(201);
    const pod = client(hub.url, (await added.json()).token);
    const accountsOf = async () => (await pod.pullAll('accounts', 1)).map((a) => a.account_id).sort();
    expect(await accountsOf()).toEqual(['j1', 'j2']);
    expect((await pod.pullAll('metrics')).map((m) => m.account_id)).toEqual(['j1']);
    expect(await pod.pullAll('contacts')).toEqual([]); // Maya's and Olu's contacts are not in the cover
    const note = (id: string, account: string) => ({
      activity_id: id,
      account_id: account,
      type: 'note',
      at: '2026-03-01T12:00:00Z',
      summary: 'covering for Jo',
    });
    expect((await pod.post('/v1/activities', { items: [note('actv_pod', 'j1')] })).status).toBe(200);
    const refused = await pod.post('/v1/activities', { items: [note('actv_pod2', 'j2'), note('actv_pod3', 'm03')] });
    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ error: 'account m03 is not in your book' });
    // Jo's own app receives the covering colleague's note on Jo's account; Maya's does not.
    expect((await client(hub.url, tokens.jo!).pullAll('activities')).map((a) => a.actor_email)).toEqual([
      'pod@team.example',
    ]);
    // A cursor made before the cover changed is refused (410), so the app reads the wider book again.
    const page = await (await pod.get('/v1/accounts?limit=1')).json();
    expect((await admin.post('/v1/admin/covers', { email: 'pod@team.example', covers: [JO, OTHER] })).status).toBe(200);
    expect((await pod.get(`/v1/accounts?limit=1&cursor=${page.next_cursor}`)).status).toBe(410);
    expect(await accountsOf()).toEqual(['j1', 'j2', 'o1']);
    expect((await pod.post('/v1/admin/covers', { email: 'pod@team.example', covers: [] })).status).toBe(403);
    const lead = await admin.post('/v1/admin/covers', { email: LEAD, covers: [JO] });
    expect(lead.status).toBe(400);
    expect((await lead.json()).error).toMatch(/^Only a csm covers colleagues' books/);
    expect(await accountsOf()).toEqual(['j1', 'j2', 'o1']); // the refused change changed nothing
    if (hub.dir) {
      // The CLI changes it through the running embedded hub's local door; '' ends every cover.
      const ended = await runCliAsync([
        'hub',
        'user',
        'cover',
        'POD@team.example',
        '--covers',
        '',
        '--embedded',
        hub.dir,
      ]);
      expect(ended.stdout.trim()).toBe('pod@team.example covers nobody now; their app keeps what it already received.');
      expect(await accountsOf()).toEqual([]);
    }
  });
  it('answers 410 to a lead’s cursor once a CSM joins or leaves the team, so the app reads the team again', async () => {
    const admin = client(hub.url, tokens.admin!);
    const lead = client(hub.url, tokens.lead!);
    const teamAccounts = async () => (await lead.pullAll('accounts', 5)).map((a) => a.account_id);
    expect(await teamAccounts()).not.toContain('o1');
    const before = await (await lead.get('/v1/accounts?limit=5')).json();
    expect((await lead.get(`/v1/accounts?limit=5&cursor=${before.next_cursor}`)).status).toBe(200);
    // Olu moves to the north team: o1's rows are older than the lead's cursor, so it is refused.
    expect((await admin.post('/v1/admin/users', { email: OTHER, role: 'csm', team: 'north' })).status).toBe(201);
    expect((await lead.get(`/v1/accounts?limit=5&cursor=${before.next_cursor}`)).status).toBe(410);
    expect(await teamAccounts()).toContain('o1');
    const joined = await (await lead.get('/v1/metrics?limit=1')).json();
    // And back: leaving the team changes the scope as well.
    expect((await admin.post('/v1/admin/users', { email: OTHER, role: 'csm', team: 'south' })).status).toBe(201);
    expect((await lead.get(`/v1/metrics?limit=1&cursor=${joined.next_cursor}`)).status).toBe(410);
    expect(await teamAccounts()).not.toContain('o1');
  });
});
