/**
 * `foresight hub link`: the hub reads a kind from a table of the data team's own warehouse in place
 * (same database, another schema; postgres_fdw for another server, docs/team-hub.md). Linking
 * records the relation and the column of each contract field, and makes a view in schema
 * hub_linked, `<kind>_checked`: every row with `problem` (null, or the first broken field and why)
 * and `item` (the record the feed serves). Nothing is copied: a pull reads the warehouse's rows at
 * that moment (pull-linked.ts). `hub link --check` lists the refused rows;
 * `hub unlink` drops the views and the feed serves the hub's loaded tables again.
 */
import { UserFacingError } from '../../domain/errors.ts';
import type { RecordKind } from '../../shared/dto/core.ts';
import type { HubQuery, HubStore } from '../store/store.ts';
import { contractSelect, LINK_FIELDS, REQUIRED_FIELDS, type Column } from './contract-sql.ts';

export const LINK_KINDS: readonly RecordKind[] = ['accounts', 'contacts', 'metrics', 'events'];

/** The columns a linked kind's pages are ordered and resumed by: its account, then its own key. */
export const LINK_KEYS: Record<RecordKind, readonly string[]> = {
  accounts: ['account_id'],
  contacts: ['account_id', 'contact_id'],
  metrics: ['account_id', 'metric', 'contact_id', 'date'],
  events: ['account_id', 'event_id'],
};

export interface LinkRequest {
  /** kind → relation ("schema.table"). */
  relations: Partial<Record<RecordKind, string>>;
  /** "column=field" or "kind.column=field": a column whose name is not the contract's. */
  map: readonly string[];
}

export interface Link {
  kind: RecordKind;
  relation: string;
  columns: Record<string, string>;
  version: number;
}

export interface LinkCheck {
  kind: RecordKind;
  relation: string;
  rows: number;
  refused: number;
  /** The first refused rows as sentences ("warehouse.accounts row account_id=A17: arr: 'abc' is not a number"). */
  problems: string[];
}

const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
const RELATION = /^([A-Za-z_][A-Za-z0-9_$]*)\.([A-Za-z_][A-Za-z0-9_$]*)$/;

function parseMap(map: readonly string[], kind: RecordKind, available: Map<string, string>): Map<string, string> {
  const fields = new Map<string, string>();
  for (const entry of map) {
    const match = /^(?:(accounts|contacts|metrics|events)\.)?([^=\s]+)=([a-z_]+)$/.exec(entry.trim());
    if (!match)
      throw new UserFacingError(
        'HUB_LINK_BAD',
        `--map ${entry}: write column=field or kind.column=field, e.g. --map accounts.arr_usd=arr.`,
      );
    const [, forKind, column, field] = match;
    if (forKind ? forKind !== kind : !available.has(column!)) continue;
    if (!LINK_FIELDS[kind].some(([name]) => name === field)) {
      if (forKind)
        throw new UserFacingError(
          'HUB_LINK_BAD',
          `--map ${entry}: ${kind} have no field ${field} in the data contract.`,
        );
      continue;
    }
    fields.set(field!, column!);
  }
  return fields;
}

async function sourceColumns(db: HubQuery, relation: string): Promise<Map<string, string>> {
  const match = RELATION.exec(relation);
  if (!match)
    throw new UserFacingError('HUB_LINK_BAD', `${relation}: name the table as schema.table (e.g. warehouse.accounts).`);
  const rows = await db.query<{ name: string; type: string }>(
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns
      WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
    [match[1], match[2]],
  );
  if (rows.length === 0)
    throw new UserFacingError(
      'HUB_LINK_BAD',
      `${relation} is not a table or view in the hub's database (link another server's table through postgres_fdw, docs/team-hub.md).`,
    );
  return new Map(rows.map((r) => [r.name, r.type]));
}

