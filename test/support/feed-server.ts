/**
 * A feed server implementing docs/feed-protocol.md, for tests: loopback only, bounded, with fault
 * injection (5xx, 429 + Retry-After, slow answers, a truncated body, bad JSON, 304, 401/403).
 *
 *     const feed = await startFeedServer({ data: { accounts: [...] }, token: 't0k3n', pageSize: 2 });
 *     feed.faults.push({ kind: 'accounts', status: 503, times: 2 });
 *     ... feed.url ... feed.requests ... feed.received (interventions POSTed) ...
 *     await feed.close();
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FeedKind = 'accounts' | 'contacts' | 'metrics' | 'events';

export interface Fault {
  /** Which requests it applies to; any when absent. 'interventions' is the outbox POST. */
  kind?: FeedKind | 'interventions';
  /** How many matching requests it affects (default 1). */
  times?: number;
  /** Answer with this status (e.g. 500, 503, 429, 401, 403, 404, 410). */
  status?: number;
  /** Retry-After header value, e.g. "1" or an HTTP date. */
  retryAfter?: string;
  /** Wait this long before answering (bounded to 10 s). */
  delayMs?: number;
  /** Send part of the body, then cut the connection. */
  truncate?: boolean;
  /** Answer 200 with this body instead of the page (bad JSON, wrong shape…). */
  body?: string;
  /** Close the connection without answering. */
  hangUp?: boolean;
}

export interface RecordedRequest {
  method: string;
  kind: string;
  cursor: string | null;
  limit: number | null;
  ifNoneMatch: string | null;
  authorization: string | null;
  status: number;
}

export interface FeedServer {
  url: string;
  token: string;
  data: Record<FeedKind, Record<string, unknown>[]>;
  faults: Fault[];
  requests: RecordedRequest[];
  /** Interventions received through the outbox, by intervention_id (last version wins). */
  received: Map<string, Record<string, unknown>>;
  /** Number of outbox POSTs accepted. */
  posts: number;
  close(): Promise<void>;
}

const MAX_REQUESTS = 5_000;
const MAX_DELAY_MS = 10_000;

const encodeCursor = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
function decodeCursor(cursor: string | null): number | null {
  if (cursor === null || cursor === '') return 0;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^o:(\d+)$/.exec(text);
  return match ? Number(match[1]) : null;
}

export async function startFeedServer(
  options: { data?: Partial<Record<FeedKind, Record<string, unknown>[]>>; token?: string; pageSize?: number } = {},
): Promise<FeedServer> {
  const token = options.token ?? 'test-token';
  const maxPage = options.pageSize ?? 100;
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const feed: FeedServer = {
    url: '',
    token,
    data: { accounts: [], contacts: [], metrics: [], events: [], ...options.data },
    faults: [],
    requests: [],
    received: new Map(),
    posts: 0,
    close: async () => {},
  };

  const takeFault = (kind: string): Fault | null => {
    const index = feed.faults.findIndex((f) => f.kind === undefined || f.kind === kind);
    if (index < 0) return null;
    const fault = feed.faults[index]!;
    const left = (fault.times ?? 1) - 1;
    if (left <= 0) feed.faults.splice(index, 1);
    else fault.times = left;
    return fault;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/v1\/(accounts|contacts|metrics|events|interventions)$/.exec(url.pathname);
    const kind = match?.[1] ?? url.pathname;
    const record: RecordedRequest = {
      method: req.method ?? '',
      kind,
      cursor: url.searchParams.get('cursor'),
      limit: url.searchParams.has('limit') ? Number(url.searchParams.get('limit')) : null,
      ifNoneMatch: (req.headers['if-none-match'] as string | undefined) ?? null,
      authorization: (req.headers.authorization as string | undefined) ?? null,
      status: 0,
    };
    feed.requests.push(record);
    const send = (status: number, body = '', headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(body);
    };
    if (feed.requests.length > MAX_REQUESTS) return send(503, '{"error":"test feed request limit reached"}');
    if (!match) return send(404, '{"error":"not found"}');

    const fault = takeFault(kind);
    const answer = () => {
      if (fault?.hangUp) {
        record.status = -1;
        req.socket.destroy();
        return;
      }
      if (fault?.status) {
        // The body even echoes the Authorization header: the client must never repeat a body.
        return send(
          fault.status,
          JSON.stringify({ error: `injected ${fault.status}`, echo: record.authorization }),
          fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {},
        );
      }
      if (record.authorization !== `Bearer ${token}`) return send(401, '{"error":"bad token"}');

      if (kind === 'interventions') {
        if (req.method !== 'POST') return send(405);
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (chunk: string) => (body += chunk));
        req.on('end', () => {
          try {
            const parsed = JSON.parse(body) as { items: Record<string, unknown>[] };
            for (const item of parsed.items) feed.received.set(String(item.intervention_id), item);
            feed.posts++;
            send(200, JSON.stringify({ accepted: parsed.items.length }));
          } catch {
            send(400, '{"error":"bad json"}');
          }
        });
        return;
      }
      if (req.method !== 'GET') return send(405);
      const offset = decodeCursor(record.cursor);
      if (offset === null) return send(410, '{"error":"unknown cursor"}');
      const limit = Math.min(maxPage, record.limit ?? maxPage);
      const all = feed.data[kind as FeedKind];
      const items = all.slice(offset, offset + limit);
      const next = offset + items.length < all.length ? encodeCursor(offset + items.length) : null;
      const body = JSON.stringify({ items, next_cursor: next });
      const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
      if (fault?.body !== undefined) return send(200, fault.body);
      if (record.ifNoneMatch === etag) return send(304, '', { ETag: etag });
      if (fault?.truncate) {
        record.status = 200;
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Length': String(Buffer.byteLength(body)),
          ETag: etag,
        });
        res.write(body.slice(0, Math.max(1, Math.floor(body.length / 2))));
        setImmediate(() => req.socket.destroy());
        return;
      }
      send(200, body, { ETag: etag });
    };

    const delay = Math.min(MAX_DELAY_MS, fault?.delayMs ?? 0);
    if (delay > 0) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) answer();
      }, delay);
      timers.add(timer);
    } else {
      answer();
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  feed.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  feed.close = () =>
    new Promise((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return feed;
}
