/**
 * The bounds of one feed sync (docs/sync.md "Limits"). A feed is a server we do not control: its
 * cursor can cycle, its pages can be empty forever, its body can be gigabytes, and its Retry-After
 * can be any number. Each bound ends the source's sync with a recorded failure and its backoff,
 * never an endless loop or an unbounded buffer.
 */
export interface FeedLimits {
  /** A response body larger than this is refused while it is read (never buffered whole). */
  maxBodyBytes: number;
  /** Pages fetched in one sync of one source, all kinds together. */
  maxPagesPerSync: number;
  /** Empty pages in a row that still point to a next page. */
  maxEmptyPagesInARow: number;
  /** Wall-clock time one sync of one source may take before it stops (it resumes next time). */
  timeBudgetMs: number;
  /** The longest Retry-After believed; anything larger (or unreadable as a time) counts as this. */
  maxRetryAfterMs: number;
}

export const DEFAULT_FEED_LIMITS: FeedLimits = {
  // A hub page holds at most 5,000 items (tens of MB at most); parsing costs a few times the text.
  maxBodyBytes: 64 * 1024 * 1024,
  maxPagesPerSync: 20_000,
  maxEmptyPagesInARow: 100,
  timeBudgetMs: 30 * 60_000,
  maxRetryAfterMs: 24 * 3600_000,
};

export const MB = 1024 * 1024;
