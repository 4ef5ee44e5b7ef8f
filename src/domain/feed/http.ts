/**
 * One feed request with the protocol's error handling (docs/feed-protocol.md): 429 and 5xx are
 * retried with exponential backoff and full jitter, honouring Retry-After; a network failure or
 * timeout is retried the same way and, if it persists, means "offline"; 401/403 fail at once;
 * a body that is not the expected JSON is retried (it may have been cut off) and then reported.
 *
 * Nothing here ever puts the token, a request header or a response body into an error message.
 */

import { jsonDepth, MAX_JSON_DEPTH } from '../ingest/json-reader.ts';
import { jsonSyntaxProblem } from '../json-syntax.ts';
import { DEFAULT_FEED_LIMITS, MB } from './limits.ts';

/** Our own reason a page is refused before parsing: its words quote nothing of the body. */
class TooDeepError extends Error {}
const depthProblem = (error: unknown) => (error instanceof TooDeepError ? error.message : null);

export interface RetryPolicy {
  /** Per attempt, covering the whole response including its body. */
  timeoutMs: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the source is retried at that time instead. */
  maxRetryAfterMs: number;
  /** How often a slow answer is reported as still awaited (HttpDeps.onWait). */
  waitNoticeMs?: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  timeoutMs: 30_000,
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

export interface HttpDeps {
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => Date;
  /**
   * Told of each retry ("… trying again in 2 s") and, every waitNoticeMs, of an answer still awaited,
   * so output that draws no progress bar (a pipe, a log) is not silent for minutes.
   */
  onWait?: (sentence: string) => void;
}

export const defaultHttpDeps = (now: () => Date): HttpDeps => ({
  fetch: globalThis.fetch,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  now,
});

/** The feed rejected the token (401/403). */
export class FeedAuthError extends Error {
  constructor(source: string) {
    super(`the feed rejected the token for ${source}`);
    this.name = 'FeedAuthError';
  }
}

/** The feed could not be reached (network, DNS, timeouts) even after retries. */
export class FeedOfflineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedOfflineError';
  }
}

/** The feed answered, but not usefully (5xx, 429, unexpected status) even after retries. */
export class FeedServerError extends Error {
  readonly retryAt: Date | null;
  /** The HTTP status, when the feed answered one (a 404 tells the client the feed lacks an endpoint). */
  readonly status: number | null;
  /** The feed's own sentence for a 4xx ("account X is not in your book"), when it sent one. */
  readonly reason: string | null;
  constructor(
    message: string,
    retryAt: Date | null = null,
    status: number | null = null,
    reason: string | null = null,
  ) {
    super(message);
    this.name = 'FeedServerError';
    this.retryAt = retryAt;
    this.status = status;
    this.reason = reason;
  }
}

/** The feed kept sending a body that is not the protocol's JSON. */
export class MalformedPageError extends Error {
  readonly body: string;
  constructor(message: string, body: string) {
    super(message);
    this.name = 'MalformedPageError';
    this.body = body;
  }
}

export type FeedResponse =
  | { type: 'page'; json: unknown; etag: string | null }
  | { type: 'not-modified' }
  /** 410 Gone: the cursor expired; start this kind again from the beginning. */
  | { type: 'gone' }
  | { type: 'accepted' };

/**
 * Seconds or an HTTP date → milliseconds from now, at most `maxMs` (a day by default: a feed's
 * "Retry-After: 99999999999999999999" must not become an invalid date); null when absent or unreadable.
 */
export function parseRetryAfter(
  header: string | null,
  now: Date,
  maxMs = DEFAULT_FEED_LIMITS.maxRetryAfterMs,
): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - now.getTime();
  return Number.isNaN(ms) ? null : Math.min(maxMs, Math.max(0, ms));
}

/** Full jitter: a random delay up to the exponential bound, so many clients do not retry in step. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const bound = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(bound / 2 + (random() * bound) / 2);
}

/** Errors that mean "no network or no such host": retrying at once rarely helps, so give up sooner. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN']);
const UNREACHABLE_ATTEMPTS = 2;

function networkCode(error: unknown): string | null {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : null;
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'the request timed out';
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code) return cause.code;
    if (cause?.message) return cause.message;
    return error.message;
  }
  return String(error);
}

export interface FeedRequest {
  source: string;
  url: string;
  token: string;
  /** A body larger than this is refused as it streams in (default 256 MB). */
  maxBodyBytes?: number;
  method: 'GET' | 'POST';
  etag?: string | null;
  body?: string;
  /** What the request is, for messages: "accounts" or "the outbox". */
  what: string;
}

