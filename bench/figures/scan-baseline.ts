/**
 * The scoring baseline: one SQL aggregate scan over every metric row, grouped by account and
 * metric, with all the rows returned to JavaScript. It is the floor for reading the data once:
 * no scorer that looks at every value can beat it.
 */
import type { Db } from '../../src/domain/db/open.ts';
import { timed } from '../lib/timed.ts';

export const SCAN_SQL = `SELECT account_id, metric, count(*) AS n, sum(value) AS total, min(value) AS low, max(value) AS high, max(date) AS latest
FROM metrics GROUP BY account_id, metric`;

/** The scan's wall and CPU milliseconds in this process. */
export async function aggregateScan(db: Db): Promise<{ ms: number; cpuMs: number; groups: number; rows: number }> {
  const statement = db.prepare<[], { n: number }>(SCAN_SQL);
  const { value: groups, ms, cpuMs } = await timed(() => statement.all());
  return { ms, cpuMs, groups: groups.length, rows: groups.reduce((sum, g) => sum + g.n, 0) };
}
