import { describe, expect, it } from 'vitest';
import {
  FeedAuthError,
  FeedOfflineError,
  FeedServerError,
  MalformedPageError,
  backoffDelay,
  feedRequest,
  parseRetryAfter,
  type RetryPolicy,
} from '../../src/domain/feed/http.ts';

const NOW = new Date('2026-03-01T10:00:00Z');
const POLICY: RetryPolicy = {
  timeoutMs: 1000,
  maxAttempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  maxRetryAfterMs: 60_000,
};

function fakeFetch(answers: (Response | Error)[]) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const fn = (async (url: string, init: RequestInit) => {
    calls.push({ url, headers: init.headers as Record<string, string> });
    const next = answers.shift() ?? new Response('{"items":[],"next_cursor":null}');
    if (next instanceof Error) throw next;
    return next;
  }) as unknown as typeof fetch;
  return { fn, calls };
}

async function request(answers: (Response | Error)[], etag: string | null = null) {
  const sleeps: number[] = [];
  const fetch = fakeFetch(answers);
  const outcome = feedRequest(
    {
      source: 'warehouse',
      url: 'https://feed.example/v1/accounts?limit=2',
      token: 'tok',
      method: 'GET',
      etag,
      what: 'accounts',
    },
    POLICY,
    { fetch: fetch.fn, sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, now: () => NOW },
  );
  return { outcome, sleeps, calls: fetch.calls };
}

describe('Retry-After and backoff', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', NOW)).toBe(3000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 10:00:05 GMT', NOW)).toBe(5000);
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter(null, NOW)).toBeNull();
  });

  it('clamps an absurd Retry-After to a day, so it is always a valid time', () => {
    expect(parseRetryAfter('99999999999999999999', NOW)).toBe(24 * 3600_000);
    expect(parseRetryAfter('Fri, 31 Dec 9999 23:59:59 GMT', NOW)).toBe(24 * 3600_000);
    expect(parseRetryAfter('5', NOW, 2000)).toBe(2000);
    expect(parseRetryAfter('1e400', NOW)).toBeNull();
  });

  it('grows exponentially, stays within its bound, and is jittered', () => {
    const bounds = [1, 2, 3, 4, 5, 6].map((attempt) =>
      Math.min(POLICY.maxDelayMs, POLICY.baseDelayMs * 2 ** (attempt - 1)),
    );
    for (const [i, bound] of bounds.entries()) {
      expect(backoffDelay(i + 1, POLICY, () => 0)).toBe(bound / 2);
      expect(backoffDelay(i + 1, POLICY, () => 0.999999)).toBeLessThanOrEqual(bound);
    }
  });
});

describe('a feed request', () => {
  it('sends the token and If-None-Match, and passes a 304 through', async () => {
    const { outcome, calls } = await request([new Response(null, { status: 304 })], '"abc"');
    await expect(outcome).resolves.toEqual({ type: 'not-modified' });
    expect(calls[0]!.headers).toMatchObject({ Authorization: 'Bearer tok', 'If-None-Match': '"abc"' });
  });

  it('retries 503 and 429 (waiting as told) and then succeeds', async () => {
    const { outcome, sleeps, calls } = await request([
      new Response('', { status: 503 }),
      new Response('', { status: 429, headers: { 'Retry-After': '7' } }),
      new Response('{"items":[1],"next_cursor":null}', { headers: { ETag: '"e1"' } }),
    ]);
    await expect(outcome).resolves.toEqual({ type: 'page', json: { items: [1], next_cursor: null }, etag: '"e1"' });
    expect(sleeps).toEqual([75, 7000]);
    expect(calls).toHaveLength(3);
  });

  it('fails at once on 401 with the source in the message', async () => {
    const { outcome, calls } = await request([new Response('', { status: 401 })]);
    await expect(outcome).rejects.toThrow(new FeedAuthError('warehouse'));
    expect(calls).toHaveLength(1);
  });

  it('gives up on persistent 5xx after the allowed attempts', async () => {
    const { outcome, calls } = await request(Array.from({ length: 4 }, () => new Response('', { status: 502 })));
    await expect(outcome).rejects.toThrow(FeedServerError);
    expect(calls).toHaveLength(4);
  });

  it('calls a persistent network failure "offline", giving up sooner when there is no route at all', async () => {
    const reset = new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    const flaky = await request([reset, reset, reset, reset]);
    await expect(flaky.outcome).rejects.toThrow(
      new FeedOfflineError('could not reach the feed for accounts (ECONNRESET)'),
    );
    expect(flaky.calls).toHaveLength(4);
    const unknownHost = new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } });
    const dns = await request([unknownHost, unknownHost, unknownHost, unknownHost]);
    await expect(dns.outcome).rejects.toThrow(
      new FeedOfflineError('could not reach the feed for accounts (ENOTFOUND)'),
    );
    expect(dns.calls).toHaveLength(2);
  });

  it('retries bad JSON, then reports it with the body', async () => {
    const { outcome } = await request(Array.from({ length: 4 }, () => new Response('{"items": [')));
    const error = await outcome.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedPageError);
    expect((error as MalformedPageError).body).toBe('{"items": [');
  });

  it('refuses to follow a redirect', async () => {
    const { outcome } = await request([
      new Response(null, { status: 302, headers: { Location: 'https://elsewhere.example/' } }),
    ]);
    await expect(outcome).rejects.toThrow(/redirected accounts elsewhere/);
  });
});
