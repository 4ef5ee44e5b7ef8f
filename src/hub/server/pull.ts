/**
 * GET /v1/{kind}: one page of a kind in the caller's scope after the cursor, as
 * docs/feed-protocol.md says (items, next_cursor, ETag, 304, 410). Items are built as JSON text in
 * SQL and joined, so a page of 1,000 metrics is not parsed and re-serialised in Node.
 */
import { createHash } from 'node:crypto';
import type { HubUser } from '../auth/users.ts';
import type { HubQuery } from '../store/store.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { pullLinkedPage } from './pull-linked.ts';
import { scopeOf } from './scope.ts';

export const PULL_KINDS = [
  'accounts',
  'contacts',
  'metrics',
  'events',
  'item_actions',
  'interventions',
  'activities',
] as const;
export type PullKind = (typeof PULL_KINDS)[number];

export const DEFAULT_PAGE = 1000;
export const MAX_PAGE = 5000;

const ITEM: Record<PullKind, string> = {
  accounts: 'body',
  contacts: 'body',
  metrics: `json_build_object('account_id', account_id, 'date', date, 'metric', metric, 'value', value, 'contact_id', contact_id)`,
  events: 'body',
  item_actions: `json_build_object('action_id', action_id, 'account_id', account_id, 'trigger_id', trigger_id, 'action', action,
    'at', at, 'snooze_until', snooze_until, 'reason', reason, 'actor_email', actor_email)`,
  interventions: `body || jsonb_build_object('actor_email', actor_email)`,
  activities: `body || jsonb_build_object('actor_email', actor_email)`,
};

export type PullAnswer =
  { status: 200; body: string; etag: string } | { status: 304; etag: string } | { status: 410; body: string };

export async function pullPage(
  db: HubQuery,
  user: HubUser,
  kind: PullKind,
  query: { cursor: string | null; limit: number | null; ifNoneMatch: string | null },
): Promise<PullAnswer> {
  const limit = Math.max(1, Math.min(MAX_PAGE, query.limit ?? DEFAULT_PAGE));
  if (kind === 'accounts' || kind === 'contacts' || kind === 'metrics' || kind === 'events') {
    // A kind linked to a warehouse table is read there, in place (src/hub/link).
    const link = await db.query<{ version: string; columns: Record<string, string> }>(
      'SELECT version::text AS version, columns FROM hub_links WHERE kind = $1',
      [kind],
    );
    if (link[0])
      return pullLinkedPage(
        db,
        user,
        { kind, version: Number(link[0].version), columns: link[0].columns },
        { ...query, limit },
      );
  }
  const scope = scopeOf(user);
  const after = decodeCursor(query.cursor, scope.tag);
  if (after === null)
    return {
      status: 410,
      body: JSON.stringify({ error: 'this cursor is unknown to this hub or was made for a book that has changed' }),
    };
  const owners = scope.owners(3);
  const params = owners?.params ?? [];
  // A scope of several owners (a lead's team, a csm and the books they cover): the first `limit`
  // rows of each owner's (owner_email, seq) range, merged, so a page never sorts the whole scope's
  // remaining rows. An admin: the seq index.
  const page = owners
    ? `SELECT p.* FROM (${owners.sql}) u
         CROSS JOIN LATERAL (SELECT * FROM ${kind} WHERE owner_email = u.email AND seq > $1 ORDER BY seq LIMIT $2) p
        ORDER BY p.seq LIMIT $2`
    : `SELECT * FROM ${kind} WHERE seq > $1 ORDER BY seq LIMIT $2`;
  const rows = await db.query<{ seq: string; item: string }>(
    // The page is chosen first, on the index, and only its rows become JSON. Ordered by the
    // table's bigint seq, not the text column of the same name.
    `WITH page AS (${page})
     SELECT t.seq::text AS seq, (${ITEM[kind]})::text AS item FROM page t ORDER BY t.seq`,
    [after, limit, ...params],
  );
  if (after > 0 && rows.length === 0 && (await beyondLastSeq(db, after)))
    return { status: 410, body: JSON.stringify({ error: 'this cursor is from another hub or a restored backup' }) };
  const last = rows.at(-1)?.seq ?? null;
  const next = rows.length === limit && last !== null ? encodeCursor(last, scope.tag) : null;
  // A page's content is fixed by who asks, where it starts, and its last row and size: a changed
  // or new row in range always takes a greater seq than any before it.
  const etag = `"${createHash('sha256')
    .update(`${scope.key}|${kind}|${after}|${limit}|${rows.length}|${last ?? '-'}`)
    .digest('base64url')
    .slice(0, 22)}"`;
  if (query.ifNoneMatch === etag) return { status: 304, etag };
  return {
    status: 200,
    etag,
    body: `{"items":[${rows.map((r) => r.item).join(',')}],"next_cursor":${JSON.stringify(next)}}`,
  };
}

async function beyondLastSeq(db: HubQuery, seq: number): Promise<boolean> {
  const rows = await db.query<{ last: string; called: boolean }>(
    'SELECT last_value::text AS last, is_called AS called FROM hub_seq',
  );
  const row = rows[0];
  const issued = row && row.called ? Number(row.last) : 0;
  return seq > issued;
}
