/**
 * Warehouse tables read in place (`hub link`), on both stores: the feed serves a linked table's
 * valid rows in each CSM's scope, with cursors and pushes as for loaded rows; rows breaking the
 * contract are not served and `checkLinks` words them; the contract in SQL gives the app's
 * verdicts (zod schemas) on the same rows; linking again answers 410; unlinking goes back to the
 * loaded tables.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { coerceRecord, DEFAULT_COERCE } from '../../src/domain/ingest/coerce.ts';
import { validateRecord } from '../../src/domain/ingest/validate.ts';
import { checkLinks, linkTables, unlinkTables } from '../../src/hub/link/link.ts';
import { client, sharedPostgres, startTestHub, stopSharedPostgres, type Backend } from '../support/hub.ts';
import { postgresUnavailable } from '../support/postgres.ts';

const pg = await sharedPostgres();
const backends: Backend[] = pg ? ['embedded', 'pg'] : ['embedded'];
if (!pg) process.stderr.write(`hub-link.test: real PostgreSQL skipped: ${postgresUnavailable}\n`);
afterAll(() => stopSharedPostgres());

const MAYA = 'maya@team.example';
const JO = 'jo@team.example';

const WAREHOUSE = `
  CREATE SCHEMA warehouse;
  CREATE TABLE warehouse.crm_accounts (id text PRIMARY KEY, account_name text, csm text, arr text, currency text, renewal date);
  INSERT INTO warehouse.crm_accounts VALUES
    ('A1', 'Acme', '${MAYA}', '1200', 'usd', '2026-09-01'),
    ('A2', 'Beta', '${MAYA}', '800.5', NULL, NULL),
    ('A3', 'Gamma', '${MAYA}', 'abc', 'USD', NULL),
    ('B1', 'Delta', '${JO}', '5000', 'EUR', NULL);
  CREATE TABLE warehouse.usage (account_id text, day date, metric text, value double precision);
  INSERT INTO warehouse.usage VALUES
    ('A1', '2026-02-01', 'active_users', 5), ('A1', '2026-02-02', 'active_users', 6),
    ('A2', '2026-02-01', 'logins', 9), ('B1', '2026-02-01', 'active_users', 7),
    ('A1', '2026-02-03', 'Active Users', 1), ('Z9', '2026-02-01', 'active_users', 3);
`;

describe.each(backends)('hub link on %s', (backend) => {
  it('serves linked warehouse tables in place, scoped and checked, until unlinked', async () => {
    const hub = (await startTestHub(backend))!;
    try {
      await hub.store.exec(WAREHOUSE);
      const maya = client(hub.url, await hub.addUser(MAYA, 'csm'));
      const links = await linkTables(
        hub.store,
        {
          relations: { accounts: 'warehouse.crm_accounts', metrics: 'warehouse.usage' },
          map: ['id=account_id', 'account_name=name', 'csm=owner_email', 'renewal=renewal_date', 'metrics.day=date'],
        },
        'test',
      );
      expect(links.map((l) => [l.kind, l.columns])).toEqual([
        [
          'accounts',
          {
            account_id: 'id',
            name: 'account_name',
            owner_email: 'csm',
            arr: 'arr',
            currency: 'currency',
            renewal_date: 'renewal',
          },
        ],
        ['metrics', { account_id: 'account_id', date: 'day', metric: 'metric', value: 'value' }],
      ]);
      const accounts = await maya.pullAll('accounts', 1);
      expect(accounts.map((a) => [a.account_id, a.arr, a.currency, a.renewal_date])).toEqual([
        ['A1', 1200, 'USD', '2026-09-01'],
        ['A2', 800.5, 'USD', null],
      ]);
      expect(accounts[0]).toMatchObject({ name: 'Acme', owner_email: MAYA, status: 'active', seats_purchased: null });
      const metrics = await maya.pullAll('metrics', 2);
      expect(metrics.map((m) => `${m.account_id} ${m.date} ${m.metric} ${m.value}`)).toEqual([
        'A1 2026-02-01 active_users 5',
        'A1 2026-02-02 active_users 6',
        'A2 2026-02-01 logins 9',
      ]);
      expect(await checkLinks(hub.store)).toEqual([
        {
          kind: 'accounts',
          relation: 'warehouse.crm_accounts',
          rows: 4,
          refused: 1,
          problems: ["warehouse.crm_accounts row account_id=A3: arr: 'abc' is not a number"],
        },
        {
          kind: 'metrics',
          relation: 'warehouse.usage',
          rows: 6,
          refused: 2,
          problems: [
            "warehouse.usage row account_id=A1, metric=Active Users, date=2026-02-03: metric: 'Active Users' must be a lower-case name such as active_users",
            "warehouse.usage row account_id=Z9, metric=active_users, date=2026-02-01: account_id: 'Z9' is not an account in the hub",
          ],
        },
      ]);
      // Pushes name linked accounts: the owner comes from the warehouse.
      const snooze = {
        action_id: 'act-1',
        account_id: 'A1',
        trigger_id: 'low_usage',
        action: 'snooze',
        at: '2026-02-05T10:00:00Z',
        snooze_until: '2026-03-01',
      };
      expect((await maya.post('/v1/item_actions', { items: [snooze] })).status).toBe(200);
      expect(
        (await maya.post('/v1/item_actions', { items: [{ ...snooze, action_id: 'x', account_id: 'B1' }] })).status,
      ).toBe(422);
      // Read in place: a row the warehouse adds is served at the next page, no load in between.
      const last = await (await maya.get('/v1/accounts?limit=2')).json();
      await hub.store.exec(`INSERT INTO warehouse.crm_accounts VALUES ('A4', 'Epsilon', '${MAYA}', '10', NULL, NULL)`);
      const next = await (await maya.get(`/v1/accounts?limit=2&cursor=${last.next_cursor}`)).json();
      expect(next.items.map((a: { account_id: string }) => a.account_id)).toEqual(['A4']);
      // Linking again is a new version: older cursors answer 410 and the app reads the kind again.
      await linkTables(hub.store, { relations: { metrics: 'warehouse.usage' }, map: ['day=date'] }, 'test');
      const page = await (await maya.get('/v1/metrics?limit=1')).json();
      await linkTables(hub.store, { relations: { metrics: 'warehouse.usage' }, map: ['day=date'] }, 'test');
      expect((await maya.get(`/v1/metrics?limit=1&cursor=${page.next_cursor}`)).status).toBe(410);
      await expect(
        linkTables(hub.store, { relations: { events: 'warehouse.nothing' }, map: [] }, 'test'),
      ).rejects.toThrow(/^warehouse\.nothing is not a table or view in the hub's database/);
      await expect(
        linkTables(hub.store, { relations: { metrics: 'warehouse.usage' }, map: [] }, 'test'),
      ).rejects.toThrow(
        'warehouse.usage gives no column for date (the metrics contract needs it); name it with --map COLUMN=date.',
      );
      expect(await unlinkTables(hub.store, [], 'test')).toEqual(['accounts', 'metrics']);
      expect(await maya.pullAll('accounts')).toEqual([]);
    } finally {
      await hub.stopAll();
    }
  }, 60_000);

  it('gives the app’s verdict on the same rows (the contract in SQL against the zod schemas)', async () => {
    const hub = (await startTestHub(backend))!;
    try {
      const rows: Record<string, string | null>[] = [
        { account_id: 'ok', name: 'Fine', arr: '10', currency: 'eur', status: 'churned', timezone: 'Europe/Berlin' },
        { account_id: ' ', name: 'Blank id', arr: '1' },
        { account_id: 'n1', name: null, arr: '1' },
        { account_id: 'n2', name: 'Neg', arr: '-5' },
        { account_id: 'n3', name: 'Cur', arr: '5', currency: 'EURO' },
        { account_id: 'n4', name: 'Seats', arr: '5', seats_purchased: '2.5' },
        { account_id: 'n5', name: 'Day', arr: '5', renewal_date: '2026-02-30' },
        { account_id: 'n6', name: 'Status', arr: '5', status: 'paused' },
        { account_id: 'n7', name: 'Zone', arr: '5', timezone: 'Mars/Olympus' },
        { account_id: 'n8', name: 'Mail', arr: '5', owner_email: 'not-an-email' },
        { account_id: 'n9', name: 'When', arr: '5', updated_at: 'yesterday' },
        { account_id: 'n10', name: 'Instant', arr: '5', updated_at: '2026-02-01T10:00:00+02:00' },
      ];
      const fields = [
        'account_id',
        'name',
        'owner_email',
        'arr',
        'currency',
        'seats_purchased',
        'renewal_date',
        'status',
        'timezone',
        'updated_at',
      ];
      await hub.store.exec(`CREATE SCHEMA wh; CREATE TABLE wh.a (${fields.map((f) => `${f} text`).join(', ')})`);
      for (const row of rows)
        await hub.store.query(
          `INSERT INTO wh.a (${fields.join(', ')}) VALUES (${fields.map((_, i) => `$${i + 1}`).join(', ')})`,
          fields.map((f) => row[f] ?? null),
        );
      await linkTables(hub.store, { relations: { accounts: 'wh.a' }, map: [] }, 'test');
      const sql = await hub.store.query<{ id: string; problem: string | null; item: Record<string, unknown> | null }>(
        `SELECT raw_account_id AS id, problem, item FROM hub_linked.accounts_checked`,
      );
      for (const row of rows) {
        const raw = Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null));
        const app = validateRecord('accounts', coerceRecord('accounts', raw, DEFAULT_COERCE), DEFAULT_COERCE);
        const hubRow = sql.find((r) => r.id === row.account_id)!;
        if (app.ok) expect({ id: row.account_id, item: hubRow.item }).toEqual({ id: row.account_id, item: app.record });
        else
          expect({ id: row.account_id, problem: hubRow.problem }).toEqual({
            id: row.account_id,
            problem: `${app.field}: ${app.reason}`,
          });
      }
    } finally {
      await hub.stopAll();
    }
  }, 60_000);
});
