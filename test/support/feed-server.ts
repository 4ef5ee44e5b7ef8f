/**
 * A feed server implementing docs/feed-protocol.md, for tests: loopback only, bounded, with fault
 * injection (5xx, 429 + Retry-After, slow answers, a truncated body, bad JSON, 304, 401/403, an
 * answer lost after the POST was taken). With `hub` it also speaks protocol 1.1 as a minimal team
 * hub: GET /v1/capabilities, the item_actions, interventions and activities logs, and POSTs that
 * every client (each with its own token in `tokens`) then pulls; it does not scope books (the
 * real hub in src/hub does).
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
/** Protocol 1.1 logs (served only with `hub`). */
export type LogKind = 'item_actions' | 'interventions' | 'activities';
const LOG_IDS: Record<LogKind, string> = {
  item_actions: 'action_id',
  interventions: 'intervention_id',
  activities: 'activity_id',
};

export interface Fault {
  /** Which requests it applies to; any when absent. 'interventions' is the outbox POST (and, with `hub`, its pull). */
  kind?: FeedKind | LogKind | 'capabilities';
  /** Only requests with this method (default: any). */
  method?: 'GET' | 'POST';
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
  /** Take a POST as usual, then close the connection instead of answering (the answer is lost). */
  loseAnswer?: boolean;
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
  /** Protocol 1.1: activities and item actions POSTed, by id (first one kept, as a hub does). */
  receivedLogs: Record<'activities' | 'item_actions', Map<string, Record<string, unknown>>>;
  /** Protocol 1.1 logs served to every client (with `hub`); POSTs are appended here, so clients see each other's. */
  logs: Record<LogKind, Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** Makes the server a minimal team hub: capabilities, the three log kinds, and POSTs shared between clients. */
export interface HubOptions {
  user: { email: string; role: 'csm' | 'lead' | 'admin' };
  /** The email stamped as actor_email on items POSTed with a token (the hub sets it from the token). */
  actors?: Record<string, string>;
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
  options: {
    data?: Partial<Record<FeedKind, Record<string, unknown>[]>>;
    token?: string;
    /** More tokens the server accepts (several clients of one hub), with the user each stands for. */
    tokens?: Record<string, HubOptions['user']>;
    pageSize?: number;
    hub?: HubOptions;
    /** A plain feed that takes POST /v1/activities (a plain feed answers 404 otherwise). */
    acceptsActivities?: boolean;
  } = {},
): Promise<FeedServer> {
  const token = options.token ?? 'test-token';
  const users: Record<string, HubOptions['user'] | undefined> = { ...options.tokens };
  if (options.hub) users[token] = options.hub.user;
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
    receivedLogs: { activities: new Map(), item_actions: new Map() },
    logs: { item_actions: [], interventions: [], activities: [] },
    close: async () => {},
  };

  const takeFault = (kind: string, method: string): Fault | null => {
    const index = feed.faults.findIndex(
      (f) => (f.kind === undefined || f.kind === kind) && (f.method === undefined || f.method === method),
    );
    if (index < 0) return null;
    const fault = feed.faults[index]!;
    const left = (fault.times ?? 1) - 1;
    if (left <= 0) feed.faults.splice(index, 1);
    else fault.times = left;
    return fault;
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/v1\/(accounts|contacts|metrics|events|interventions|item_actions|activities|capabilities)$/.exec(
      url.pathname,
    );
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
    const isHub = options.hub !== undefined;
    const plainOnly = kind === 'capabilities' || kind === 'item_actions' || kind === 'activities';
    const plainPost = kind === 'activities' && req.method === 'POST' && options.acceptsActivities;
    if (!match || (!isHub && plainOnly && !plainPost)) return send(404, '{"error":"not found"}');

    const fault = takeFault(kind, record.method);
    const answer = () => {
      if (fault?.loseAnswer) {
        // Handled as usual below, but whatever it answers never reaches the client.
        res.writeHead = (() => {
          record.status = -1;
          req.socket.destroy();
          return res;
        }) as unknown as typeof res.writeHead;
      }
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
      const bearer = record.authorization?.replace(/^Bearer /, '') ?? '';
      if (bearer !== token && !users[bearer]) return send(401, '{"error":"bad token"}');
      const user = users[bearer] ?? null;

      if (kind === 'capabilities') {
        if (req.method !== 'GET') return send(405);
        return send(
          200,
          JSON.stringify({
            protocol: '1.1',
            pull: ['accounts', 'contacts', 'metrics', 'events', 'item_actions', 'interventions', 'activities'],
            push: ['interventions', 'activities', 'item_actions'],
            user,
          }),
        );
      }
      if ((kind === 'activities' || kind === 'item_actions') && req.method === 'POST') {
        return readJson(req, (parsed) => {
          if (!parsed) return send(400, '{"error":"bad json"}');
          for (const item of parsed.items) {
            const id = String(item[LOG_IDS[kind]]);
            if (feed.receivedLogs[kind].has(id)) continue;
            const stored = { ...item, actor_email: user?.email ?? null };
            feed.receivedLogs[kind].set(id, stored);
            feed.logs[kind].push(stored);
          }
          send(200, JSON.stringify({ accepted: parsed.items.length }));
        });
      }
      if (kind === 'interventions' && req.method === 'POST') {
        let body = '';
        req.setEncoding('utf8');
        req.on('data', (chunk: string) => (body += chunk));
        req.on('end', () => {
          try {
            const parsed = JSON.parse(body) as { items: Record<string, unknown>[] };
            for (const item of parsed.items) {
              feed.received.set(String(item.intervention_id), item);
              if (!isHub) continue;
              // A hub serves a newer version after what it served before (a change log: offsets stay put).
              const newest = feed.logs.interventions.findLast((i) => i.intervention_id === item.intervention_id);
              if (newest && String(newest.version) >= String(item.version)) continue;
              feed.logs.interventions.push({ ...item, actor_email: user?.email ?? null });
            }
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
      const all = kind in LOG_IDS ? feed.logs[kind as LogKind] : feed.data[kind as FeedKind];
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

function readJson(req: IncomingMessage, done: (parsed: { items: Record<string, unknown>[] } | null) => void): void {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    try {
      const parsed = JSON.parse(body) as { items?: unknown };
      done(Array.isArray(parsed.items) ? (parsed as { items: Record<string, unknown>[] }) : null);
    } catch {
      done(null);
    }
  });
}
