/**
 * What an import, a feed page or a quarantine retry tells its caller: the counts of rows accepted,
 * unchanged and rejected (with the first errors), and which accounts the written rows touched.
 */
import type { RecordKind } from '../../shared/dto/core.ts';
import type { SyncCounts } from '../../shared/dto/sync.ts';

/** The row errors a result lists; the count goes on past it. */
export const ERROR_LIST_LIMIT = 1000;
/** Beyond this many changed accounts, downstream steps are told "everything changed". */
const CHANGED_IDS_LIMIT = 50_000;

export function emptyCounts(): SyncCounts {
  return {
    accepted: { accounts: 0, contacts: 0, metrics: 0, events: 0 },
    unchanged: 0,
    older: 0,
    rejected: 0,
    errors: [],
  };
}

export function addCounts(target: SyncCounts, source: SyncCounts): void {
  for (const kind of Object.keys(target.accepted) as RecordKind[]) target.accepted[kind] += source.accepted[kind];
  target.unchanged += source.unchanged;
  target.older += source.older;
  target.rejected += source.rejected;
  for (const error of source.errors) if (target.errors.length < ERROR_LIST_LIMIT) target.errors.push(error);
}

export function acceptedTotal(counts: SyncCounts): number {
  return counts.accepted.accounts + counts.accepted.contacts + counts.accepted.metrics + counts.accepted.events;
}

export interface AccountIdSet {
  add(id: string): void;
  /** null once too many to list: downstream steps then treat everything as changed. */
  values(): string[] | null;
  /** Rows dated from `day` on were written (null: rows that bear on every day, or an unknown day). */
  touch(day: string | null): void;
  /** The first day written rows date: null for every day, undefined when nothing was touched. */
  since(): string | null | undefined;
}

export function accountIdSet(): AccountIdSet {
  let ids: Set<string> | null = new Set();
  let since: string | null | undefined;
  return {
    add(id) {
      if (ids === null) return;
      ids.add(id);
      if (ids.size > CHANGED_IDS_LIMIT) ids = null;
    },
    values: () => (ids === null ? null : [...ids]),
    touch(day) {
      if (since === null) return;
      since = day === null ? null : since === undefined || day < since ? day : since;
    },
    since: () => since,
  };
}
