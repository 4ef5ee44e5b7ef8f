/**
 * `npm run bench:hub -- --scale-point [--accounts 1000000] [--days 90] [--csms 100] [--book 5000] [--pg URL] [--reuse]`:
 * the scale point. Fills a hub with SQL (scale-fill.ts says why and how), then measures on it a
 * CSM's first pull of a `book`-account book over HTTP against a plain SELECT of the same rows, and
 * the outcome report for a lead (a team of ten CSMs) and for an admin (every account). `--reuse`
 * measures a database filled by an earlier run. Writes bench/hub/scale-results.json.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openHubStore } from '../../src/hub/store/open.ts';
import { startPostgres } from '../../test/support/postgres.ts';
import { firstPull, seconds, timedReport } from './measure.ts';
import { csmEmail, fillScaleHub, leadEmail, type ScaleShape } from './scale-fill.ts';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--scale-point'),
  options: {
    accounts: { type: 'string', default: '1000000' },
    days: { type: 'string', default: '90' },
    csms: { type: 'string', default: '100' },
    book: { type: 'string', default: '5000' },
    'team-size': { type: 'string', default: '10' },
    pg: { type: 'string' },
    reuse: { type: 'boolean', default: false },
  },
});
const shape: ScaleShape = {
  accounts: Number(values.accounts),
  days: Number(values.days),
  csms: Number(values.csms),
  book: Number(values.book),
  teamSize: Number(values['team-size']),
};
const log = (line: string) => process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const NAME = 'bench_hub_scale';

const cluster = values.pg ? null : await startPostgres();
const server = values.pg ?? cluster?.url;
if (!server) throw new Error('No PostgreSQL could be started here; pass --pg URL.');
const url = server.replace(/\/[^/]*$/, `/${NAME}`);
if (!values.reuse) {
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${NAME}`);
  await admin.query(`CREATE DATABASE ${NAME}`);
  await admin.end();
  await (await openHubStore({ pgUrl: url })).close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  log(`filling ${shape.accounts.toLocaleString('en')} accounts × ${shape.days} days, ${shape.csms} CSMs`);
  const start = process.hrtime.bigint();
  await fillScaleHub(client, shape, log);
  log(`filled in ${seconds(start).toFixed(0)} s`);
  await client.end();
}

const sizes = async () => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const rows = (
    await client.query<{ name: string; rows: string; total: string; indexes: string }>(
      `SELECT c.relname AS name, c.reltuples::bigint::text AS rows, pg_total_relation_size(c.oid)::text AS total,
              pg_indexes_size(c.oid)::text AS indexes
         FROM pg_class c WHERE c.relname IN ('accounts', 'contacts', 'metrics', 'events', 'interventions', 'item_actions', 'activities')`,
    )
  ).rows;
  const database = (await client.query<{ size: string }>('SELECT pg_database_size(current_database())::text AS size'))
    .rows[0]!.size;
  await client.end();
  return {
    database_bytes: Number(database),
    tables: Object.fromEntries(
      rows.map((r) => [r.name, { rows: Number(r.rows), bytes: Number(r.total), index_bytes: Number(r.indexes) }]),
    ),
  };
};

const storage = await sizes();
log(`database ${(storage.database_bytes / 1e9).toFixed(1)} GB`);
const pull = await firstPull(url, csmEmail(0), 'team00');
log(
  `first pull of ${csmEmail(0)} (${pull.items.toLocaleString('en')} items) ${pull.pull.toFixed(1)} s over HTTP; plain SELECT ${pull.select.toFixed(1)} s (${(pull.pull / pull.select).toFixed(1)}×)`,
);
const asOf = '2026-03-01';
const lead = await timedReport(url, { email: leadEmail(0), role: 'lead', team: 'team00' }, asOf);
log(`lead report (${lead.csms} CSMs, ${lead.interventions} interventions) ${lead.seconds.toFixed(2)} s`);
const admin = await timedReport(url, { email: 'admin@bench.example', role: 'admin', team: 'default' }, asOf);
log(`whole-hub report (${admin.csms} CSMs, ${admin.interventions} interventions) ${admin.seconds.toFixed(2)} s`);
writeFileSync(
  join(import.meta.dirname, 'scale-results.json'),
  JSON.stringify(
    {
      shape,
      filled_by: 'SQL generate_series straight into the hub tables (bench/hub/scale-fill.ts)',
      storage,
      first_pull: { csm: csmEmail(0), seconds: pull.pull, items: pull.items },
      plain_select: { seconds: pull.select, rows: pull.rows },
      lead_report: lead,
      admin_report: admin,
      at: new Date().toISOString(),
    },
    null,
    2,
  ) + '\n',
);
await cluster?.stop();
