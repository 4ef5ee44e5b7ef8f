/** The hub's users (email, role, team) and their hashed tokens. */
import { z } from 'zod';
import { UserFacingError } from '../../domain/errors.ts';
import type { HubQuery, HubStore } from '../store/store.ts';
import { hashToken, looksLikeToken, newToken } from './tokens.ts';

export const HUB_ROLES = ['csm', 'lead', 'admin'] as const;
export type HubRole = (typeof HUB_ROLES)[number];
export const DEFAULT_TEAM = 'default';

export interface HubUser {
  email: string;
  role: HubRole;
  team: string;
  /** The colleagues whose books a csm covers (their accounts are in this user's scope too). */
  covers?: readonly string[];
  /** A lead's team as it is now (every user of the team, sorted): part of the lead's cursor tag. */
  members?: readonly string[];
}

/** What `hub user add` takes; `covers` left out keeps the user's current covers. */
export interface NewUserInput {
  email: string;
  role: string;
  team?: string | null;
  covers?: readonly string[] | null;
}

const email = z.email();

export function checkNewUser(input: NewUserInput): HubUser {
  const address = input.email.trim().toLowerCase();
  if (!email.safeParse(address).success)
    throw new UserFacingError('HUB_BAD_USER', `'${input.email}' is not an email address.`);
  if (!(HUB_ROLES as readonly string[]).includes(input.role))
    throw new UserFacingError('HUB_BAD_USER', `The role '${input.role}' is not one of csm, lead or admin.`);
  const team = (input.team ?? DEFAULT_TEAM).trim();
  if (team.length === 0 || team.length > 100)
    throw new UserFacingError('HUB_BAD_USER', 'The team name must be 1 to 100 characters.');
  const user: HubUser = { email: address, role: input.role as HubRole, team };
  if (input.covers == null) return user;
  return { ...user, covers: checkCovers(user, input.covers) };
}

/** The covered emails, lower-cased and checked: only a csm covers, never themselves. */
export function checkCovers(user: Pick<HubUser, 'email' | 'role'>, covers: readonly string[]): string[] {
  const list = [...new Set(covers.map((c) => c.trim().toLowerCase()).filter((c) => c.length > 0))].sort();
  if (list.length > 0 && user.role !== 'csm')
    throw new UserFacingError(
      'HUB_BAD_USER',
      `Only a csm covers colleagues' books; ${user.email} is a ${user.role} (a lead already reads the team's).`,
    );
  const bad = list.find((c) => !email.safeParse(c).success);
  if (bad !== undefined) throw new UserFacingError('HUB_BAD_USER', `--covers: '${bad}' is not an email address.`);
  if (list.includes(user.email))
    throw new UserFacingError('HUB_BAD_USER', `${user.email} cannot cover their own book; name colleagues.`);
  return list;
}

/** Replaces the books a user covers. */
export async function setCovers(db: HubQuery, email: string, covers: readonly string[]): Promise<void> {
  await db.query('DELETE FROM hub_covers WHERE email = $1', [email]);
  for (const covered of covers)
    await db.query('INSERT INTO hub_covers (email, covers_email) VALUES ($1, $2)', [email, covered]);
}

/** Changes whose books an existing user covers (`hub user cover`); the audit log records it. */
export async function changeCovers(
  store: HubStore,
  input: { email: string; covers: readonly string[] },
  actor: string,
): Promise<HubUser> {
  const address = input.email.trim().toLowerCase();
  return store.transaction(async (tx) => {
    const rows = await tx.query<HubUser>('SELECT email, role, team FROM hub_users WHERE email = $1', [address]);
    const found = rows[0];
    if (!found)
      throw new UserFacingError('HUB_BAD_USER', `${input.email} is not a hub user; add them with hub user add first.`);
    const covers = checkCovers(found, input.covers);
    await setCovers(tx, found.email, covers);
    await tx.query(
      `INSERT INTO hub_audit (actor_email, action, kind, count, detail) VALUES ($1, 'user cover', 'users', $2, $3)`,
      [actor, covers.length, `${found.email} covers ${covers.join(', ') || 'nobody'}`],
    );
    return { ...found, covers };
  });
}

/** Makes a user without a token unless one with that email exists (the demo book's owners). */
export async function ensureUser(db: HubQuery, user: HubUser): Promise<void> {
  await db.query('INSERT INTO hub_users (email, role, team) VALUES ($1, $2, $3) ON CONFLICT (email) DO NOTHING', [
    user.email,
    user.role,
    user.team,
  ]);
}

