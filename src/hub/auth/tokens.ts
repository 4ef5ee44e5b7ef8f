/**
 * Hub tokens: "fh_" and 32 random bytes in base64url, shown once; the hub keeps only their
 * SHA-256, so a copy of its database grants nothing.
 */
import { createHash, randomBytes } from 'node:crypto';

export const TOKEN_PREFIX = 'fh_';

export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A well-formed token: cheap to check before any database work. */
export function looksLikeToken(value: string): boolean {
  return /^fh_[A-Za-z0-9_-]{43}$/.test(value);
}
