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
import { feedOrigin } from '../ingest/feed-origin.ts';
import { summariseProblems } from './problems.ts';
import type { RecordKind } from '../../shared/dto/core.ts';
import type { RefusedRow, SourceStatus, SourceSyncReport, SyncCounts } from '../../shared/dto/sync.ts';
import type { Db } from '../db/open.ts';
import { DEFAULT_COERCE } from '../ingest/coerce.ts';
import { FIELD_NAMES, KINDS } from '../ingest/fields.ts';
import { createRecordWriter } from '../ingest/writer.ts';
import { acceptedTotal, addCounts, emptyCounts, type AccountIdSet } from '../ingest/counts.ts';
import { markDataChanged } from '../risk/fingerprint.ts';
import { closeFirstPull, countFirstPullPage } from './first-pull.ts';
import {
  DEFAULT_RETRY,
  FeedAuthError,
  type FeedResponse,
  redactToken,
  FeedOfflineError,
  FeedServerError,
  MalformedPageError,
  defaultHttpDeps,
  feedRequest,
  type HttpDeps,
  type RetryPolicy,
} from './http.ts';
import { DEFAULT_FEED_LIMITS, type FeedLimits } from './limits.ts';
import { treatedFiredOn } from '../interventions/evaluate.ts';
import { controlOutbox } from './control-outbox.ts';
import { feedRepo, type CursorRow, type OutboxItem, type SourceRow } from './repo.ts';
import { recordRefusal } from './refused-outbox.ts';
import { teamRepo } from './team-repo.ts';
import { emptyTeamCounts, pullLogs, pushLogs, readCapabilities } from './team-sync.ts';

export interface SyncProgress {
  source: string;
  /** A record kind, a log kind (item_actions, interventions, activities), or 'outbox' while sending. */
  kind: string;
  page: number;
  /** Items received so far in this source's sync. */
  items: number;
  /** A retry or a long wait, worth a line of its own where no progress bar is drawn (http.ts, onWait). */
  notice?: string;
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
  /** Bounds of one sync (limits.ts); each default can be overridden. */
  limits?: Partial<FeedLimits>;
  /** Monotonic milliseconds, for the time budget (default performance.now). */
  clock?: () => number;
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

/** JSON text of a value, cut to `max` characters; a value too deep to stringify is described instead. */
function safeJson(value: unknown, max: number): string {
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, max);
  } catch {
    return '(a value nested too deeply to show)';
  }
}

function readPage(json: unknown, what: string, token: string | null): { items: unknown[]; next: string | null } {
  const body = redactToken(safeJson(json, 64 * 1024), token);
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new PageShapeError(`the feed's answer for ${what} is not an object with "items" and "next_cursor"`, body);
  const page = json as { items?: unknown; next_cursor?: unknown };
  if (!Array.isArray(page.items)) throw new PageShapeError(`the feed's answer for ${what} has no "items" array`, body);
  const next = page.next_cursor ?? null;
  if (next !== null && typeof next !== 'string')
    throw new PageShapeError(`the feed's answer for ${what} has a "next_cursor" that is not a string or null`, body);
  return { items: page.items, next: next === '' ? null : next };
}

/** What one source's sync carries from step to step. */
export interface SyncRun {
  db: Db;
  source: SourceRow;
  options: SyncSourceOptions;
  limits: FeedLimits;
  request: (
    url: string,
    what: string,
    etag: string | null,
    method?: 'GET' | 'POST',
    body?: string,
  ) => Promise<FeedResponse>;
  iso: () => string;
  counts: SyncCounts;
  report: SourceSyncReport;
  problems: string[];
  items: number;
  /** Monotonic ms at which the time budget runs out. */
  deadline: number;
  clock: () => number;
}

