/**
 * Valid records into the hub's tables: COPY into a temporary staging table, then one set-based
 * merge per kind that writes only rows that differ, gives each a new `seq` (so feeds see it as
 * changed) and stamps child rows with their account's owner. Children of an unknown account are
 * not merged; their lines are returned for the quarantine. When an account changes hands its
 * children and logs move to the new owner's feed (new owner_email and seq).
 */
import type { RecordKind } from '../../shared/dto/core.ts';
import type { HubQuery, HubStore } from '../store/store.ts';

export interface StagedRecord {
  line: number | null;
  record: Record<string, unknown>;
}

export interface MergeResult {
  written: number;
  unchanged: number;
  /** Child rows whose account the hub does not know: the first ORPHAN_SAMPLE by line, and how many. */
  orphans: { line: number | null; account_id: string }[];
  orphanCount: number;
}

/** Orphans returned as examples; all of them stay in the staging table (orphanSql) for the quarantine. */
export const ORPHAN_SAMPLE = 200;

/** The staged rows of a child kind whose account the hub does not know (`s` is the staging table). */
export const orphanSql = (kind: RecordKind) =>
  `FROM stage_${kind} s WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.account_id = s.account_id)`;

/** Serialises writers, so rows commit in seq order and a feed cursor never skips one. */
export const WRITER_LOCK = 'SELECT pg_advisory_xact_lock(7250002)';

const STAGE_COLUMNS: Record<RecordKind, readonly string[]> = {
  accounts: ['line', 'account_id', 'owner_email', 'body'],
  contacts: ['line', 'contact_id', 'account_id', 'body'],
  metrics: ['line', 'account_id', 'metric', 'contact_id', 'date', 'value'],
  events: ['line', 'event_id', 'account_id', 'body'],
};

const STAGE_TYPES: Record<string, string> = {
  line: 'integer',
  value: 'double precision',
  date: 'date',
  body: 'jsonb',
};

/** A CSV field: unquoted empty is NULL for COPY, so text is always quoted. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `"${text.replaceAll('"', '""')}"`;
}

function stageValues(kind: RecordKind, r: Record<string, unknown>): unknown[] {
  switch (kind) {
    case 'accounts':
      return [r.account_id, r.owner_email ?? null, r];
    case 'contacts':
      return [r.contact_id, r.account_id, r];
    case 'metrics':
      return [r.account_id, r.metric, r.contact_id ?? '', r.date, r.value];
    case 'events':
      return [r.event_id, r.account_id, r];
  }
}

/** One valid record as a row of its kind's staging table (CSV, ending with a newline). */
export function stageRow(kind: RecordKind, line: number | null, record: Record<string, unknown>): string {
  return [line, ...stageValues(kind, record)].map(csvField).join(',') + '\n';
}

