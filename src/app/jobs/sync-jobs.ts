/**
 * The sync capability's jobs: file import, feed sync and quarantine re-check. Each runs the
 * after-data-change steps (rescoring, outcome evaluation) for the accounts it changed, in the
 * same job, and marks the data as fresh (META_KEYS.lastSyncAt) when it brought data in.
 */
import type { Surface } from '../../domain/ingest/remedies.ts';
import { basename } from 'node:path';
import type { RecordKind } from '../../shared/dto/core.ts';
import {
  firstPullIncomplete,
  syncKindWords,
  type ImportResult,
  type RankingChange,
  type SyncCounts,
  type SyncResult,
} from '../../shared/dto/sync.ts';
import type { Db } from '../../domain/db/open.ts';
import { META_KEYS, metaRepo } from '../../domain/db/repos/meta.ts';
import type { RetryPolicy } from '../../domain/feed/http.ts';
import type { FeedLimits } from '../../domain/feed/limits.ts';
import { feedRepo } from '../../domain/feed/repo.ts';
import { syncFeeds, type SyncTarget } from '../../domain/feed/sync-feeds.ts';
import type { ImportFileSpec } from '../../domain/ingest/import-files.ts';
import { parseMapping, type MappingInput } from '../../domain/ingest/mapping.ts';
import { importWithPresets } from '../../domain/ingest/presets/import.ts';
import { retryQuarantine } from '../../domain/ingest/quarantine.ts';
import { acceptedTotal } from '../../domain/ingest/counts.ts';
import { rescoreOwed } from '../../domain/risk/fingerprint.ts';
import { failureReason, toUserFacing } from '../../domain/failure-sentence.ts';
import { runOutcomeEvaluation } from './outcomes.ts';
import { runAfterDataChange } from './after-data-change.ts';
import { rankingChange } from './risk.ts';
import type { JobProgress } from './registry.ts';

export interface ImportJobPayload {
  files: Required<ImportFileSpec>[];
  kind: RecordKind | null;
  mapping: MappingInput | null;
  asOf: string;
  /** ctx.now() when the job was asked for; the job's clock runs on from there. */
  startedAt: string;
  /** Read every file with this vendor preset instead of detecting one (docs/sync.md, "Presets"). */
  preset?: string | null;
  /** Report what would be imported, and import nothing. */
  dryRun?: boolean;
  /** Where the result is read, for the wording of remedies (remedies.ts); the CLI by default. */
  surface?: Surface;
}

export interface FeedJobPayload {
  targets: { name: string; token: string | null; tokenProblem: string | null }[];
  asOf: string;
  startedAt: string;
  retry?: Partial<RetryPolicy>;
  pageSize?: number;
  limits?: Partial<FeedLimits>;
}

export interface RetryJobPayload {
  asOf: string;
  startedAt: string;
}

/** A clock that starts at the caller's "now" and advances with real time. */
function clockFrom(startedAt: string): () => Date {
  const base = Date.parse(startedAt);
  const t0 = performance.now();
  return () => new Date(base + (performance.now() - t0));
}

/**
 * `owed`: rescoreOwed before the job wrote anything. A change whose rescore never finished (a
 * process killed after its rows committed) is in no job's changed accounts, so the book is scored
 * whole then, even when this job changed nothing; otherwise only what the job changed (issue 16).
 */
function afterChange(
  db: Db,
  progress: (p: JobProgress) => void,
  change: { changed: string[] | null; counts: SyncCounts; asOf: string; since?: string | null; owed: boolean },
): Record<string, unknown> | null {
  const { changed, counts, asOf, since, owed } = change;
  if (owed) return runAfterDataChange(db, { accountIds: null, asOf, since: null }, progress);
  if (acceptedTotal(counts) === 0 && changed !== null) return null;
  if (changed !== null && changed.length === 0) return null;
  return runAfterDataChange(db, { accountIds: changed, asOf, since }, progress);
}

/** The change a file import or quarantine re-check made, for afterChange. */
function changeOf(
  summary: SyncCounts & { changedAccountIds: string[] | null; changedSince?: string | null },
  asOf: string,
  owed: boolean,
) {
  return { changed: summary.changedAccountIds, counts: summary, asOf, since: summary.changedSince, owed };
}

/**
 * The rescore after rows that are already committed: its failure (another writer's lock, a full
 * disk) must not be reported as the import's, which would say "nothing was changed" and drop the
 * files' results (QA 5 #3). It is returned as a reason; the change stays owed (fingerprint.ts), so
 * the next list or data change scores it.
 */
function rescoreAfterCommit(run: () => Record<string, unknown> | null): {
  after: Record<string, unknown> | null;
  rankingFailed: string | null;
} {
  try {
    return { after: run(), rankingFailed: null };
  } catch (error) {
    // A failure the sentence explains is said once, by the caller; a bug's details go to the log.
    if (toUserFacing(error) === null) console.error('[sync] the rescore after committed data failed', error);
    return { after: null, rankingFailed: failureReason(error) };
  }
}