export async function syncSource(db: Db, source: SourceRow, options: SyncSourceOptions): Promise<SourceSyncOutcome> {
  const run = startRun(db, source, options);
  const attemptAt = run.iso();
  let fatal: Error | null = null;
  try {
    for (const kind of options.kinds ?? KINDS) await pullKind(run, kind);
    run.report.pullComplete = true;
    // The book is whole again: scoring may use it (first-pull.ts).
    closeFirstPull(db, source.name);
    // Protocol 1.1: a team hub also shares colleagues' item actions, interventions and activities.
    const caps = await readCapabilities(run);
    const team = { protocol: caps?.protocol ?? null, user: caps?.user ?? null, ...emptyTeamCounts() };
    run.report.team = team;
    if (caps) await pullLogs(run, caps, team);
    options.beforePush?.(options.changed);
    const postInterventions = (body: string) =>
      run.request(`${source.url}/v1/interventions`, 'the outbox', null, 'POST', body);
    run.report.pushed = await pushOutbox(run, postInterventions, interventionQueue(db, source.name));
    team.pushed.interventions = run.report.pushed;
    // Only a hub takes held-out firings: the team report's comparison group (docs/team-hub.md).
    if (caps?.push.includes('interventions')) {
      team.pushedControl = await pushOutbox(run, postInterventions, {
        pendingCount: () => controlOutbox(db).pendingCount(source.name),
        pendingBatch: (limit) => controlOutbox(db).pendingBatch(source.name, limit),
      });
      team.pushed.interventions += team.pushedControl;
    }
    await pushLogs(run, caps, team);
  } catch (error) {
    fatal = error instanceof Error ? error : new Error(String(error));
  }
  if (run.report.team) {
    const { pulled, pushed, pushedControl } = run.report.team;
    db.transaction(() => teamRepo(db).saveCounts(source.name, { pulled, pushed, pushedControl }))();
  }
  recordOutcome(run, attemptAt, fatal);
  // A bug (not a feed problem) is still recorded on the source above, then reported as the bug it is.
  if (fatal && !isFeedFailure(fatal)) throw fatal;
  return { report: run.report, counts: run.counts };
}

function startRun(db: Db, source: SourceRow, options: SyncSourceOptions): SyncRun {
  const deps: HttpDeps = {
    ...defaultHttpDeps(options.now),
    onWait: (notice) => options.onProgress?.({ source: source.name, kind: 'wait', page: 0, items: 0, notice }),
    ...options.http,
  };
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const limits: FeedLimits = { ...DEFAULT_FEED_LIMITS, ...options.limits };
  const token = options.token ?? '';
  const clock = options.clock ?? (() => performance.now());
  return {
    db,
    source,
    options,
    limits,
    request: (url, what, etag, method = 'GET', body) =>
      feedRequest(
        { source: source.name, url, token, method, etag, body, what, maxBodyBytes: limits.maxBodyBytes },
        policy,
        deps,
      ),
    iso: () => options.now().toISOString(),
    counts: emptyCounts(),
    report: {
      name: source.name,
      status: 'ok',
      message: null,
      pages: 0,
      notModified: [],
      pushed: 0,
      pendingOutbox: 0,
      refused: [],
      firstPull: source.last_success_at === null,
      pullComplete: false,
    },
    problems: [],
    items: 0,
    deadline: clock() + limits.timeBudgetMs,
    clock,
  };
}

/** Where one kind's pages go: its cursor, and how a page (or an unreadable one) is stored. */
export interface PageStore {
  cursor(): CursorRow | undefined;
  /** 410 Gone: forget the cursor, so the kind is read again from the beginning. */
  resetCursor(): void;
  /** Stores the page's items and the cursor to resume from, in one transaction. */
  writePage(
    origin: string,
    parsed: { items: unknown[]; next: string | null },
    cursor: string | null,
    etag: string | null,
  ): void;
  quarantine(origin: string, error: MalformedPageError): void;
}

/** Pulls one record kind page by page until its last page, a 304, or a bound. */
async function pullKind(run: SyncRun, kind: RecordKind): Promise<void> {
  const repo = feedRepo(run.db);
  const name = run.source.name;
  const store: PageStore = {
    cursor: () => repo.cursor(name, kind),
    resetCursor: () => run.db.transaction(() => repo.saveCursor(name, kind, null, null, run.iso()))(),
    writePage: (origin, parsed, cursor, etag) => writePage(run, kind, origin, parsed, cursor, etag),
    quarantine: (origin, error) => quarantinePage(run, kind, origin, error),
  };
  if ((await pullPages(run, kind, store)) === 'not-modified') run.report.notModified.push(kind);
}

/**
 * Pulls one kind (a record kind or a log kind) page by page until its last page, a 304, or a
 * bound, storing each page with its cursor.
 */