export function* stageCsv(kind: RecordKind, records: Iterable<StagedRecord>): Generator<string> {
  yield STAGE_COLUMNS[kind].join(',') + '\n';
  let batch = '';
  let rows = 0;
  for (const { line, record } of records) {
    batch += stageRow(kind, line, record);
    if (++rows % 2000 === 0) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

const KEYS: Record<RecordKind, string> = {
  accounts: 'account_id',
  contacts: 'contact_id',
  metrics: 'account_id, metric, contact_id, date',
  events: 'event_id',
};

const MERGE: Record<Exclude<RecordKind, 'accounts'>, string> = {
  contacts: `INSERT INTO contacts (contact_id, account_id, owner_email, body, seq)
      SELECT s.contact_id, s.account_id, a.owner_email, s.body, nextval('hub_seq') FROM latest s JOIN accounts a USING (account_id)
      ON CONFLICT (contact_id) DO UPDATE SET account_id = excluded.account_id, owner_email = excluded.owner_email, body = excluded.body, seq = excluded.seq
      WHERE contacts.body IS DISTINCT FROM excluded.body OR contacts.owner_email IS DISTINCT FROM excluded.owner_email`,
  metrics: `INSERT INTO metrics (account_id, metric, contact_id, date, value, owner_email, seq)
      SELECT s.account_id, s.metric, s.contact_id, s.date, s.value, a.owner_email, nextval('hub_seq') FROM latest s JOIN accounts a USING (account_id)
      ON CONFLICT (account_id, metric, contact_id, date) DO UPDATE SET value = excluded.value, owner_email = excluded.owner_email, seq = excluded.seq
      WHERE metrics.value IS DISTINCT FROM excluded.value OR metrics.owner_email IS DISTINCT FROM excluded.owner_email`,
  events: `INSERT INTO events (event_id, account_id, owner_email, body, seq)
      SELECT s.event_id, s.account_id, a.owner_email, s.body, nextval('hub_seq') FROM latest s JOIN accounts a USING (account_id)
      ON CONFLICT (event_id) DO UPDATE SET account_id = excluded.account_id, owner_email = excluded.owner_email, body = excluded.body, seq = excluded.seq
      WHERE events.body IS DISTINCT FROM excluded.body OR events.owner_email IS DISTINCT FROM excluded.owner_email`,
};

const ACCOUNT_MERGE = `INSERT INTO accounts (account_id, owner_email, body, seq)
    SELECT account_id, owner_email, body, nextval('hub_seq') FROM latest
    ON CONFLICT (account_id) DO UPDATE SET owner_email = excluded.owner_email, body = excluded.body, seq = excluded.seq, updated_at = now()
    WHERE accounts.body IS DISTINCT FROM excluded.body OR accounts.owner_email IS DISTINCT FROM excluded.owner_email`;

const ANALYZE_AFTER = 10_000;
/** Staged rows from which a load into an empty table rebuilds its indexes rather than maintain them. */
const REBUILD_AT = 10_000;

async function isEmpty(tx: HubQuery, table: RecordKind): Promise<boolean> {
  const rows = await tx.query<{ empty: boolean }>(`SELECT NOT EXISTS (SELECT 1 FROM ${table}) AS empty`);
  return rows[0]?.empty === true;
}

/**
 * Drops a table's indexes (its primary key too) and returns the statements that make them again,
 * read from the catalog so the migrations stay their one definition.
 */
async function dropIndexes(tx: HubQuery, table: RecordKind): Promise<string[]> {
  const indexes = await tx.query<{ name: string; def: string; constraint_name: string | null }>(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def, c.conname AS constraint_name
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
       LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid AND c.contype = 'p'
      WHERE x.indrelid = $1::regclass ORDER BY i.relname`,
    [table],
  );
  const again: string[] = [];
  for (const index of indexes) {
    if (index.constraint_name) {
      await tx.query(`ALTER TABLE ${table} DROP CONSTRAINT ${index.constraint_name}`);
      again.push(
        index.def,
        `ALTER TABLE ${table} ADD CONSTRAINT ${index.constraint_name} PRIMARY KEY USING INDEX ${index.name}`,
      );
    } else {
      await tx.query(`DROP INDEX ${index.name}`);
      again.push(index.def);
    }
  }
  return again;
}

/** Tables whose rows follow their account's owner. */
export const OWNED_TABLES = ['contacts', 'metrics', 'events', 'item_actions', 'interventions', 'activities'] as const;

/** Stages and merges valid records of a kind, inside `tx` (which holds WRITER_LOCK). */
export async function mergeRecords(
  store: HubStore,
  tx: HubQuery,
  kind: RecordKind,
  records: Iterable<StagedRecord>,
): Promise<MergeResult> {
  const stage = await createStage(tx, kind);
  const staged = await store.copyCsv(stage.table, stage.columns, stageCsv(kind, records), tx);
  return mergeStaged(tx, kind, staged);
}

/** An empty temporary staging table for a kind (dropped at commit); rows go in with COPY of `columns`. */
export async function createStage(
  tx: HubQuery,
  kind: RecordKind,
): Promise<{ table: string; columns: readonly string[] }> {
  const table = `stage_${kind}`;
  const columns = STAGE_COLUMNS[kind];
  await tx.query(`DROP TABLE IF EXISTS ${table}`);
  await tx.query(
    `CREATE TEMP TABLE ${table} (${columns.map((c) => `${c} ${STAGE_TYPES[c] ?? 'text'}`).join(', ')}) ON COMMIT DROP`,
  );
  return { table, columns };
}

/** Merges the `staged` rows of a kind's staging table (createStage) into the hub's table. */
export async function mergeStaged(tx: HubQuery, kind: RecordKind, staged: number): Promise<MergeResult> {
  const table = `stage_${kind}`;
  // The last line of a key wins, as in the app's import.
  const latest = `latest AS (SELECT DISTINCT ON (${KEYS[kind]}) * FROM ${table} ORDER BY ${KEYS[kind]}, line DESC)`;
  let orphans: (MergeResult['orphans'][number] & { n?: number })[] = [];
  let moved = 0;
  if (kind === 'accounts') {
    await tx.query('DROP TABLE IF EXISTS moved_accounts');
    await tx.query(
      `CREATE TEMP TABLE moved_accounts ON COMMIT DROP AS
       WITH ${latest} SELECT l.account_id FROM latest l JOIN accounts a USING (account_id)
        WHERE a.owner_email IS DISTINCT FROM l.owner_email`,
    );
    moved = Number((await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM moved_accounts'))[0]?.n ?? 0);
  } else {
    orphans = await tx.query<{ line: number | null; account_id: string; n: number }>(
      `SELECT line, account_id, (count(*) OVER ())::int AS n ${orphanSql(kind)} ORDER BY line LIMIT ${ORPHAN_SAMPLE}`,
    );
  }
  const sql = kind === 'accounts' ? ACCOUNT_MERGE : MERGE[kind];
  // A first load into an empty table: its indexes are dropped and built once over the loaded rows,
  // several times cheaper than maintaining them row by row (nobody reads the table meanwhile).
  const rebuild = staged >= REBUILD_AT && (await isEmpty(tx, kind)) ? await dropIndexes(tx, kind) : null;
  const rows = await tx.query<{ n: number }>(
    `WITH ${latest}, w AS (${rebuild ? sql.slice(0, sql.indexOf('ON CONFLICT')) : sql} RETURNING 1) SELECT count(*)::int AS n FROM w`,
  );
  if (rebuild) for (const statement of rebuild) await tx.query(statement);
  const written = Number(rows[0]?.n ?? 0);
  if (moved > 0) {
    for (const owned of OWNED_TABLES)
      await tx.query(
        `UPDATE ${owned} t SET owner_email = a.owner_email, seq = nextval('hub_seq') FROM accounts a
          WHERE a.account_id = t.account_id AND a.account_id IN (SELECT account_id FROM moved_accounts)`,
      );
  }
  // Fresh statistics after a bulk write: without them the planner guesses a few rows per owner and
  // sorts a whole book to serve one page.
  if (written >= ANALYZE_AFTER) await tx.query(`ANALYZE ${kind}`);
  const orphanCount = orphans[0]?.n ?? 0;
  return {
    written,
    unchanged: Math.max(0, staged - orphanCount - written),
    orphans: orphans.map(({ line, account_id }) => ({ line, account_id })),
    orphanCount,
  };
}
