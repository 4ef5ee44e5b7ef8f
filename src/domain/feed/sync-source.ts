/**
 * Syncs one feed source (docs/feed-protocol.md): pulls accounts, contacts, metrics and events
 * page by page, each page and its cursor in one transaction, then pushes the outbox.
 *
 * Resuming: the cursor stored for a kind is where the next request starts. While a kind has more
 * pages it is the next page's cursor; after the last page it is that page's own cursor with its
 * ETag, so the next sync asks for the same page with If-None-Match and a 304 means "nothing new".
 * A sync that stops anywhere (kill, network loss) leaves whole pages behind it, and the next one
 * continues from there; upserts make a page seen twice harmless, so the end state is the same.
 */
import type { RecordKind } from '../../shared/dto/core.ts';
import type { SourceStatus, SourceSyncReport, SyncCounts } from '../../shared/dto/sync.ts';
import type { Db } from '../db/open.ts';
import { DEFAULT_COERCE } from '../ingest/coerce.ts';
import { FIELD_NAMES, KINDS } from '../ingest/fields.ts';
import { addCounts, createRecordWriter, emptyCounts, type AccountIdSet } from '../ingest/writer.ts';
import {
  DEFAULT_RETRY,
  FeedAuthError,
  FeedOfflineError,
  FeedServerError,
  MalformedPageError,
  defaultHttpDeps,
  feedRequest,
  type HttpDeps,
  type RetryPolicy,
} from './http.ts';
import { feedRepo, type SourceRow } from './repo.ts';

export interface SyncProgress {
  source: string;
  kind: RecordKind | 'outbox';
  page: number;
  /** Items received so far in this source's sync. */
  items: number;
}

export interface SyncSourceOptions {
  /** The bearer token (null for a feed without authentication). Used for requests only. */
  token: string | null;
  now: () => Date;
  changed: AccountIdSet;
  http?: Partial<HttpDeps>;
  retry?: Partial<RetryPolicy>;
  /** Items per page asked for (the `limit` parameter). */
  pageSize?: number;
  kinds?: readonly RecordKind[];
  onProgress?: (progress: SyncProgress) => void;
  /**
   * Runs after the pull and before the outbox push: the app evaluates outcomes here, so a verdict
   * the new data decides is sent in this sync, not the next one.
   */
  beforePush?: (changed: AccountIdSet) => void;
}

export interface SourceSyncOutcome {
  report: SourceSyncReport;
  counts: SyncCounts;
}

const OUTBOX_BATCH = 100;
/** A failing source waits 1, 2, 4 … minutes before the next automatic attempt, at most an hour. */
export function retryDelayMs(failures: number): number {
  return Math.min(60, 2 ** Math.max(0, failures - 1)) * 60_000;
}

class PageShapeError extends MalformedPageError {}

function readPage(json: unknown, what: string): { items: unknown[]; next: string | null } {
  const body = JSON.stringify(json)?.slice(0, 64 * 1024) ?? '';
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new PageShapeError(`the feed's answer for ${what} is not an object with "items" and "next_cursor"`, body);
  const page = json as { items?: unknown; next_cursor?: unknown };
  if (!Array.isArray(page.items)) throw new PageShapeError(`the feed's answer for ${what} has no "items" array`, body);
  const next = page.next_cursor ?? null;
  if (next !== null && typeof next !== 'string')
    throw new PageShapeError(`the feed's answer for ${what} has a "next_cursor" that is not a string or null`, body);
  return { items: page.items, next: next === '' ? null : next };
}

