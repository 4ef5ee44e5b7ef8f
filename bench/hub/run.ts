/**
 * `npm run bench:hub [-- --accounts N] [-- --days D] [-- --book B] [-- --pg URL]`: the team hub at
 * scale on a real PostgreSQL (a throwaway cluster unless --pg is given), each figure beside its
 * baseline:
 *
 * - load: N accounts × D days of metrics (2 a day) and events through the hub's load path (the
 *   contract check in Node, COPY into staging, the merge with seq and owner), against COPY alone
 *   of the same rows into the same tables of an empty database;
 * - first pull: one CSM's whole book of B accounts over HTTP as the app pulls it (pages of 1,000,
 *   all seven kinds, cursors and JSON), against a plain SELECT of the same rows by a pg client.
 *
 * Writes bench/hub/results.json and prints a table. docs/team-hub.md records the figures and the
 * extrapolation to 1,000,000 accounts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { validateRecord } from '../../src/domain/ingest/validate.ts';
import { DEFAULT_COERCE } from '../../src/domain/ingest/coerce.ts';
import { mergeRecords, stageCsv, WRITER_LOCK, type StagedRecord } from '../../src/hub/load/stage.ts';
import { openHubStore } from '../../src/hub/store/open.ts';
import type { RecordKind } from '../../src/shared/dto/core.ts';
import { startPostgres } from '../../test/support/postgres.ts';
import { generateBook, type Book } from './book.ts';
import { firstPull, seconds } from './measure.ts';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '10000' },
    days: { type: 'string', default: '90' },
    book: { type: 'string', default: '5000' },
    pg: { type: 'string' },
  },
});
const accounts = Number(values.accounts);
const days = Number(values.days);
const book = Number(values.book);

const log = (line: string) => process.stdout.write(`${line}\n`);

async function database(name: string): Promise<{ url: string; stop: () => Promise<void> }> {
  if (values.pg) {
    const admin = new pg.Client({ connectionString: values.pg });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    return { url: values.pg.replace(/\/[^/]*$/, `/${name}`), stop: async () => {} };
  }
  const cluster = (shared ??= await startPostgres());
  if (!cluster) throw new Error('No PostgreSQL could be started here; pass --pg URL.');
  return { url: await cluster.createDatabase(name), stop: async () => {} };
}
let shared: Awaited<ReturnType<typeof startPostgres>> | undefined;

async function hubLoad(url: string, data: Book): Promise<number> {
  const store = await openHubStore({ pgUrl: url });
  const start = process.hrtime.bigint();
  for (const kind of ['accounts', 'contacts', 'metrics', 'events'] as RecordKind[]) {
    const rows = data[kind];
    for (let from = 0; from < rows.length; from += 250_000) {
      const batch: StagedRecord[] = [];
      for (const [i, raw] of rows.slice(from, from + 250_000).entries()) {
        const checked = validateRecord(kind, raw, DEFAULT_COERCE);
        if (!checked.ok) throw new Error(`generated ${kind} row ${from + i} is invalid: ${checked.reason}`);
        batch.push({ line: from + i + 2, record: checked.record });
      }
      await store.transaction(async (tx) => {
        await tx.query(WRITER_LOCK);
        await mergeRecords(store, tx, kind, batch);
      });
    }
  }
  const elapsed = seconds(start);
  await store.close();
  return elapsed;
}

/** COPY alone: the same rows, already in CSV, straight into the final tables (seq and owner precomputed). */
async function copyAlone(url: string, data: Book): Promise<number> {
  const store = await openHubStore({ pgUrl: url });
  const owner = new Map(data.accounts.map((a) => [a.account_id as string, a.owner_email as string]));
  let seq = 0;
  const csv = (kind: RecordKind) => {
    const lines: string[] = [];
    for (const chunk of stageCsv(
      kind,
      data[kind].map((record) => ({ line: null, record })),
    ))
      lines.push(chunk);
    return lines;
  };
  // Rewrite the staging CSV into the final tables' columns: drop `line`, add owner_email and seq.
  const finalRows = (kind: RecordKind, lines: string[]) =>
    lines.map((chunk, index) =>
      index === 0
        ? null
        : chunk
            .split('\n')
            .filter(Boolean)
            .map((line) => {
              const rest = line.slice(line.indexOf(',') + 1);
              if (kind === 'accounts') return `${rest},${++seq}`;
              // Ids hold no commas, so the account id is the first (metrics) or second field.
              const account = kind === 'metrics' ? rest.split(',')[0]! : rest.split(',')[1]!;
              return `${rest},"${owner.get(account.replaceAll('"', '')) ?? ''}",${++seq}`;
            })
            .join('\n') + '\n',
    );
  const columns: Record<RecordKind, string[]> = {
    accounts: ['account_id', 'owner_email', 'body', 'seq'],
    contacts: ['contact_id', 'account_id', 'body', 'owner_email', 'seq'],
    metrics: ['account_id', 'metric', 'contact_id', 'date', 'value', 'owner_email', 'seq'],
    events: ['event_id', 'account_id', 'body', 'owner_email', 'seq'],
  };
  const prepared = Object.fromEntries(
    (['accounts', 'contacts', 'metrics', 'events'] as RecordKind[]).map((kind) => [kind, finalRows(kind, csv(kind))]),
  ) as Record<RecordKind, (string | null)[]>;
  const start = process.hrtime.bigint();
  for (const kind of ['accounts', 'contacts', 'metrics', 'events'] as RecordKind[]) {
    const body = prepared[kind].filter((c): c is string => c !== null);
    await store.copyCsv(kind, columns[kind], [columns[kind].join(',') + '\n', ...body]);
  }
  const elapsed = seconds(start);
  await store.close();
  return elapsed;
}

const data = generateBook({ accounts, days, book });
const counts = {
  accounts: data.accounts.length,
  contacts: data.contacts.length,
  metrics: data.metrics.length,
  events: data.events.length,
};
log(
  `hub bench: ${accounts.toLocaleString('en')} accounts × ${days} days (${counts.metrics.toLocaleString('en')} metric rows, ${counts.events.toLocaleString('en')} events); CSM book ${book.toLocaleString('en')}`,
);
const baselineDb = await database('bench_hub_copy');
const copy = await copyAlone(baselineDb.url, data);
log(`COPY alone            ${copy.toFixed(1)} s`);
const hubDb = await database('bench_hub_load');
const load = await hubLoad(hubDb.url, data);
log(`hub load              ${load.toFixed(1)} s   (${(load / copy).toFixed(1)}× COPY alone)`);
const pull = await firstPull(hubDb.url, data.csms[0]!);
log(
  `first pull (${book} accounts, ${pull.items.toLocaleString('en')} items) ${pull.pull.toFixed(1)} s over HTTP; plain SELECT of the same ${pull.rows.toLocaleString('en')} rows ${pull.select.toFixed(1)} s (${(pull.pull / pull.select).toFixed(1)}×)`,
);
writeFileSync(
  join(import.meta.dirname, 'results.json'),
  JSON.stringify(
    {
      accounts,
      days,
      book,
      rows: counts,
      seconds: { copy_alone: copy, hub_load: load, first_pull: pull.pull, plain_select: pull.select },
      pulled_items: pull.items,
      selected_rows: pull.rows,
      at: new Date().toISOString(),
    },
    null,
    2,
  ) + '\n',
);
await shared?.stop();
