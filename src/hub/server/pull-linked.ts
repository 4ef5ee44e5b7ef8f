/**
 * GET /v1/{kind} for a kind linked to a warehouse table (src/hub/link): the valid rows in the
 * caller's scope, read in place, in the order of their account and own key. The cursor is "after
 * this key, in link version V, for scope T": linking again (a new version) or a changed scope
 * answers 410 and the app reads the kind again from the start. The ETag is a digest of the page
 * itself, since the warehouse changes rows without the hub knowing.
 */
import { createHash } from 'node:crypto';
import type { RecordKind } from '../../shared/dto/core.ts';
import type { HubUser } from '../auth/users.ts';
import { LINK_KEYS } from '../link/link.ts';
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

export async function pullLinkedPage(
  db: HubQuery,
  user: HubUser,
  kind: RecordKind,
  version: number,
  query: { cursor: string | null; limit: number; ifNoneMatch: string | null },
): Promise<PullAnswer> {
  const scope = scopeOf(user);
  const keys = LINK_KEYS[kind].map((k) => `key_${k}`);
  const after = decodeLinkCursor(query.cursor, version, scope.tag, keys.length);
  if (after === null)
    return {
      status: 410,
      body: JSON.stringify({ error: 'this cursor was made for an earlier link of this table or another book' }),
    };
  const condition = scope.condition(2 + after.length);
  const from = after.length ? `AND (${keys.join(', ')}) > (${keys.map((_, i) => `$${i + 2}`).join(', ')})` : '';
  const rows = await db.query<{ item: string; key: string[] }>(
    `SELECT item::text AS item, ARRAY[${keys.join(', ')}] AS key FROM hub_linked.${kind}
      WHERE ${condition.sql} ${from} ORDER BY ${keys.join(', ')} LIMIT $1`,
    [query.limit, ...after, ...condition.params],
  );
  const body = `{"items":[${rows.map((r) => r.item).join(',')}],"next_cursor":${JSON.stringify(
    rows.length === query.limit ? encodeLinkCursor(version, scope.tag, rows.at(-1)!.key) : null,
  )}}`;
  const etag = `"${createHash('sha256').update(`${scope.key}|${version}|${body}`).digest('base64url').slice(0, 22)}"`;
  if (query.ifNoneMatch === etag) return { status: 304, etag };
  return { status: 200, etag, body };
}