export async function syncSource(db: Db, source: SourceRow, options: SyncSourceOptions): Promise<SourceSyncOutcome> {
  const repo = feedRepo(db);
  const deps: HttpDeps = { ...defaultHttpDeps(options.now), ...options.http };
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const pageSize = options.pageSize ?? 1000;
  const token = options.token ?? '';
  const iso = () => options.now().toISOString();
  const attemptAt = iso();
  const counts = emptyCounts();
  const report: SourceSyncReport = {
    name: source.name,
    status: 'ok',
    message: null,
    pages: 0,
    notModified: [],
    pushed: 0,
    pendingOutbox: 0,
  };
  let items = 0;
  const problems: string[] = [];
  let fatal: Error | null = null;

  const request = (url: string, what: string, etag: string | null, method: 'GET' | 'POST' = 'GET', body?: string) =>
    feedRequest({ source: source.name, url, token, method, etag, body, what }, policy, deps);

  try {
    for (const kind of options.kinds ?? KINDS) {
      const stored = repo.cursor(source.name, kind);
      let cursor = stored?.cursor ?? null;
      let etag = stored?.etag ?? null;
      let restarted = false;
      let page = 0;
      for (;;) {
        const url = `${source.url}/v1/${kind}?${cursor !== null ? `cursor=${encodeURIComponent(cursor)}&` : ''}limit=${pageSize}`;
        const what = `${kind}${page > 0 ? ` (page ${page + 1})` : ''}`;
        let response;
        try {
          response = await request(url, what, etag);
        } catch (error) {
          if (!(error instanceof MalformedPageError)) throw error;
          // The page cannot be read even after retries: keep its body in the quarantine, skip the kind.
          db.transaction(() => {
            const writer = createRecordWriter(db, { createdAt: iso(), changed: options.changed });
            writer.reject(
              kind,
              { origin: `feed:${source.name}/v1/${kind}?cursor=${cursor ?? ''}`, line: null, unit: 'item' },
              null,
              error.message,
              { rawText: error.body },
            );
            addCounts(counts, writer.counts);
          })();
          problems.push(error.message);
          break;
        }
        etag = null;
        if (response.type === 'not-modified') {
          report.notModified.push(kind);
          break;
        }
        if (response.type === 'gone') {
          if (restarted) throw new FeedServerError(`the feed keeps answering 410 Gone for ${kind}`);
          restarted = true;
          cursor = null;
          db.transaction(() => repo.saveCursor(source.name, kind, null, null, iso()))();
          continue;
        }
        if (response.type !== 'page') throw new FeedServerError(`the feed answered ${kind} unexpectedly`);
        let parsed: { items: unknown[]; next: string | null };
        try {
          parsed = readPage(response.json, what);
        } catch (error) {
          if (!(error instanceof PageShapeError)) throw error;
          db.transaction(() => {
            const writer = createRecordWriter(db, { createdAt: iso(), changed: options.changed });
            writer.reject(
              kind,
              { origin: `feed:${source.name}/v1/${kind}?cursor=${cursor ?? ''}`, line: null, unit: 'item' },
              null,
              error.message,
              { rawText: error.body },
            );
            addCounts(counts, writer.counts);
          })();
          problems.push(error.message);
          break;
        }
        const origin = `feed:${source.name}/v1/${kind}?cursor=${cursor ?? ''}`;
        const fields = FIELD_NAMES[kind];
        db.transaction(() => {
          const writer = createRecordWriter(db, { createdAt: iso(), changed: options.changed });
          parsed.items.forEach((item, index) => {
            const where = { origin, line: index + 1, unit: 'item' as const };
            if (item === null || typeof item !== 'object' || Array.isArray(item)) {
              writer.reject(kind, where, null, `is ${JSON.stringify(item)?.slice(0, 80)}, not a JSON object`, {
                rawText: JSON.stringify(item),
              });
              return;
            }
            const raw: Record<string, unknown> = {};
            for (const field of fields) if (field in item) raw[field] = (item as Record<string, unknown>)[field];
            writer.write(kind, raw, where, DEFAULT_COERCE, null);
          });
          // After the last page, stay on it with its ETag: the next sync asks "anything new here?".
          repo.saveCursor(source.name, kind, parsed.next ?? cursor, parsed.next === null ? response.etag : null, iso());
          addCounts(counts, writer.counts);
        }).immediate();
        page++;
        report.pages++;
        items += parsed.items.length;
        options.onProgress?.({ source: source.name, kind, page, items });
        if (parsed.next === null) break;
        if (parsed.next === cursor)
          throw new FeedServerError(`the feed returned the same next_cursor for ${kind} twice`);
        cursor = parsed.next;
      }
    }
    options.beforePush?.(options.changed);
    report.pushed = await pushOutbox(
      db,
      source,
      (body) => request(`${source.url}/v1/interventions`, 'the outbox', null, 'POST', body),
      iso,
      options,
    );
  } catch (error) {
    if (!(error instanceof FeedAuthError || error instanceof FeedOfflineError || error instanceof FeedServerError))
      throw error;
    fatal = error;
  }

  report.pendingOutbox = repo.pendingCount(source.name);
  const status: SourceStatus =
    fatal instanceof FeedAuthError
      ? 'unauthorised'
      : fatal instanceof FeedOfflineError
        ? 'offline'
        : fatal || problems.length > 0
          ? 'error'
          : 'ok';
  report.status = status;
  report.message = fatal ? fatal.message : problems.length > 0 ? problems.join('; ') : null;
  const failures = status === 'ok' ? 0 : source.failures + 1;
  const retryAt = fatal instanceof FeedServerError && fatal.retryAt ? fatal.retryAt : null;
  repo.recordOutcome(source.name, {
    status,
    attemptAt,
    successAt: status === 'ok' ? iso() : null,
    error: report.message,
    failures,
    // A rejected token will not start working by itself: no automatic retry until it is changed.
    nextRetryAt:
      status === 'ok' || status === 'unauthorised'
        ? null
        : (retryAt ?? new Date(options.now().getTime() + retryDelayMs(failures))).toISOString(),
  });
  return { report, counts };
}

/** POSTs every intervention the source has not acknowledged in its current version; returns how many it acknowledged. */
async function pushOutbox(
  db: Db,
  source: SourceRow,
  post: (body: string) => Promise<unknown>,
  iso: () => string,
  options: Pick<SyncSourceOptions, 'onProgress'>,
): Promise<number> {
  const repo = feedRepo(db);
  let pushed = 0;
  // Bounded: an intervention edited while we push is simply pending again next time.
  const limit = repo.pendingCount(source.name) + OUTBOX_BATCH;
  while (pushed < limit) {
    const batch = repo.pendingBatch(source.name, OUTBOX_BATCH);
    if (batch.length === 0) break;
    const payload = batch.map(({ _version, ...intervention }) => ({
      ...intervention,
      version: _version,
      outcome: repo.outcomeOf(intervention.intervention_id),
    }));
    await post(JSON.stringify({ items: payload }));
    db.transaction(() => {
      const at = iso();
      for (const item of batch) repo.acknowledge(source.name, item.intervention_id, item._version, at);
    })();
    pushed += batch.length;
    options.onProgress?.({ source: source.name, kind: 'outbox', page: 0, items: pushed });
  }
  return pushed;
}
