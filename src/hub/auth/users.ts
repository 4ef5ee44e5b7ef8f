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
}

const email = z.email();

export function checkNewUser(input: { email: string; role: string; team?: string | null }): HubUser {
  const address = input.email.trim().toLowerCase();
  if (!email.safeParse(address).success)
    throw new UserFacingError('HUB_BAD_USER', `'${input.email}' is not an email address.`);
  if (!(HUB_ROLES as readonly string[]).includes(input.role))
    throw new UserFacingError('HUB_BAD_USER', `The role '${input.role}' is not one of csm, lead or admin.`);
  const team = (input.team ?? DEFAULT_TEAM).trim();
  if (team.length === 0 || team.length > 100)
    throw new UserFacingError('HUB_BAD_USER', 'The team name must be 1 to 100 characters.');
  return { email: address, role: input.role as HubRole, team };
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

/**
 * Adds (or updates) a user and gives them a new token, returned once. Earlier tokens of the user
 * stay valid until revoked. The audit log records who did it.
 */
export async function addUserWithToken(
  store: HubStore,
  input: { email: string; role: string; team?: string | null },
  actor: string,
): Promise<{ user: HubUser; token: string }> {
  const user = checkNewUser(input);
  const token = newToken();
  await store.transaction(async (tx) => {
    await upsertUser(tx, user);
    await tx.query('INSERT INTO hub_tokens (token_hash, email) VALUES ($1, $2)', [hashToken(token), user.email]);
    await tx.query(
      `INSERT INTO hub_audit (actor_email, action, kind, count, detail) VALUES ($1, 'user add', 'users', 1, $2)`,
      [actor, `${user.email} as ${user.role} in ${user.team}`],
    );
  });
  return { user, token };
}

/** The user a bearer token belongs to, or null (unknown, revoked or malformed). */
export async function userForToken(db: HubQuery, token: string): Promise<HubUser | null> {
  if (!looksLikeToken(token)) return null;
  const rows = await db.query<HubUser>(
    `SELECT u.email, u.role, u.team FROM hub_tokens t JOIN hub_users u ON u.email = t.email
      WHERE t.token_hash = $1 AND t.revoked_at IS NULL`,
    [hashToken(token)],
  );
  return rows[0] ?? null;
}