export async function pullPages(run: SyncRun, kind: string, store: PageStore): Promise<'done' | 'not-modified'> {
  const { source, options } = run;
  const stored = store.cursor();
  let cursor = stored?.cursor ?? null;
  let etag = stored?.etag ?? null;
  let restarted = false;
  let page = 0;
  let emptyInARow = 0;
  // Every cursor this sync has asked with: one seen again means the feed is going round in circles.
  const seen = new Set<string | null>([cursor]);
  for (;;) {
    checkBudget(run, kind);
    const url = `${source.url}/v1/${kind}?${cursor !== null ? `cursor=${encodeURIComponent(cursor)}&` : ''}limit=${options.pageSize ?? 1000}`;
    const what = `${kind}${page > 0 ? ` (page ${page + 1})` : ''}`;
    const origin = feedOrigin(source.name, kind, cursor);
    const response = await run.request(url, what, etag).catch((error: unknown) => {
      if (!(error instanceof MalformedPageError)) throw error;
      return error;
    });
    etag = null;
    if (response instanceof MalformedPageError) {
      store.quarantine(origin, response);
      return 'done';
    }
    if (response.type === 'not-modified') return 'not-modified';
    if (response.type === 'gone') {
      if (restarted) throw new FeedServerError(`the feed keeps answering 410 Gone for ${kind}`);
      restarted = true;
      cursor = null;
      seen.clear();
      seen.add(null);
      store.resetCursor();
      continue;
    }
    if (response.type !== 'page') throw new FeedServerError(`the feed answered ${kind} unexpectedly`);
    let parsed: { items: unknown[]; next: string | null };
    try {
      parsed = readPage(response.json, what, options.token);
    } catch (error) {
      if (!(error instanceof PageShapeError)) throw error;
      store.quarantine(origin, error);
      return 'done';
    }
    store.writePage(origin, parsed, cursor, response.etag);
    run.report.pages++;
    run.items += parsed.items.length;
    page++;
    emptyInARow = parsed.items.length === 0 ? emptyInARow + 1 : 0;
    options.onProgress?.({ source: source.name, kind, page, items: run.items });
    if (parsed.next === null) return 'done';
    checkProgress(run, kind, parsed.next, seen, emptyInARow);
    seen.add(parsed.next);
    cursor = parsed.next;
  }
}

/** The bounds checked after every page: a cursor seen before, too many empty pages, too many pages. */
function checkProgress(run: SyncRun, kind: string, next: string, seen: Set<string | null>, emptyInARow: number) {
  if (seen.has(next))
    throw new FeedServerError(
      `the feed's next_cursor for ${kind} came back to one it had already sent in this sync, so the sync stopped instead of going round in circles`,
    );
  if (emptyInARow >= run.limits.maxEmptyPagesInARow)
    throw new FeedServerError(
      `the feed sent ${emptyInARow} empty pages of ${kind} in a row that each pointed to another page, so the sync stopped`,
    );
  if (run.report.pages >= run.limits.maxPagesPerSync)
    throw new FeedServerError(
      `the sync reached its limit of ${run.limits.maxPagesPerSync} pages and stopped; the next sync continues where this one ended`,
    );
}

function checkBudget(run: SyncRun, kind: string): void {
  if (run.clock() <= run.deadline) return;
  throw new FeedServerError(
    `the sync used its time budget of ${Math.round(run.limits.timeBudgetMs / 60_000)} min while reading ${kind} and stopped; the next sync continues where this one ended`,
  );
}

/** A page that cannot be read even after retries: its (redacted) body goes to the quarantine and the kind is skipped. */
function quarantinePage(run: SyncRun, kind: RecordKind, origin: string, error: MalformedPageError): void {
  run.db.transaction(() => {
    const writer = createRecordWriter(run.db, { createdAt: run.iso(), changed: run.options.changed });
    writer.reject(kind, { origin, line: null, unit: 'item' }, null, error.message, {
      rawText: redactToken(error.body, run.options.token),
    });
    addCounts(run.counts, writer.counts);
  })();
  run.problems.push(error.message);
}

/** Writes one page's items and its cursor in one transaction. */
function writePage(
  run: SyncRun,
  kind: RecordKind,
  origin: string,
  parsed: { items: unknown[]; next: string | null },
  cursor: string | null,
  etag: string | null,
): void {
  const { db, source, options } = run;
  const fields = FIELD_NAMES[kind];
  db.transaction(() => {
    const writer = createRecordWriter(db, { createdAt: run.iso(), changed: options.changed });
    parsed.items.forEach((item, index) => {
      const where = { origin, line: index + 1, unit: 'item' as const };
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        writer.reject(kind, where, null, `is ${safeJson(item, 80)}, not a JSON object`, {
          rawText: redactToken(safeJson(item, 64 * 1024), options.token),
        });
        return;
      }
      const raw: Record<string, unknown> = {};
      for (const field of fields) {
        if (!(field in item)) continue;
        const value = (item as Record<string, unknown>)[field];
        // An item that echoes the token (a name field holding "Bearer …") must not store it either.
        raw[field] = typeof value === 'string' ? redactToken(value, options.token) : value;
      }
      writer.write(kind, raw, where, DEFAULT_COERCE, null);
    });
    // After the last page, stay on it with its ETag: the next sync asks "anything new here?".
    feedRepo(db).saveCursor(source.name, kind, parsed.next ?? cursor, parsed.next === null ? etag : null, run.iso());
    markDataChanged(db, acceptedTotal(writer.counts));
    if (run.report.firstPull) countFirstPullPage(db, source.name);
    addCounts(run.counts, writer.counts);
  }).immediate();
}

