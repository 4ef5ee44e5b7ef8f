/**
 * GET /v1/{kind} for a kind linked to a warehouse table (src/hub/link): the valid rows in the
 * caller's scope, read in place, in the order of their account and own key. A page takes the
 * next accounts in scope (the owners' index) and, for each, its next rows (the warehouse's index
 * on the account), so it costs one short range per account rather than a walk of the whole table.
 * The cursor is "after this key, in link version V, for scope T": linking again (a new version) or
 * a changed scope answers 410 and the app reads the kind again. The ETag is a digest of the page
 * itself, since the warehouse changes rows without the hub knowing.
 */
import { createHash } from 'node:crypto';
import type { RecordKind } from '../../shared/dto/core.ts';
import type { HubUser } from '../auth/users.ts';
import { LINK_KEYS, type Link } from '../link/link.ts';
import type { HubQuery } from '../store/store.ts';
import type { PullAnswer } from './pull.ts';
import { scopeOf } from './scope.ts';

export function encodeLinkCursor(version: number, tag: string, key: readonly string[]): string {
  return Buffer.from(`l:${version}:${tag}:${JSON.stringify(key)}`).toString('base64url');
}

/** The key after which the page starts ([] for the first page), or null for a cursor of another link or scope. */
export function decodeLinkCursor(cursor: string | null, version: number, tag: string, width: number): string[] | null {
  if (cursor === null || cursor === '') return [];
  const match = /^l:(\d{1,18}):([A-Za-z0-9_-]{1,16}):(\[.*\])$/s.exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  );
  if (!match || Number(match[1]) !== version || match[2] !== tag) return null;
  try {
    const key: unknown = JSON.parse(match[3]!);
    return Array.isArray(key) && key.length === width && key.every((k) => typeof k === 'string') ? key : null;
  } catch {
    return null;
  }
}

/** The page's SQL: $1 the page size, then the cursor's key (when resuming), then the scope's parameters. */
function pageSql(kind: RecordKind, rest: readonly string[], resuming: boolean, scope: string): string {
  const restParams = rest.map((_, i) => `$${i + 3}`);
  const after = !resuming
    ? ''
    : rest.length
      ? `AND (a.account_id > $2 OR (${rest.map((k) => `c.key_${k}`).join(', ')}) > (${restParams.join(', ')}))`
      : 'AND a.account_id > $2';
  // The cursor's account may have rows left after its key; the next accounts start afresh.
  const from = !resuming ? '' : rest.length ? 'AND account_id >= $2' : 'AND account_id > $2';
  return `WITH a AS (
      SELECT account_id FROM hub_account_owners
       WHERE ${scope} ${from} ORDER BY account_id LIMIT $1 + 1)
    SELECT p.item::text AS item, ARRAY[a.account_id::text${rest.map((k) => `, p.${k}::text`).join('')}] AS key
      FROM a CROSS JOIN LATERAL (
        SELECT c.item${rest.map((k) => `, c.key_${k} AS ${k}`).join('')} FROM hub_linked.${kind}_checked c
         WHERE c.key_account_id = a.account_id AND c.problem IS NULL ${after}
         ORDER BY ${rest.length ? rest.map((k) => `c.key_${k}`).join(', ') : '1'} LIMIT $1) p
     ORDER BY a.account_id${rest.map((k) => `, p.${k}`).join('')} LIMIT $1`;
}

export async function pullLinkedPage(
  db: HubQuery,
  user: HubUser,
  link: Pick<Link, 'kind' | 'version' | 'columns'>,
  query: { cursor: string | null; limit: number; ifNoneMatch: string | null },
): Promise<PullAnswer> {
  const scope = scopeOf(user);
  // The key fields the table gives (an unmapped contact_id is the same for every row).
  const rest = LINK_KEYS[link.kind].slice(1).filter((k) => k in link.columns);
  const after = decodeLinkCursor(query.cursor, link.version, scope.tag, rest.length + 1);
  if (after === null)
    return {
      status: 410,
      body: JSON.stringify({ error: 'this cursor was made for an earlier link of this table or another book' }),
    };
  const condition = scope.condition(2 + after.length);
  const rows = await db.query<{ item: string; key: string[] }>(
    pageSql(link.kind, rest, after.length > 0, condition.sql),
    [query.limit, ...after, ...condition.params],
  );
  const body = `{"items":[${rows.map((r) => r.item).join(',')}],"next_cursor":${JSON.stringify(
    rows.length === query.limit ? encodeLinkCursor(link.version, scope.tag, rows.at(-1)!.key) : null,
  )}}`;
  const etag = `"${createHash('sha256').update(`${scope.key}|${link.version}|${body}`).digest('base64url').slice(0, 22)}"`;
  if (query.ifNoneMatch === etag) return { status: 304, etag };
  return { status: 200, etag, body };
}