/** Too large to take: not retried (the same request would bring the same body). */
export class FeedTooLargeError extends FeedServerError {}

/**
 * Reads the body chunk by chunk and stops at the cap, so a 2 GB answer costs at most the cap in
 * memory (the declared Content-Length is refused before reading).
 */
async function readCappedBody(response: Response, request: FeedRequest): Promise<string> {
  const cap = request.maxBodyBytes ?? DEFAULT_FEED_LIMITS.maxBodyBytes;
  const tooLarge = () =>
    new FeedTooLargeError(
      `the feed's answer for ${request.what} is larger than ${formatBytes(cap)}, the most one page may be; ask for smaller pages or raise the limit`,
    );
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > cap) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return '';
  const decoder = new TextDecoder('utf-8');
  const reader = response.body.getReader();
  const parts: string[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (bytes > cap) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}

function formatBytes(bytes: number): string {
  return bytes >= MB ? `${Math.round(bytes / MB)} MB` : `${bytes} bytes`;
}

/**
 * A server that echoes the request (its Authorization header, say) must not get the token into
 * the quarantine's raw text or an export: every occurrence is replaced before anything is stored.
 */
export function redactToken(text: string, token: string | null | undefined): string {
  if (!token || token.length < 4) return text;
  let out = text;
  for (const form of new Set([token, JSON.stringify(token).slice(1, -1), encodeURIComponent(token)]))
    out = out.split(form).join('[redacted token]');
  return out;
}

/**
 * A 4xx body's `"error"` sentence (a hub says "account X is not in your book"), read up to 4 KB,
 * redacted and cut to 200 characters; nothing when the body is not such JSON.
 */
async function errorSentence(response: Response, request: FeedRequest): Promise<string> {
  try {
    const text = await readCappedBody(response, { ...request, maxBodyBytes: 4096 });
    const error = (JSON.parse(text) as { error?: unknown }).error;
    return typeof error === 'string' && error.trim() ? redactToken(error.trim(), request.token).slice(0, 200) : '';
  } catch {
    return '';
  }
}

/** A login page, a captive portal or a wrong URL: nothing to retry and no rows to fix. */
const webPageSentence = (request: FeedRequest) =>
  `the address answered a web page, not the feed, for ${request.what}: check the URL`;

function send(request: FeedRequest, policy: RetryPolicy, deps: HttpDeps): Promise<Response> {
  const headers: Record<string, string> = { Authorization: `Bearer ${request.token}`, Accept: 'application/json' };
  if (request.etag) headers['If-None-Match'] = request.etag;
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  return deps.fetch(request.url, {
    method: request.method,
    headers,
    body: request.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(policy.timeoutMs),
  });
}

