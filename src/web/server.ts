import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Dispatch } from '../app/dispatcher.ts';
import type { ApiEvent } from '../shared/events.ts';
import { serveStatic } from './static-files.ts';

export interface WebServerOptions {
  dispatch: Dispatch;
  subscribe(listener: (event: ApiEvent) => void): () => void;
  staticDir: string;
  port?: number;
  token?: string;
}

export interface WebServer {
  url: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

const MAX_BODY = 5 * 1024 * 1024;

/**
 * Serves the built renderer and the API dispatcher on loopback only. The random token keeps other
 * local processes and web pages out; the Host check stops DNS-rebinding pages from borrowing it.
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const staticDir = resolve(options.staticDir);
  let port = 0;

  const tokenMatches = (candidate: string | null | undefined) => {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('[web] request failed:', error);
      if (!res.headersSent)
        sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: 'The request failed unexpectedly.' } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      res.writeHead(421, SECURITY_HEADERS).end('Misdirected request');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);

    if (url.pathname === '/api/events' && req.method === 'GET') {
      if (!tokenMatches(url.searchParams.get('token'))) return void sendJson(res, 401, unauthorised());
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      const unsubscribe = options.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
      req.on('close', unsubscribe);
      return;
    }

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST')
        return void sendJson(res, 405, {
          ok: false,
          error: { code: 'METHOD_NOT_ALLOWED', message: 'API calls use POST.' },
        });
      if (!tokenMatches(req.headers['x-foresight-token'] as string | undefined))
        return void sendJson(res, 401, unauthorised());
      const body = await readBody(req);
      if (body === null) {
        // Answer first, then close: destroying the socket mid-upload left the client with a reset, not a 413.
        res.setHeader('Connection', 'close');
        return void sendJson(res, 413, {
          ok: false,
          error: { code: 'TOO_LARGE', message: 'The request body is larger than 5 MB.' },
        });
      }
      let input: unknown;
      try {
        input = body.length === 0 ? {} : JSON.parse(body);
      } catch {
        return void sendJson(res, 400, {
          ok: false,
          error: { code: 'INVALID_JSON', message: 'The request body is not valid JSON.' },
        });
      }
      let method: string;
      try {
        method = decodeURIComponent(url.pathname.slice('/api/'.length));
      } catch {
        return void sendJson(res, 400, {
          ok: false,
          error: { code: 'INVALID_METHOD', message: 'The API method in the address is not valid %-encoding.' },
        });
      }
      return void sendJson(res, 200, await options.dispatch(method, input));
    }

    if (req.method === 'GET' && serveStatic(staticDir, url.pathname, res, SECURITY_HEADERS)) return;
    res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' }).end('Not found');
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

const unauthorised = () => ({
  ok: false,
  error: { code: 'UNAUTHORISED', message: 'The web preview token is missing or wrong.' },
});

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res
    .writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' })
    .end(JSON.stringify(body));
}

/** What is read and thrown away of a body over the limit before the connection is cut. */
const MAX_DISCARD = 64 * 1024 * 1024;

/**
 * The body as text, or null when it is over MAX_BODY. A body declared too large is refused before
 * reading; one that turns out too large is read on and discarded (up to MAX_DISCARD), so the client
 * is still listening when the 413 arrives instead of seeing its connection reset.
 */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolveBody, reject) => {
    const declared = Number(req.headers['content-length']);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = Number.isFinite(declared) && declared > MAX_BODY;
    if (over) resolveBody(null);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY + MAX_DISCARD) req.destroy();
      else if (over) return;
      else if (size > MAX_BODY) {
        over = true;
        chunks.length = 0;
        resolveBody(null);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolveBody(over ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
