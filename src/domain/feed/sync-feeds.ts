/** Syncs several sources one after another and adds up what they brought. */
import type { SyncResult } from '../../shared/dto/sync.ts';
import type { Db } from '../db/open.ts';
import { accountIdSet, addCounts, emptyCounts } from '../ingest/counts.ts';
import { recordRun } from '../ingest/repo.ts';
import { acceptedTotal } from '../ingest/counts.ts';
import type { SourceRow } from './repo.ts';
import { syncSource, type SyncSourceOptions } from './sync-source.ts';

export interface SyncTarget {
  source: SourceRow;
  /** The resolved token, or null for an open feed. */
  token: string | null;
  /** Set when the token could not be resolved: the source is reported as failed without a request. */
  tokenProblem?: string | null;
}

export interface SyncFeedsSummary extends SyncResult {
  changedAccountIds: string[] | null;
}

export async function syncFeeds(
  db: Db,
  targets: readonly SyncTarget[],
  options: Omit<SyncSourceOptions, 'token' | 'changed'>,
): Promise<SyncFeedsSummary> {
  const summary: SyncFeedsSummary = { ...emptyCounts(), sources: [], changedAccountIds: null };
  const changed = accountIdSet();
  for (const target of targets) {
    const startedAt = options.now().toISOString();
    if (target.tokenProblem) {
      summary.sources.push({
        name: target.source.name,
        status: 'error',
        message: target.tokenProblem,
        pages: 0,
        notModified: [],
        pushed: 0,
        pendingOutbox: 0,
        refused: [],
        firstPull: target.source.last_success_at === null,
        pullComplete: false,
      });
      recordRun(db, {
        type: 'feed',
        origin: target.source.name,
        status: 'failed',
        started_at: startedAt,
        finished_at: options.now().toISOString(),
        accepted: { accounts: 0, contacts: 0, metrics: 0, events: 0 },
        unchanged: 0,
        rejected: 0,
        message: target.tokenProblem,
      });
      continue;
    }
    const { report, counts } = await syncSource(db, target.source, { ...options, token: target.token, changed });
    addCounts(summary, counts);
    summary.sources.push(report);
    const accepted = acceptedTotal(counts);
    recordRun(db, {
      type: 'feed',
      origin: target.source.name,
      status:
        report.status === 'offline' || report.status === 'unauthorised'
          ? report.status
          : report.status === 'error'
            ? 'failed'
            : counts.rejected > 0
              ? 'partial'
              : accepted > 0
                ? 'ok'
                : 'unchanged',
      started_at: startedAt,
      finished_at: options.now().toISOString(),
      accepted: counts.accepted,
      unchanged: counts.unchanged,
      rejected: counts.rejected,
      message: report.message ?? (report.notModified.length === 4 ? 'Not modified (304): nothing new' : null),
    });
  }
  summary.changedAccountIds = changed.values();
  return summary;
}
