/** Feed sources: adding, listing and removing them. Tokens are referenced, never stored. */
import { forgetRefusals, refusedRows } from './refused-outbox.ts';
import type { SourceView } from '../../shared/dto/sync.ts';
import type { Db } from '../db/open.ts';
import { UserFacingError } from '../errors.ts';
import { closeFirstPull } from './first-pull.ts';
import { feedRepo, type SourceRow } from './repo.ts';
import { sourceTeam, teamRepo } from './team-repo.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ENV_VAR = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function checkSourceName(name: string): string {
  if (!NAME.test(name)) {
    throw new UserFacingError(
      'INVALID_SOURCE_NAME',
      `"${name.slice(0, 80)}" is not a usable source name; use letters, digits, dot, dash or underscore (up to 64).`,
    );
  }
  return name;
}

/**
 * Feed tokens are read only from environment variables with this prefix, set by the user outside
 * the app: a caller of the API must not be able to point a source at any other variable (say
 * AWS_SECRET_ACCESS_KEY) and have it sent to a URL of its choosing.
 */
export const FEED_TOKEN_ENV_PREFIX = 'FORESIGHT_FEED_TOKEN_';
const TOKEN_ENV = /^FORESIGHT_FEED_TOKEN_[A-Z0-9_]{1,100}$/;

export function isFeedTokenEnvName(name: string): boolean {
  return TOKEN_ENV.test(name);
}

export function checkEnvVarName(name: string): string {
  if (!ENV_VAR.test(name))
    throw new UserFacingError('INVALID_TOKEN_ENV', `"${name.slice(0, 80)}" is not an environment variable name.`);
  if (!isFeedTokenEnvName(name))
    throw new UserFacingError(
      'INVALID_TOKEN_ENV',
      `Foresight reads feed tokens only from environment variables named ${FEED_TOKEN_ENV_PREFIX}<NAME> in capitals (for example ${FEED_TOKEN_ENV_PREFIX}WAREHOUSE), not from "${name.slice(0, 80)}".`,
    );
  return name;
}

/** The base URL without a trailing slash. Plain http is only allowed to this machine: a token must not cross a network unencrypted. */
export function normaliseFeedUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UserFacingError(
      'INVALID_FEED_URL',
      `"${text.slice(0, 200)}" is not a URL; give the feed's base address, e.g. https://data.example.com/foresight.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new UserFacingError('INVALID_FEED_URL', `The feed URL must start with https:// (not ${url.protocol}).`);
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) {
    throw new UserFacingError(
      'INSECURE_FEED_URL',
      `The feed URL must use https:// so the token is encrypted in transit; plain http:// is only allowed for localhost.`,
    );
  }
  if (url.username || url.password)
    throw new UserFacingError(
      'INVALID_FEED_URL',
      'Do not put credentials in the feed URL; pass the token with --token-env instead.',
    );
  if (url.search || url.hash)
    throw new UserFacingError(
      'INVALID_FEED_URL',
      'The feed URL is a base address and takes no query string or fragment.',
    );
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Where the token comes from, for display; never the token itself. */
export function describeTokenRef(ref: string | null): string | null {
  if (ref === null) return null;
  if (ref.startsWith('env:')) return ref;
  return 'app keychain';
}

export interface AddSourceInput {
  name: string;
  url: string;
  /** `env:VAR` or `secret:NAME`, or null for a feed without authentication. */
  tokenRef: string | null;
}

/** Adds a source, or updates the URL and token of an existing one (a new URL starts over). */
export function saveSource(db: Db, input: AddSourceInput, now: Date): { source: SourceRow; created: boolean } {
  const name = checkSourceName(input.name);
  const url = normaliseFeedUrl(input.url);
  const repo = feedRepo(db);
  return db.transaction(() => {
    const existing = repo.get(name);
    if (!existing) {
      repo.add(name, url, input.tokenRef, now.toISOString());
      return { source: repo.get(name)!, created: true };
    }
    if (existing.url !== url) {
      repo.forgetProgress(name);
      closeFirstPull(db, name);
      teamRepo(db).forget(name);
    }
    repo.update(name, url, input.tokenRef);
    return { source: repo.get(name)!, created: false };
  })();
}

export function removeSource(db: Db, name: string): void {
  db.transaction(() => {
    if (!feedRepo(db).remove(name))
      throw new UserFacingError('UNKNOWN_SOURCE', `There is no source called "${name.slice(0, 80)}".`);
    // Its refused outbox rows (refused-outbox.ts) have no source to be kept or discarded for any more.
    forgetRefusals(db, name);
    closeFirstPull(db, name);
  })();
}

export function getSource(db: Db, name: string): SourceRow {
  const source = feedRepo(db).get(name);
  if (!source)
    throw new UserFacingError(
      'UNKNOWN_SOURCE',
      `There is no source called "${name.slice(0, 80)}"; see "foresight source list".`,
    );
  return source;
}

export function toSourceView(db: Db, row: SourceRow): SourceView {
  return {
    name: row.name,
    url: row.url,
    status: row.status,
    token: describeTokenRef(row.token_ref),
    lastAttemptAt: row.last_attempt_at,
    lastSuccessAt: row.last_success_at,
    lastError: row.last_error,
    nextRetryAt: row.next_retry_at,
    failures: row.failures,
    pendingOutbox: feedRepo(db).pendingCount(row.name),
    refused: refusedRows(db, row.name),
    team: sourceTeam(db, row.name),
  };
}

export function listSources(db: Db): SourceView[] {
  return feedRepo(db)
    .list()
    .map((row) => toSourceView(db, row));
}
