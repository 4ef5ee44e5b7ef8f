/**
 * The hub's HTTP front: authentication, rate limits, bounded bodies and routing. Every answer is
 * JSON with one sentence on failure; an unexpected error is logged and answered 500 without
 * internals.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { isIsoDay, todayIso } from '../../domain/contract/dates.ts';
import { isUserFacing } from '../../domain/errors.ts';
import { addUserWithToken, changeCovers, removeUser, userForToken, type HubUser } from '../auth/users.ts';
import { hubReport } from '../report/report.ts';
import type { HubStore } from '../store/store.ts';
import { PULL_KINDS, pullPage, type PullKind } from './pull.ts';
import { PUSH_SCHEMAS, type PushKind } from './push-items.ts';
import { pushItems } from './push.ts';
import {
  createRateLimiter,
  DEFAULT_RATE_LIMIT,
  UNAUTHENTICATED_RATE_LIMIT,
  type RateLimitOptions,
} from './rate-limit.ts';

export const PROTOCOL_VERSION = '1.1';
/** 100 items of a few KB each fit easily; anything larger is refused before it is read. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
/** The admin requests: add a user, change whose books a csm covers. */
const ADMIN_ROUTES: Record<string, true> = {
  '/v1/admin/users': true,
  '/v1/admin/covers': true,
  '/v1/admin/users/remove': true,
};