export function runImportJob(db: Db, payload: ImportJobPayload, progress: (p: JobProgress) => void): ImportResult {
  const now = clockFrom(payload.startedAt);
  const mapping = payload.mapping ? parseMapping(payload.mapping) : null;
  const owed = rescoreOwed(db);
  const summary = importWithPresets(db, payload.files, {
    kind: payload.kind,
    mapping,
    preset: payload.preset ?? null,
    dryRun: payload.dryRun ?? false,
    surface: payload.surface ?? 'cli',
    now,
    onProgress: (p) => {
      const share = p.totalBytes > 0 ? p.bytes / p.totalBytes : 1;
      const total = share > 0 ? Math.max(p.rows, Math.round(p.rows / share)) : null;
      progress({
        processed: p.rows,
        total,
        label: `Importing ${basename(p.file)}${p.fileCount > 1 ? ` (file ${p.fileIndex + 1} of ${p.fileCount})` : ''}`,
        unit: 'rows',
        // The last file's full bar is not the end: the book is scored next.
        done: false,
      });
    },
  });
  let ranking: RankingChange | null = null;
  let rankingFailed: string | null = null;
  if (!summary.dryRun) {
    const rescored = rescoreAfterCommit(() => afterChange(db, progress, changeOf(summary, payload.asOf, owed)));
    ranking = rankingChange(rescored.after);
    rankingFailed = rescored.rankingFailed;
    if (summary.files.some((file) => file.status !== 'failed'))
      metaRepo(db).set(META_KEYS.lastSyncAt, now().toISOString());
  }
  const rows = summary.files.reduce((sum, file) => sum + file.rows, 0);
  progress({ processed: rows, total: rows, unit: 'rows', done: true });
  const {
    changedAccountIds: _changed,
    changedSince: _since,
    resolvedQuarantine: _resolved,
    dryRun,
    ...result
  } = summary;
  return dryRun ? { ...result, dryRun } : { ...result, ranking, ...(rankingFailed ? { rankingFailed } : {}) };
}

export async function runFeedJob(
  db: Db,
  payload: FeedJobPayload,
  progress: (p: JobProgress) => void,
): Promise<SyncResult> {
  const now = clockFrom(payload.startedAt);
  const repo = feedRepo(db);
  const targets: SyncTarget[] = payload.targets.flatMap((target) => {
    const source = repo.get(target.name);
    return source ? [{ source, token: target.token, tokenProblem: target.tokenProblem }] : [];
  });
  let items = 0;
  const owed = rescoreOwed(db);
  const summary = await syncFeeds(db, targets, {
    now,
    retry: payload.retry,
    pageSize: payload.pageSize,
    limits: payload.limits,
    // Verdicts first, then the push: an outcome the pulled data decides goes out in this sync.
    beforePush: (changed) => {
      const ids = changed.values();
      if (ids === null || ids.length > 0) runOutcomeEvaluation(db, { accountIds: ids, asOf: payload.asOf }, now());
    },
    onProgress: (p) => {
      if (p.notice) {
        const notice = `${p.source}: ${p.notice}`;
        progress({ processed: items, total: null, label: `Syncing ${notice}`, notice });
        return;
      }
      items = p.items;
      progress({
        processed: p.items,
        total: null,
        label:
          p.kind === 'outbox'
            ? `Syncing ${p.source}: sending interventions`
            : `Syncing ${p.source}: ${syncKindWords(p.kind)}, page ${p.page}`,
      });
    },
  });
  // A first pull cut off part-way is not the book: scoring it would open risk items from half the
  // data. It is scored once a sync completes it, whole (its earlier pages are not in that sync's
  // changed accounts).
  const partial = summary.sources.some(firstPullIncomplete);
  const completedFirst = summary.sources.some((s) => s.firstPull && s.pullComplete && s.pages > 0);
  const { after, rankingFailed } = partial
    ? { after: null, rankingFailed: null }
    : rescoreAfterCommit(() =>
        afterChange(db, progress, {
          changed: completedFirst ? null : summary.changedAccountIds,
          counts: summary,
          asOf: payload.asOf,
          owed,
        }),
      );
  if (summary.sources.some((source) => source.status === 'ok'))
    metaRepo(db).set(META_KEYS.lastSyncAt, now().toISOString());
  progress({ processed: items, total: items, done: true });
  const { changedAccountIds: _changed, ...result } = summary;
  return { ...result, ranking: rankingChange(after), ...(rankingFailed ? { rankingFailed } : {}) };
}

export function runRetryJob(
  db: Db,
  payload: RetryJobPayload,
  progress: (p: JobProgress) => void,
): SyncCounts & { resolved: number; rankingFailed?: string } {
  const now = clockFrom(payload.startedAt);
  progress({ processed: 0, total: null, label: 'Re-checking quarantined rows' });
  const owed = rescoreOwed(db);
  const summary = retryQuarantine(db, { now });
  const { rankingFailed } = rescoreAfterCommit(() => afterChange(db, progress, changeOf(summary, payload.asOf, owed)));
  const done = summary.resolved + summary.rejected;
  progress({ processed: done, total: done, done: true });
  const { changedAccountIds: _changed, changedSince: _since, ...result } = summary;
  return rankingFailed ? { ...result, rankingFailed } : result;
}
