/**
 * The hub bench's read-side figures, shared by the 10,000-account run (run.ts) and the scale point
 * (scale.ts): a CSM's first pull over HTTP as the app pulls it (pages of 1,000, all seven kinds,
 * cursors and JSON) against a plain SELECT of the same rows by a pg client; and the lead's report.
 */
import pg from 'pg';
import { linkTables } from '../../src/hub/link/link.ts';
import { hubReport } from '../../src/hub/report/report.ts';
import { startHub } from '../../src/hub/server/start.ts';
import { openHubStore } from '../../src/hub/store/open.ts';

export const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const KINDS = ['accounts', 'contacts', 'metrics', 'events', 'item_actions', 'interventions', 'activities'];

export async function firstPull(
  url: string,
  csm: string,
  team?: string,
): Promise<{ pull: number; select: number; items: number; rows: number }> {
  const pull = await pullOverHttp(url, csm, team);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let rows = 0;
  const selectStart = process.hrtime.bigint();
  for (const kind of KINDS)
    rows += (await client.query(`SELECT * FROM ${kind} WHERE owner_email = $1`, [csm])).rowCount ?? 0;
  const select = seconds(selectStart);
  await client.end();
  return { pull: pull.seconds, select, items: pull.items, rows };
}

/** One CSM's whole book over HTTP, every kind page by page as the app pulls it. */
async function pullOverHttp(url: string, csm: string, team?: string): Promise<{ seconds: number; items: number }> {
  const hub = await startHub({ pgUrl: url, port: 0, rateLimit: { burst: 1e9, perSecond: 1e9 } });
  const token = await hub.addUser(csm, 'csm', team);
  let items = 0;
  const start = process.hrtime.bigint();
  for (const kind of KINDS) {
    let cursor: string | null = null;
    for (;;) {
      const response: Response = await fetch(`${hub.url}/v1/${kind}?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      const page = (await response.json()) as { items: unknown[]; next_cursor: string | null };
      items += page.items.length;
      if (!page.next_cursor) break;
      cursor = page.next_cursor;
    }
  }
  const elapsed = seconds(start);
  await hub.close();
  return { seconds: elapsed, items };
}

/**
 * The same book read in place: the loaded rows become warehouse tables (schema wh, keyed as a
 * warehouse would: accounts by id with an index on the owner, metrics by account, metric and day),
 * the hub's own tables are emptied, the tables are linked, and the CSM pulls again.
 */
export async function linkedPull(url: string, csm: string): Promise<{ seconds: number; items: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS wh CASCADE; CREATE SCHEMA wh;
    CREATE TABLE wh.accounts AS SELECT account_id, body->>'name' AS name, owner_email, (body->>'arr')::numeric AS arr, body->>'currency' AS currency FROM accounts;
    ALTER TABLE wh.accounts ADD PRIMARY KEY (account_id); CREATE INDEX ON wh.accounts (owner_email);
    CREATE TABLE wh.contacts AS SELECT contact_id, account_id, body->>'name' AS name, (body->>'is_champion')::boolean AS is_champion FROM contacts;
    ALTER TABLE wh.contacts ADD PRIMARY KEY (contact_id); CREATE INDEX ON wh.contacts (account_id, contact_id);
    CREATE TABLE wh.metrics AS SELECT account_id, date, metric, value FROM metrics;
    ALTER TABLE wh.metrics ADD PRIMARY KEY (account_id, metric, date);
    CREATE TABLE wh.events AS SELECT event_id, account_id, (body->>'occurred_at')::timestamptz AS occurred_at, body->>'type' AS type FROM events;
    ALTER TABLE wh.events ADD PRIMARY KEY (event_id); CREATE INDEX ON wh.events (account_id, event_id);
    TRUNCATE accounts, contacts, metrics, events; ANALYZE`);
  await client.end();
  const store = await openHubStore({ pgUrl: url });
  await linkTables(
    store,
    {
      relations: { accounts: 'wh.accounts', contacts: 'wh.contacts', metrics: 'wh.metrics', events: 'wh.events' },
      map: [],
    },
    'bench',
  );
  await store.close();
  return pullOverHttp(url, csm);
}

/** The outcome report for one user of the hub, timed; its intervention count says what it covered. */
export async function timedReport(
  url: string,
  user: { email: string; role: 'lead' | 'admin' | 'csm'; team: string },
  asOf: string,
): Promise<{ seconds: number; interventions: number; csms: number }> {
  const store = await openHubStore({ pgUrl: url });
  try {
    const start = process.hrtime.bigint();
    const report = await hubReport(store, { user, asOf });
    return { seconds: seconds(start), interventions: report.interventions, csms: report.csms.length };
  } finally {
    await store.close();
  }
}
