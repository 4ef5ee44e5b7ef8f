/**
 * `npm run bench:hub [-- --accounts N] [-- --days D] [-- --book B] [-- --pg URL]`: the team hub at
 * scale on a real PostgreSQL (a throwaway cluster unless --pg is given), each figure beside its
 * baseline:
 *
 * - load: N accounts × D days of metrics (2 a day) and events through the hub's load path (the
 *   contract check in Node, COPY into staging, the merge with seq and owner), one transaction per
 *   kind as `hub load` does per file, against COPY alone of the same rows into the same (indexed)
 *   tables of an empty database; both sides generate their rows as they go;
 * - first pull: one CSM's whole book of B accounts over HTTP as the app pulls it (pages of 1,000,
 *   all seven kinds, cursors and JSON), against a plain SELECT of the same rows by a pg client.
 *
 * `--scale-point` runs the 1,000,000-account scale point instead (scale.ts). Writes
 * bench/hub/results.json and prints a table. docs/team-hub.md records the figures.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { validateRecord } from '../../src/domain/ingest/validate.ts';
import { DEFAULT_COERCE } from '../../src/domain/ingest/coerce.ts';
import { csvField, mergeRecords, WRITER_LOCK, type StagedRecord } from '../../src/hub/load/stage.ts';
import { openHubStore } from '../../src/hub/store/open.ts';
import type { RecordKind } from '../../src/shared/dto/core.ts';
import { startPostgres } from '../../test/support/postgres.ts';
import { bookCounts, bookRows, ownerOf, type BookShape } from './book.ts';
import { firstPull, linkedPull, seconds } from './measure.ts';

if (process.argv.includes('--scale-point')) {
  await import('./scale.ts');
  process.exit(0);
}

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '10000' },
    days: { type: 'string', default: '90' },
    book: { type: 'string', default: '5000' },
    pg: { type: 'string' },
    out: { type: 'string' },
  },
});
const shape: BookShape = { accounts: Number(values.accounts), days: Number(values.days), book: Number(values.book) };
const KINDS: RecordKind[] = ['accounts', 'contacts', 'metrics', 'events'];
const log = (line: string) => process.stdout.write(`${line}\n`);

let shared: Awaited<ReturnType<typeof startPostgres>> | undefined;
async function database(name: string): Promise<string> {
  if (values.pg) {
    const admin = new pg.Client({ connectionString: values.pg });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return values.pg.replace(/\/[^/]*$/, `/${name}`);
  }
  const cluster = (shared ??= await startPostgres());
  if (!cluster) throw new Error('No PostgreSQL could be started here; pass --pg URL.');
  return cluster.createDatabase(name);
}

function* validated(kind: RecordKind): Generator<StagedRecord> {
  let line = 1;
  for (const raw of bookRows(kind, shape)) {
    const checked = validateRecord(kind, raw, DEFAULT_COERCE);
    if (!checked.ok) throw new Error(`generated ${kind} row ${line} is invalid: ${checked.reason}`);
    yield { line: ++line, record: checked.record };
  }
}

async function hubLoad(url: string): Promise<number> {
  const store = await openHubStore({ pgUrl: url });
  const start = process.hrtime.bigint();
  for (const kind of KINDS)
    await store.transaction(async (tx) => {
      await tx.query(WRITER_LOCK);
      await mergeRecords(store, tx, kind, validated(kind));
    });
  const elapsed = seconds(start);
  await store.close();
  return elapsed;
}

const FINAL_COLUMNS: Record<RecordKind, string[]> = {
  accounts: ['account_id', 'owner_email', 'body', 'seq'],
  contacts: ['contact_id', 'account_id', 'owner_email', 'body', 'seq'],
  metrics: ['account_id', 'metric', 'contact_id', 'date', 'value', 'owner_email', 'seq'],
  events: ['event_id', 'account_id', 'owner_email', 'body', 'seq'],
};

/** The final tables' rows as CSV, owner and seq worked out here: what COPY alone is given. */
function* finalCsv(kind: RecordKind, next: () => number): Generator<string> {
  yield FINAL_COLUMNS[kind].join(',') + '\n';
  let batch = '';
  let n = 0;
  for (const r of bookRows(kind, shape)) {
    const owner = ownerOf(Number(String(r.account_id).slice(4)), shape.book);
    const values: unknown[] =
      kind === 'accounts'
        ? [r.account_id, owner, r]
        : kind === 'metrics'
          ? [r.account_id, r.metric, r.contact_id, r.date, r.value, owner]
          : [kind === 'contacts' ? r.contact_id : r.event_id, r.account_id, owner, r];
    batch += [...values, next()].map(csvField).join(',') + '\n';
    if (++n % 2000 === 0) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

/** COPY alone: the same rows straight into the final tables (seq and owner computed as they go). */
async function copyAlone(url: string): Promise<number> {
  const store = await openHubStore({ pgUrl: url });
  let seq = 0;
  const start = process.hrtime.bigint();
  for (const kind of KINDS)
    await store.copyCsv(
      kind,
      FINAL_COLUMNS[kind],
      finalCsv(kind, () => ++seq),
    );
  const elapsed = seconds(start);
  await store.close();
  return elapsed;
}

const counts = bookCounts(shape);
const rows = KINDS.reduce((sum, kind) => sum + counts[kind], 0);
log(
  `hub bench: ${shape.accounts.toLocaleString('en')} accounts × ${shape.days} days (${counts.metrics.toLocaleString('en')} metric rows, ${counts.events.toLocaleString('en')} events); CSM book ${shape.book.toLocaleString('en')}`,
);
const copy = await copyAlone(await database('bench_hub_copy'));
log(`COPY alone            ${copy.toFixed(1)} s   (${Math.round(rows / copy).toLocaleString('en')} rows/s)`);
const hubDb = await database('bench_hub_load');
const load = await hubLoad(hubDb);
log(
  `hub load              ${load.toFixed(1)} s   (${Math.round(rows / load).toLocaleString('en')} rows/s, ${(load / copy).toFixed(2)}× COPY alone)`,
);
const pull = await firstPull(hubDb, ownerOf(0, shape.book));
log(
  `first pull (${shape.book} accounts, ${pull.items.toLocaleString('en')} items) ${pull.pull.toFixed(1)} s over HTTP; plain SELECT of the same ${pull.rows.toLocaleString('en')} rows ${pull.select.toFixed(1)} s (${(pull.pull / pull.select).toFixed(1)}×)`,
);
const linked = await linkedPull(hubDb, ownerOf(0, shape.book));
log(
  `first pull of the same book from linked warehouse tables (${linked.items.toLocaleString('en')} items) ${linked.seconds.toFixed(1)} s (${(linked.seconds / pull.pull).toFixed(1)}× the loaded tables)`,
);
writeFileSync(
  values.out ?? join(import.meta.dirname, 'results.json'),
  JSON.stringify(
    {
      ...shape,
      rows: counts,
      seconds: {
        copy_alone: copy,
        hub_load: load,
        first_pull: pull.pull,
        plain_select: pull.select,
        first_pull_linked: linked.seconds,
      },
      linked_items: linked.items,
      rows_per_second: { copy_alone: rows / copy, hub_load: rows / load },
      pulled_items: pull.items,
      selected_rows: pull.rows,
      at: new Date().toISOString(),
    },
    null,
    2,
  ) + '\n',
);
await shared?.stop();
