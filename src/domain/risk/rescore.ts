/**
 * When to score: after a data change (the changed accounts, or everything on a new day or a new
 * configuration), and whether the stored snapshot for a day is still current.
 */
import type { Db } from '../db/open.ts';
import { scoreAll, type ScoreAllOptions, type ScoreAllResult } from './score-all.ts';
import { bookFingerprint, recordFingerprint } from './fingerprint.ts';
import { snapshotNewestData, snapshotStaleness } from './staleness.ts';
import { cachedUntilDataChanges } from '../db/data-version.ts';
import { dataAgeRepo } from './data-age-repo.ts';
import { dayNumber } from './days.ts';
import { historyCoverageRepo } from './history-coverage.ts';
import { incompleteFirstPulls } from '../feed/first-pull.ts';

export { bookFingerprint, recordFingerprint };

// The staleness check lives in a light module of its own (status, risks and account ask it on every start).
export { snapshotStaleness, type Staleness } from './staleness.ts';

/**
 * The whole-book run the app schedules: today's scores, the churn curve refitted when the outcomes
 * changed. The history window is filled after the ranked list is stored (history-fill.ts: for the
 * accounts a screen shows, and by the app's background job for the rest), not in this pass.
 */
/** What a caller may follow of a run: its accounts as they are scored, the part it is in. */
export type ScoreProgress = Pick<ScoreAllOptions, 'onProgress' | 'onStage'>;

export function scoreBook(db: Db, options: { asOf: string; now?: string } & ScoreProgress): ScoreAllResult {
  const seen = bookFingerprint(db);
  const result = scoreAll(db, {
    asOf: options.asOf,
    now: options.now,
    calibrate: 'auto',
    onProgress: options.onProgress,
    onStage: options.onStage,
  });
  recordFingerprint(db, seen);
  return result;
}

/**
 * The after-data-change step: rescore the changed accounts, or the whole book when there is no
 * current snapshot for the day (a new day, a new configuration) or the change is "everything".
 * Null when the book holds no metric and no event yet (only accounts and contacts): there is
 * nothing to score, and the first list of the day scores the book (issue 16: an accounts file
 * imported first did all the scoring work for nothing).
 */
export function rescoreAfterChange(
  db: Db,
  change: { accountIds: readonly string[] | null; asOf: string; now?: string; since?: string | null },
  progress: ScoreProgress = {},
): ScoreAllResult | null {
  if (!holdsActivity(db)) return null;
  // A first pull stopped part-way: nothing is scored until a sync completes it (the change stays
  // owed through the fingerprint, and the sync that completes it scores the book whole).
  if (incompleteFirstPulls(db).length > 0) return null;
  // Before the run reads the data: a change another process commits meanwhile stays owed.
  const seen = bookFingerprint(db);
  // Their data changed, so may their history from the first day it dates: scored again, in the pass
  // when the days lie inside its window, else after the ranked list (history-fill.ts).
  const coverage = historyCoverageRepo(db);
  const since = change.since ?? null;
  if (change.accountIds === null) coverage.forgetAll(since);
  else coverage.forget(change.accountIds, since);
  const staleness = snapshotStaleness(db, change.asOf);
  if (change.accountIds === null || staleness === 'missing' || staleness === 'config_changed')
    return scoreBook(db, { asOf: change.asOf, now: change.now, ...progress });
  const result = scoreAll(db, { asOf: change.asOf, accountIds: change.accountIds, now: change.now, ...progress });
  recordFingerprint(db, seen);
  return result;
}

function holdsActivity(db: Db): boolean {
  return db.prepare('SELECT EXISTS (SELECT 1 FROM metrics) OR EXISTS (SELECT 1 FROM events)').pluck().get() === 1;
}

const newestByDay = cachedUntilDataChanges(() => new Map<string, string | null>());

/**
 * The newest day of the book's data on or before `day`. Performance: the day's current snapshot
 * already knows each active account's newest data day (a range read of one day's rows); only
 * without one are the accounts' series sought one by one (seconds on a 50,000-account book), and
 * the answer is kept until the data changes.
 */
export function newestDataOn(db: Db, day: string): string | null {
  const cache = newestByDay(db);
  if (cache.has(day)) return cache.get(day) ?? null;
  let newest = snapshotNewestData(db, day);
  newest ??= dataAgeRepo(db).bookNewest(dayNumber(day));
  cache.set(day, newest);
  return newest;
}