/** The contract field → source column of one kind: a --map entry, else the column of the field's name. */
async function resolveColumns(
  db: HubQuery,
  kind: RecordKind,
  relation: string,
  map: readonly string[],
): Promise<Record<string, string>> {
  const available = await sourceColumns(db, relation);
  const mapped = parseMap(map, kind, available);
  const columns: Record<string, string> = {};
  for (const [field] of LINK_FIELDS[kind]) {
    const column = mapped.get(field) ?? (available.has(field) ? field : null);
    if (column === null) continue;
    if (!available.has(column))
      throw new UserFacingError('HUB_LINK_BAD', `${relation} has no column ${column} (mapped to ${kind}.${field}).`);
    columns[field] = column;
  }
  const missing = REQUIRED_FIELDS[kind].filter((field) => !(field in columns));
  if (missing.length > 0)
    throw new UserFacingError(
      'HUB_LINK_BAD',
      `${relation} gives no column for ${missing.join(', ')} (the ${kind} contract needs ${missing.length > 1 ? 'them' : 'it'}); name it with --map COLUMN=${missing[0]}.`,
    );
  return columns;
}

const CURRENCIES = Intl.supportedValuesOf('currency');

async function createViews(db: HubQuery, kind: RecordKind, relation: string, columns: Record<string, string>) {
  const types = await sourceColumns(db, relation);
  const typed: Record<string, Column> = {};
  for (const [field, column] of Object.entries(columns))
    typed[field] = { sql: `src.${ident(column)}`, type: types.get(column) ?? 'text' };
  const [schema, table] = relation.split('.') as [string, string];
  await db.query(`DROP VIEW IF EXISTS hub_linked.${kind}_checked CASCADE`);
  await db.query(
    `CREATE VIEW hub_linked.${kind}_checked AS ${contractSelect(
      kind,
      `${ident(schema)}.${ident(table)}`,
      typed,
      CURRENCIES,
      [...LINK_KEYS[kind], 'owner_email'],
    )}`,
  );
}

/** hub_account_owners: the linked accounts once accounts are linked (as the feed serves them), else the loaded ones. */
async function refreshOwners(db: HubQuery, accountsLinked: boolean) {
  await db.query(
    `CREATE OR REPLACE VIEW hub_account_owners AS SELECT ${
      accountsLinked
        ? 'key_account_id AS account_id, key_owner_email AS owner_email FROM hub_linked.accounts_checked WHERE problem IS NULL'
        : 'account_id, owner_email FROM accounts'
    }`,
  );
}

export async function listLinks(db: HubQuery): Promise<Link[]> {
  const rows = await db.query<{ kind: RecordKind; relation: string; columns: Record<string, string>; version: string }>(
    'SELECT kind, relation, columns, version::text AS version FROM hub_links ORDER BY kind',
  );
  return rows.map((r) => ({ ...r, version: Number(r.version) }));
}

export async function linkTables(store: HubStore, request: LinkRequest, actor: string): Promise<Link[]> {
  const kinds = LINK_KINDS.filter((kind) => request.relations[kind]);
  if (kinds.length === 0)
    throw new UserFacingError(
      'HUB_LINK_BAD',
      'Name at least one table: --accounts, --contacts, --metrics or --events.',
    );
  return store.transaction(async (tx) => {
    const links: Link[] = [];
    for (const kind of kinds) {
      const relation = request.relations[kind]!;
      const columns = await resolveColumns(tx, kind, relation, request.map);
      links.push({ kind, relation, columns, version: 0 });
    }
    const linkedNow = new Set([...(await listLinks(tx)).map((l) => l.kind), ...kinds]);
    // Children read their owner through hub_account_owners, which reads the accounts link.
    for (const link of links.filter((l) => l.kind === 'accounts')) {
      await tx.query('CREATE OR REPLACE VIEW hub_account_owners AS SELECT account_id, owner_email FROM accounts');
      await createViews(tx, link.kind, link.relation, link.columns);
    }
    await refreshOwners(tx, linkedNow.has('accounts'));
    for (const link of links.filter((l) => l.kind !== 'accounts'))
      await createViews(tx, link.kind, link.relation, link.columns);
    for (const link of links) {
      const rows = await tx.query<{ version: string }>(
        `INSERT INTO hub_links (kind, relation, columns, version) VALUES ($1, $2, $3::jsonb, nextval('hub_link_version'))
         ON CONFLICT (kind) DO UPDATE SET relation = excluded.relation, columns = excluded.columns, version = excluded.version, linked_at = now()
         RETURNING version::text AS version`,
        [link.kind, link.relation, JSON.stringify(link.columns)],
      );
      link.version = Number(rows[0]!.version);
    }
    await tx.query(`INSERT INTO hub_audit (actor_email, action, kind, count, detail) VALUES ($1, 'link', $2, $3, $4)`, [
      actor,
      kinds.join(','),
      links.length,
      links.map((l) => `${l.kind} from ${l.relation}`).join(', '),
    ]);
    return links;
  });
}