/** Creates or updates the user, without a token. */
export async function upsertUser(db: HubQuery, user: HubUser): Promise<void> {
  await db.query(
    `INSERT INTO hub_users (email, role, team) VALUES ($1, $2, $3)
     ON CONFLICT (email) DO UPDATE SET role = excluded.role, team = excluded.team`,
    [user.email, user.role, user.team],
  );
}

/** Revokes every live token of a user; returns how many. */
async function revokeTokens(db: HubQuery, email: string): Promise<number> {
  const rows = await db.query(
    'UPDATE hub_tokens SET revoked_at = now() WHERE email = $1 AND revoked_at IS NULL RETURNING 1',
    [email],
  );
  return rows.length;
}

/**
 * Adds (or updates) a user and gives them a new token, returned once. The user's earlier tokens
 * are revoked (a token re-issued because it leaked must stop working); `revoked` says how many.
 * The audit log records who did it.
 */
export async function addUserWithToken(
  store: HubStore,
  input: NewUserInput,
  actor: string,
): Promise<{ user: HubUser; token: string; revoked: number }> {
  const user = checkNewUser(input);
  const token = newToken();
  const revoked = await store.transaction(async (tx) => {
    await upsertUser(tx, user);
    if (user.covers) await setCovers(tx, user.email, user.covers);
    else if (user.role !== 'csm') await setCovers(tx, user.email, []);
    const revoked = await revokeTokens(tx, user.email);
    await tx.query('INSERT INTO hub_tokens (token_hash, email) VALUES ($1, $2)', [hashToken(token), user.email]);
    await tx.query(
      `INSERT INTO hub_audit (actor_email, action, kind, count, detail) VALUES ($1, 'user add', 'users', 1, $2)`,
      [
        actor,
        `${user.email} as ${user.role} in ${user.team}${user.covers?.length ? `, covering ${user.covers.join(', ')}` : ''}${revoked ? `; ${revoked} earlier token(s) revoked` : ''}`,
      ],
    );
    return revoked;
  });
  return { user, token, revoked };
}

/**
 * `hub user remove`: revokes every token of the user and ends their covers. The user's row, and
 * everything they pushed, stay: their interventions still count in the team's report, and their
 * email still owns its accounts. `hub user add` again gives them a new token.
 */
export async function removeUser(
  store: HubStore,
  input: { email: string },
  actor: string,
): Promise<{ email: string; revoked: number }> {
  const address = input.email.trim().toLowerCase();
  if (address === '') throw new UserFacingError('HUB_BAD_USER', 'Say whose access to remove: the email is empty.');
  return store.transaction(async (tx) => {
    const found = await tx.query<{ email: string }>('SELECT email FROM hub_users WHERE email = $1', [address]);
    if (found.length === 0) throw new UserFacingError('HUB_BAD_USER', `${input.email} is not a hub user.`);
    const revoked = await revokeTokens(tx, address);
    await setCovers(tx, address, []);
    await tx.query(
      `INSERT INTO hub_audit (actor_email, action, kind, count, detail) VALUES ($1, 'user remove', 'users', $2, $3)`,
      [actor, revoked, `${address}: ${revoked} token(s) revoked`],
    );
    return { email: address, revoked };
  });
}

/** The user a bearer token belongs to, or null (unknown, revoked or malformed). */
export async function userForToken(db: HubQuery, token: string): Promise<HubUser | null> {
  if (!looksLikeToken(token)) return null;
  const rows = await db.query<HubUser & { covers: string; members: string | null }>(
    `SELECT u.email, u.role, u.team,
            COALESCE((SELECT json_agg(c.covers_email ORDER BY c.covers_email) FROM hub_covers c WHERE c.email = u.email), '[]'::json)::text AS covers,
            CASE WHEN u.role = 'lead' THEN (SELECT json_agg(m.email ORDER BY m.email) FROM hub_users m WHERE m.team = u.team)::text END AS members
       FROM hub_tokens t JOIN hub_users u ON u.email = t.email
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL`,
    [hashToken(token)],
  );
  const row = rows[0];
  if (!row) return null;
  const { members, ...user } = row;
  return {
    ...user,
    covers: JSON.parse(row.covers) as string[],
    ...(members !== null ? { members: JSON.parse(members) as string[] } : {}),
  };
}