/** Reports an answer still awaited every waitNoticeMs (default 10 s) until stopped; nothing without onWait. */
function stillWaiting(request: FeedRequest, policy: RetryPolicy, deps: HttpDeps): { stop: () => void } {
  const onWait = deps.onWait;
  if (!onWait) return { stop: () => {} };
  const every = policy.waitNoticeMs ?? 10_000;
  let ticks = 0;
  const timer = setInterval(() => {
    ticks++;
    const seconds = ((ticks * every) / 1000).toLocaleString('en', { maximumFractionDigits: 1 });
    onWait(`still waiting for the feed's answer for ${request.what} (${seconds} s so far)`);
  }, every);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

export async function feedRequest(request: FeedRequest, policy: RetryPolicy, deps: HttpDeps): Promise<FeedResponse> {
  let lastProblem = '';
  let malformedBody: string | null = null;
  for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
    let retryAfterMs: number | null = null;
    const waiting = stillWaiting(request, policy, deps);
    try {
      const response = await send(request, policy, deps);
      const status = response.status;
      if (status === 401 || status === 403) {
        await response.body?.cancel();
        throw new FeedAuthError(request.source);
      }
      if (status === 304) {
        // Only an answer to our If-None-Match: without one it says nothing about the data (a proxy's cache).
        if (request.etag) return { type: 'not-modified' };
        await response.body?.cancel();
        throw new FeedServerError(
          `the feed answered 304 Not Modified for ${request.what} although Foresight sent no ETag to compare; check for a caching proxy in front of the feed`,
        );
      }
      if (status === 410 && request.method === 'GET') {
        await response.body?.cancel();
        return { type: 'gone' };
      }
      if (request.method === 'POST' && status >= 200 && status < 300) {
        await response.body?.cancel();
        return { type: 'accepted' };
      }
      if (status === 200) {
        if (/html/i.test(response.headers.get('content-type') ?? '')) {
          await response.body?.cancel();
          throw new FeedServerError(webPageSentence(request));
        }
        const text = await readCappedBody(response, request);
        // A login or portal page sent without its content type: the same sentence, not malformed rows.
        if (/^\s*<(!doctype html|html)/i.test(text.slice(0, 200))) throw new FeedServerError(webPageSentence(request));
        try {
          // A page nests items in an object in an array: a few levels more than a record may.
          if (jsonDepth(text, MAX_JSON_DEPTH + 2) > MAX_JSON_DEPTH + 2)
            throw new TooDeepError(`it is nested more than ${MAX_JSON_DEPTH} levels deep`);
          return { type: 'page', json: JSON.parse(text), etag: response.headers.get('etag') };
        } catch (error) {
          // Redacted before it is cut, so no half of a token survives at the cut.
          malformedBody = redactToken(text, request.token).slice(0, 64 * 1024);
          lastProblem = `the body is not valid JSON (${depthProblem(error) ?? jsonSyntaxProblem(error)})`;
        }
      } else if (status === 429 || status >= 500) {
        await response.body?.cancel();
        retryAfterMs = parseRetryAfter(
          response.headers.get('retry-after'),
          deps.now(),
          DEFAULT_FEED_LIMITS.maxRetryAfterMs,
        );
        lastProblem = `the feed answered ${status}${status === 429 ? ' (too many requests)' : ''}`;
        if (retryAfterMs !== null && retryAfterMs > policy.maxRetryAfterMs) {
          throw new FeedServerError(
            `${lastProblem} for ${request.what} and asked to wait ${Math.ceil(retryAfterMs / 1000)} s`,
            new Date(deps.now().getTime() + retryAfterMs),
          );
        }
      } else if (status >= 300 && status < 400) {
        await response.body?.cancel();
        throw new FeedServerError(
          `the feed redirected ${request.what} elsewhere (${status}); set the source's URL to the final address`,
        );
      } else {
        const reason = await errorSentence(response, request);
        throw new FeedServerError(
          `the feed answered ${status} for ${request.what}${reason ? `: ${reason}` : ''}`,
          null,
          status,
          reason || null,
        );
      }
    } catch (error) {
      if (error instanceof FeedAuthError || error instanceof FeedServerError) throw error;
      // Network failure, timeout, or a body cut off mid-read: all worth another try.
      lastProblem = describeNetworkError(error);
      malformedBody = null;
      const code = networkCode(error);
      const lastAttempt =
        code !== null && UNREACHABLE.has(code)
          ? Math.min(UNREACHABLE_ATTEMPTS, policy.maxAttempts)
          : policy.maxAttempts;
      if (attempt >= lastAttempt)
        throw new FeedOfflineError(`could not reach the feed for ${request.what} (${lastProblem})`);
    } finally {
      waiting.stop();
    }
    if (attempt < policy.maxAttempts) {
      const delay = retryAfterMs ?? backoffDelay(attempt, policy, deps.random);
      deps.onWait?.(
        `${lastProblem} for ${request.what}; trying again in ${Math.max(1, Math.ceil(delay / 1000))} s (attempt ${attempt + 1} of ${policy.maxAttempts})`,
      );
      await deps.sleep(delay);
    }
  }
  if (malformedBody !== null)
    throw new MalformedPageError(`the feed sent malformed JSON for ${request.what}: ${lastProblem}`, malformedBody);
  throw new FeedServerError(`${lastProblem} for ${request.what}, ${policy.maxAttempts} times in a row`);
}