export async function unlinkTables(
  store: HubStore,
  kinds: readonly RecordKind[],
  actor: string,
): Promise<RecordKind[]> {
  return store.transaction(async (tx) => {
    const linked = (await listLinks(tx)).map((l) => l.kind);
    const dropping = (kinds.length ? kinds : linked).filter((k) => linked.includes(k));
    if (dropping.includes('accounts')) await refreshOwners(tx, false);
    for (const kind of dropping) {
      await tx.query(`DROP VIEW IF EXISTS hub_linked.${kind}_checked`);
      await tx.query('DELETE FROM hub_links WHERE kind = $1', [kind]);
    }
    if (dropping.length)
      await tx.query(
        `INSERT INTO hub_audit (actor_email, action, kind, count, detail) VALUES ($1, 'unlink', $2, $3, $4)`,
        [actor, dropping.join(','), dropping.length, `unlinked ${dropping.join(', ')}`],
      );
    return dropping;
  });
}

/** Counts each linked kind's rows and refused rows, and words the first `limit` refusals. */
export async function checkLinks(db: HubQuery, limit = 20): Promise<LinkCheck[]> {
  const out: LinkCheck[] = [];
  for (const link of await listLinks(db)) {
    // A row is named by its key as the warehouse gave it: "account_id=A1, metric=logins, date=…".
    const name = LINK_KEYS[link.kind]
      .filter((k) => k in link.columns)
      .map((k) => `'${k}=' || coalesce(c.raw_${k}, '(empty)')`)
      .join(` || ', ' || `);
    const order = LINK_KEYS[link.kind].map((k) => `c.raw_${k}`).join(', ');
    const counts = await db.query<{ rows: number; refused: number }>(
      `SELECT count(*)::int AS rows, (count(*) FILTER (WHERE problem IS NOT NULL))::int AS refused FROM hub_linked.${link.kind}_checked`,
    );
    const orphans =
      link.kind === 'accounts'
        ? []
        : await db.query<{ row: string; account_id: string; n: number }>(
            `SELECT ${name} AS row, c.account_id, count(*) OVER ()::int AS n
               FROM hub_linked.${link.kind}_checked c WHERE c.problem IS NULL
                AND NOT EXISTS (SELECT 1 FROM hub_account_owners o WHERE o.account_id = c.account_id)
              ORDER BY ${order} LIMIT $1`,
            [limit],
          );
    const refused = await db.query<{ row: string; problem: string }>(
      `SELECT ${name} AS row, c.problem FROM hub_linked.${link.kind}_checked c WHERE c.problem IS NOT NULL ORDER BY ${order} LIMIT $1`,
      [limit],
    );
    out.push({
      kind: link.kind,
      relation: link.relation,
      rows: counts[0]!.rows,
      refused: counts[0]!.refused + (orphans[0]?.n ?? 0),
      problems: [
        ...refused.map((r) => `${link.relation} row ${r.row}: ${r.problem}`),
        ...orphans.map(
          (o) => `${link.relation} row ${o.row}: account_id: '${o.account_id}' is not an account in the hub`,
        ),
      ].slice(0, limit),
    });
  }
  return out;
}