const isFeedFailure = (error: Error) =>
  error instanceof FeedAuthError || error instanceof FeedOfflineError || error instanceof FeedServerError;

/** Every ending is recorded on the source: its status, the sentence, and when to try again (a valid time or null). */
function recordOutcome(run: SyncRun, attemptAt: string, fatal: Error | null): void {
  const { db, source, options, report, problems } = run;
  const repo = feedRepo(db);
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
  const fatalMessage = fatal
    ? isFeedFailure(fatal)
      ? fatal.message
      : `the sync of ${source.name} failed unexpectedly (the details are in the log)`
    : null;
  report.message = fatalMessage ?? summariseProblems(problems);
  const failures = status === 'ok' ? 0 : source.failures + 1;
  const nowMs = options.now().getTime();
  const askedAt = fatal instanceof FeedServerError && fatal.retryAt ? fatal.retryAt.getTime() : NaN;
  const retryAtMs = Number.isFinite(askedAt)
    ? Math.min(askedAt, nowMs + run.limits.maxRetryAfterMs)
    : nowMs + retryDelayMs(failures);
  repo.recordOutcome(source.name, {
    status,
    attemptAt,
    successAt: status === 'ok' ? run.iso() : null,
    error: report.message,
    failures,
    // A rejected token will not start working by itself: no automatic retry until it is changed.
    nextRetryAt: status === 'ok' || status === 'unauthorised' ? null : new Date(retryAtMs).toISOString(),
  });
}

/** The interventions the source has not acknowledged in their current version, as outbox items. */
function interventionQueue(db: Db, source: string): OutboxQueue {
  const repo = feedRepo(db);
  return {
    pendingCount: () => repo.pendingCount(source),
    pendingBatch: (limit) =>
      repo.pendingBatch(source, limit).map(({ _version, _first_fired_on, ...intervention }) => ({
        id: intervention.intervention_id,
        version: _version,
        item: {
          ...intervention,
          version: _version,
          // The hub groups episodes by firing month, as the local report does.
          fired_on: treatedFiredOn(_first_fired_on, (intervention.sent_at as string | null) ?? null),
          outcome: repo.outcomeOf(intervention.intervention_id),
        },
      })),
  };
}

interface OutboxQueue {
  pendingCount(): number;
  pendingBatch(limit: number): OutboxItem[];
}

/**
 * POSTs every item of the queue the source has not acknowledged in its current version; returns how
 * many it acknowledged. A team hub (protocol 1.1) also gets the control episodes the same way.
 * A hub refuses a whole batch with 422 when one row is outside the token's book (a cover that
 * ended): the batch is then sent one row at a time, and a row refused on its own is acknowledged
 * for this source and remembered with the hub's sentence (refused-outbox.ts), so it stays in this
 * book, is shown with its reason, and never holds back the rest.
 */
async function pushOutbox(run: SyncRun, post: (body: string) => Promise<unknown>, queue: OutboxQueue): Promise<number> {
  const { db, source, options } = run;
  const repo = feedRepo(db);
  let pushed = 0;
  let handled = 0;
  let size = OUTBOX_BATCH;
  // Bounded: an intervention edited while we push is simply pending again next time.
  const limit = queue.pendingCount() + OUTBOX_BATCH;
  while (handled < limit) {
    const batch = queue.pendingBatch(size);
    if (batch.length === 0) break;
    let refusal: string | null = null;
    try {
      await post(JSON.stringify({ items: batch.map((b) => b.item) }));
    } catch (error) {
      if (!(error instanceof FeedServerError) || error.status !== 422) throw error;
      if (batch.length > 1) {
        size = 1;
        continue;
      }
      refusal = error.reason ?? error.message;
    }
    db.transaction(() => {
      const at = run.iso();
      for (const item of batch) {
        repo.acknowledge(source.name, item.id, item.version, at);
        if (refusal === null) continue;
        const refused: RefusedRow = {
          id: item.id,
          cohort: item.item.cohort === 'control' ? 'control' : 'treated',
          accountId: String(item.item.account_id),
          reason: refusal,
          at,
        };
        recordRefusal(db, source.name, refused);
        run.report.refused.push(refused);
      }
    })();
    handled += batch.length;
    if (refusal !== null) continue;
    pushed += batch.length;
    options.onProgress?.({ source: source.name, kind: 'outbox', page: 0, items: pushed });
  }
  return pushed;
}