export interface HubServerOptions {
  store: HubStore;
  rateLimit?: RateLimitOptions;
  /** Largest request body accepted (default MAX_BODY_BYTES). */
  maxBodyBytes?: number;
  /** Local admin secret (embedded hubs): lets `hub user add --embedded DIR` reach the running hub. */
  adminSecret?: string | null;
  log?: (line: string) => void;
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function readJson(req: IncomingMessage, max: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > max) return reject(new HttpError(413, `the body is larger than ${max} bytes`));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        reject(new HttpError(413, `the body is larger than ${max} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new HttpError(400, 'the body is not valid JSON'));
      }
    });
    req.on('error', reject);
  });
}

const isLoopback = (req: IncomingMessage) =>
  ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress ?? '');

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function createHubServer(options: HubServerOptions): Server {
  const { store } = options;
  const limiter = createRateLimiter(options.rateLimit ?? DEFAULT_RATE_LIMIT);
  const strangers = createRateLimiter(UNAUTHENTICATED_RATE_LIMIT);
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const maxBody = options.maxBodyBytes ?? MAX_BODY_BYTES;

  const send = (res: ServerResponse, status: number, body: string | null, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      ...(body !== null ? { 'Content-Type': 'application/json' } : {}),
      'Cache-Control': 'no-store',
      ...headers,
    });
    res.end(body ?? undefined);
  };
  const fail = (res: ServerResponse, status: number, error: string, headers: Record<string, string> = {}) =>
    send(res, status, JSON.stringify({ error }), headers);

  async function authenticate(req: IncomingMessage, res: ServerResponse): Promise<HubUser | null> {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer (\S+)$/.exec(header)?.[1] ?? '';
    const user = token ? await userForToken(store, token) : null;
    if (!user) {
      const wait = strangers.take(req.socket.remoteAddress ?? '?');
      if (wait > 0) fail(res, 429, 'too many failed attempts; try again later', { 'Retry-After': String(wait) });
      else fail(res, 401, 'the token is missing, unknown or revoked');
      return null;
    }
    const wait = limiter.take(user.email);
    if (wait > 0) {
      fail(res, 429, `too many requests; try again in ${wait} s`, { 'Retry-After': String(wait) });
      return null;
    }
    return user;
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://hub.invalid');
    const path = url.pathname.replace(/\/+$/, '');
    const method = req.method ?? 'GET';

    // The local door for `hub user add|cover --embedded DIR` on the same machine.
    if (path in ADMIN_ROUTES && options.adminSecret && req.headers['x-hub-admin-secret'] !== undefined) {
      if (!isLoopback(req) || !sameSecret(String(req.headers['x-hub-admin-secret']), options.adminSecret))
        return fail(res, 403, 'the admin secret is wrong');
      if (method !== 'POST') return fail(res, 405, 'use POST');
      return admin(path, req, res, 'local admin');
    }

    const user = await authenticate(req, res);
    if (!user) return;

    if (path === '/v1/capabilities') {
      if (method !== 'GET') return fail(res, 405, 'use GET');
      return send(
        res,
        200,
        JSON.stringify({
          protocol: PROTOCOL_VERSION,
          pull: PULL_KINDS,
          push: Object.keys(PUSH_SCHEMAS),
          user: { email: user.email, role: user.role },
        }),
      );
    }
    if (path in ADMIN_ROUTES) {
      if (user.role !== 'admin') return fail(res, 403, 'only an admin can manage users');
      if (method !== 'POST') return fail(res, 405, 'use POST');
      return admin(path, req, res, user.email);
    }
    if (path === '/v1/report') {
      if (method !== 'GET') return fail(res, 405, 'use GET');
      const asOf = url.searchParams.get('as_of') ?? todayIso();
      if (!isIsoDay(asOf)) return fail(res, 400, 'as_of must be a date (YYYY-MM-DD)');
      return send(res, 200, JSON.stringify(await hubReport(store, { user, asOf })));
    }
    const kind = /^\/v1\/([a-z_]+)$/.exec(path)?.[1] ?? '';
    if (method === 'POST' && kind in PUSH_SCHEMAS) {
      const answer = await pushItems(store, user, kind as PushKind, await readJson(req, maxBody));
      return send(res, answer.status, JSON.stringify(answer.body));
    }
    if ((PULL_KINDS as readonly string[]).includes(kind)) {
      if (method !== 'GET') return fail(res, 405, 'use GET');
      const limitParam = url.searchParams.get('limit');
      const limit = limitParam === null ? null : Number(limitParam);
      if (limit !== null && !(Number.isInteger(limit) && limit > 0))
        return fail(res, 400, 'limit must be a positive whole number');
      const answer = await pullPage(store, user, kind as PullKind, {
        cursor: url.searchParams.get('cursor'),
        limit,
        ifNoneMatch: (req.headers['if-none-match'] as string | undefined) ?? null,
      });
      if (answer.status === 304) return send(res, 304, null, { ETag: answer.etag });
      if (answer.status === 410) return send(res, 410, answer.body);
      return send(res, 200, answer.body, { ETag: answer.etag });
    }
    return fail(res, 404, `there is no ${path || '/'} on this hub`);
  }

  /**
   * POST /v1/admin/users `{email, role, team?, covers?}` → 201 with the token (earlier tokens revoked);
   * /v1/admin/covers `{email, covers}`; /v1/admin/users/remove `{email}` revokes every token.
   */
  async function admin(path: string, req: IncomingMessage, res: ServerResponse, actor: string) {
    const body = (await readJson(req, maxBody)) as Record<string, unknown> | null;
    const covers = Array.isArray(body?.covers) ? body.covers.map(String) : null;
    if (path === '/v1/admin/covers') {
      const user = await changeCovers(store, { email: String(body?.email ?? ''), covers: covers ?? [] }, actor);
      return send(res, 200, JSON.stringify(user));
    }
    if (path === '/v1/admin/users/remove')
      return send(res, 200, JSON.stringify(await removeUser(store, { email: String(body?.email ?? '') }, actor)));
    const { user, token, revoked } = await addUserWithToken(
      store,
      {
        email: String(body?.email ?? ''),
        role: String(body?.role ?? ''),
        team: typeof body?.team === 'string' ? body.team : null,
        covers,
      },
      actor,
    );
    send(res, 201, JSON.stringify({ ...user, token, revoked }));
  }

  return createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof HttpError) return fail(res, error.status, error.message);
      if (isUserFacing(error)) return fail(res, 400, error.message);
      log(`[hub] ${req.method} ${req.url?.split('?')[0]} failed: ${(error as Error)?.stack ?? String(error)}`);
      fail(res, 500, 'the hub failed to answer; see its log');
    });
  });
}
