/**
 * The hub bench's read-side figures, shared by the 10,000-account run (run.ts) and the scale point
 * (scale.ts): a CSM's first pull over HTTP as the app pulls it (pages of 1,000, all seven kinds,
 * cursors and JSON) against a plain SELECT of the same rows by a pg client; and the lead's report.
 */
import pg from 'pg';
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
  const pull = seconds(start);
  await hub.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let rows = 0;
  const selectStart = process.hrtime.bigint();
  for (const kind of KINDS)
    rows += (await client.query(`SELECT * FROM ${kind} WHERE owner_email = $1`, [csm])).rowCount ?? 0;
  const select = seconds(selectStart);
  await client.end();
  return { pull, select, items, rows };
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
