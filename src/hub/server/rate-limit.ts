/**
 * Per-token request budgets: a token bucket of `burst` requests refilled at `perSecond`. A request
 * over budget is answered 429 with Retry-After (whole seconds until one request is available),
 * which the app's sync honours. Unauthenticated requests share one bucket per address, so guessing
 * tokens is slow.
 */
export interface RateLimitOptions {
  burst: number;
  perSecond: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { burst: 600, perSecond: 100 };
/** Failed authentications: a handful, then one per second per address. */
export const UNAUTHENTICATED_RATE_LIMIT: RateLimitOptions = { burst: 20, perSecond: 1 };

const MAX_BUCKETS = 10_000;

export interface RateLimiter {
  /** 0 when allowed (and counted); otherwise the seconds to wait. */
  take(key: string, now?: number): number;
}

export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  let buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key, now = Date.now()) {
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= MAX_BUCKETS) buckets = new Map();
        bucket = { tokens: options.burst, at: now };
        buckets.set(key, bucket);
      }
      bucket.tokens = Math.min(options.burst, bucket.tokens + ((now - bucket.at) / 1000) * options.perSecond);
      bucket.at = now;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.max(1, Math.ceil((1 - bucket.tokens) / options.perSecond));
    },
  };
}
