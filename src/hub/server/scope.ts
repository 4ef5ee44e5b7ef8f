/**
 * Whose rows a token may read and write. A csm sees the accounts they own, a lead those owned by
 * anyone in their team (themselves included), an admin everything. Every table the hub serves
 * carries its account's owner_email, so the scope is one condition on that column.
 */
import type { HubUser } from '../auth/users.ts';
import type { HubQuery } from '../store/store.ts';

export interface Scope {
  /** SQL condition on `owner_email`, its parameters numbered from `first`. */
  condition(first: number): { sql: string; params: unknown[] };
  /** Part of every ETag: two users asking the same URL see different pages. */
  key: string;
}

export function scopeOf(user: HubUser): Scope {
  const key = `${user.role}:${user.email}:${user.team}`;
  switch (user.role) {
    case 'admin':
      return { key, condition: () => ({ sql: 'TRUE', params: [] }) };
    case 'lead':
      return {
        key,
        condition: (n) => ({
          sql: `owner_email IN (SELECT email FROM hub_users WHERE team = $${n})`,
          params: [user.team],
        }),
      };
    case 'csm':
      return { key, condition: (n) => ({ sql: `owner_email = $${n}`, params: [user.email] }) };
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
    `SELECT account_id FROM accounts WHERE account_id = ANY($1::text[]) AND ${sql}`,
    [unique, ...params],
  );
  const inScope = new Set(rows.map((r) => r.account_id));
  return unique.find((id) => !inScope.has(id)) ?? null;
}
