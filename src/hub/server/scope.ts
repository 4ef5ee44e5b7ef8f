/**
 * Whose rows a token may read and write. A csm sees the accounts they own and those of the
 * colleagues they cover (hub_covers), a lead those owned by anyone in their team (themselves
 * included), an admin everything. Every table the hub serves carries its account's owner_email, so
 * the scope is one condition on that column: the owners in scope.
 */
import { createHash } from 'node:crypto';
import type { HubUser } from '../auth/users.ts';
import type { HubQuery } from '../store/store.ts';

export interface Scope {
  /** SQL condition on `owner_email`, its parameters numbered from `first`. */
  condition(first: number): { sql: string; params: unknown[] };
  /** A query of the owner emails in scope (one column, `email`), or null for everything (admin). */
  owners(first: number): { sql: string; params: unknown[] } | null;
  /** Part of every ETag: two users asking the same URL see different pages. */
  key: string;
  /** Short digest of the key, carried in cursors: a cursor made for another scope is refused. */
  tag: string;
}

export function scopeOf(user: HubUser): Scope {
  const covers = user.role === 'csm' ? [...(user.covers ?? [])].sort() : [];
  // A lead's scope is whoever is in the team now: a member added or moved changes the tag, so the
  // lead's older cursors (past the newcomer's rows) are refused and the app reads again.
  const members = user.role === 'lead' && user.members ? `:${[...user.members].sort().join(',')}` : '';
  const key = `${user.role}:${user.email}:${user.team}${covers.length ? `:${covers.join(',')}` : ''}${members}`;
  const tag = createHash('sha256').update(key).digest('base64url').slice(0, 8);
  switch (user.role) {
    case 'admin':
      return { key, tag, condition: () => ({ sql: 'TRUE', params: [] }), owners: () => null };
    case 'lead': {
      const owners = (n: number) => ({ sql: `SELECT email FROM hub_users WHERE team = $${n}`, params: [user.team] });
      return {
        key,
        tag,
        owners,
        condition: (n) => ({ sql: `owner_email IN (${owners(n).sql})`, params: [user.team] }),
      };
    }
    case 'csm': {
      const emails = [user.email, ...covers];
      return {
        key,
        tag,
        owners: (n) => ({ sql: `SELECT unnest($${n}::text[]) AS email`, params: [emails] }),
        condition: (n) => ({ sql: `owner_email = ANY($${n}::text[])`, params: [emails] }),
      };
    }
  }
}

/** The first of these accounts outside the user's book (or unknown to the hub), or null when all are in it. */
export async function firstOutOfScope(
  db: HubQuery,
  user: HubUser,
  accountIds: readonly string[],
): Promise<string | null> {
  const unique = [...new Set(accountIds)];
  if (unique.length === 0) return null;
  const { sql, params } = scopeOf(user).condition(2);
  const rows = await db.query<{ account_id: string }>(
    `SELECT account_id FROM hub_account_owners WHERE account_id = ANY($1::text[]) AND ${sql}`,
    [unique, ...params],
  );
  const inScope = new Set(rows.map((r) => r.account_id));
  return unique.find((id) => !inScope.has(id)) ?? null;
}
