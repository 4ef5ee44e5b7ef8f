/**
 * History after the ranked list (issue 16). A whole-book run writes the day and keeps each account's
 * history contiguous (score-account-days.ts); the days of the history window it does not hold are
 * filled here, after the ranked list is stored:
 *
 *   dailyScores(db, ids, asOf, 30)          // a screen's accounts: their missing days first, then the series
 *   await fillBookHistory(db, { asOf })     // the app's background job: the rest of the book, in chunks
 *
 * Coverage decides what is missing (history-coverage.ts: per account, per configuration version,
 * forgotten from the first changed day on a data change, and wholly when the weights in use change),
 * and each fill scores those days from one bundle read (backfillAccount), so the values are those
 * the eager backfill wrote. Each fill reads, scores and writes inside one IMMEDIATE transaction, so
 * a concurrent fill (the background job beside a screen) either finds the days already covered or
 * waits for the lock, never writes a day twice, and no import can land between the read and the
 * write. A screen waits for the lock only briefly: when another writer (an import) holds it, the
 * missing days are scored without being stored and shown all the same.
 */
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import { componentsFor, effectiveTriggers } from './config.ts';
import { dataAgeRepo } from './data-age-repo.ts';
import { dayNumber, dayString } from './days.ts';
import { historyCoverageRepo, type Coverage } from './history-coverage.ts';
import { bundleReader } from './load.ts';
import { backfillAccount, type HistoryOut, type HistoryPlan } from './score-account-days.ts';
import { lookbacks, statusOn } from './score-plan.ts';
import { riskStore, type ScoreRow } from './store.ts';
import { historyWeightsCurrent, refreshHistoryOnNewWeights, scoringConfig } from './weights-in-use.ts';

/** How long a screen's fill waits for another writer before it shows the days unstored. */
const SCREEN_WAIT_MS = 200;

/** Accounts per transaction of the background fill (about 15,000 rows at 30 days: a fraction of a second). */
const CHUNK = 500;

interface FillContext {
  plan: HistoryPlan & { backfillFrom: number };
  weights: ReturnType<typeof scoringConfig>['weights'];
  /** Whether the stored history was scored with the weights in use (else it all counts as missing). */
  weightsCurrent: boolean;
  window: Parameters<ReturnType<typeof bundleReader>['listed']>[1];
}

function fillContext(db: Db, asOf: string): FillContext {
  const { version, config, weights } = scoringConfig(db, asOf);
  const asOfDay = dayNumber(asOf);
  const from = asOfDay - config.historyDays + 1;
  const reach = lookbacks(config, effectiveTriggers(config));
  return {
    plan: { backfillFrom: from, asOf, asOfDay, compareDay: Number.NaN, version, config, writesDay: false },
    weights,
    weightsCurrent: historyWeightsCurrent(db, weights),
    // As the whole-book run reads them for these days: accounts churned before the window are skipped.
    window: {
      metricsFrom: from - reach.metrics,
      eventsFrom: from - reach.events,
      to: asOfDay,
      liveOnly: true,
      churnedSince: from,
    },
  };
}

/** The accounts of `ids` that lack some day of the window (all of them when the weights changed). */
function needing(db: Db, fill: FillContext, ids: readonly string[] | null): string[] {
  const { plan } = fill;
  if (!fill.weightsCurrent && ids !== null) return [...ids];
  return historyCoverageRepo(db).needing(ids, plan.backfillFrom, plan.asOfDay, plan.version);
}

/** Scores the missing days of these accounts (their coverage as stored, or none) from one read. */
function scoreMissing(db: Db, fill: FillContext, ids: readonly string[], stored: Map<string, Coverage>): HistoryOut {
  const out: HistoryOut = { history: [], coverage: [], backfilled: 0 };
  if (ids.length === 0) return out;
  const { plan } = fill;
  const ages = dataAgeRepo(db);
  const book = ages.bookCoverage(plan.backfillFrom, plan.asOfDay);
  for (const bundle of bundleReader(db).listed(ids, fill.window)) {
    const account = bundle.account;
    bundle.book = book;
    const churnedOn =
      account.status === 'churned' ? (account.churned_at ?? ages.firstChurnEvent(account.account_id)) : null;
    if (statusOn(account, plan.asOf, churnedOn) === 'not_yet') continue;
    const params = componentsFor(plan.config, account.segment);
    backfillAccount(plan, out, bundle, params, stored.get(account.account_id), churnedOn);
  }
  return out;
}

/** Inside a write transaction: the accounts still missing days are scored and stored. */
function fillNow(db: Db, fill: FillContext, ids: readonly string[] | null): HistoryOut {
  refreshHistoryOnNewWeights(db, fill.weights);
  fill.weightsCurrent = true;
  const coverage = historyCoverageRepo(db);
  const still = needing(db, fill, ids);
  const out = scoreMissing(db, fill, still, coverage.of(still));
  riskStore(db).upsertScores(out.history);
  for (const row of out.coverage) coverage.upsert(row);
  return out;
}

const isBusy = (error: unknown) =>
  typeof (error as { code?: unknown })?.code === 'string' && (error as { code: string }).code.startsWith('SQLITE_BUSY');

/** Runs `work` in an IMMEDIATE transaction, waiting at most `waitMs` for the lock; null when it was busy. */
function withWriteLock<T>(db: Db, waitMs: number, work: () => T): T | null {
  if (db.inTransaction) return work();
  const previous = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma(`busy_timeout = ${waitMs}`);
  try {
    return db.transaction(work).immediate();
  } catch (error) {
    if (isBusy(error)) return null;
    throw error;
  } finally {
    db.pragma(`busy_timeout = ${previous}`);
  }
}

/**
 * Makes sure these accounts hold every day of the history window before `asOf` (the ranked day):
 * what is missing is scored and stored in one short write transaction. `unsaved`: the rows scored
 * but not stored because another writer held the lock (the caller shows them all the same).
 */
export function fillHistory(
  db: Db,
  accountIds: readonly string[],
  asOf: string,
  options: { waitMs?: number } = {},
): { filled: number; unsaved: ScoreRow[] } {
  if (accountIds.length === 0) return { filled: 0, unsaved: [] };
  const fill = fillContext(db, asOf);
  if (needing(db, fill, accountIds).length === 0) return { filled: 0, unsaved: [] };
  const done = withWriteLock(db, options.waitMs ?? SCREEN_WAIT_MS, () => fillNow(db, fill, accountIds));
  if (done) return { filled: done.backfilled, unsaved: [] };
  // Another writer: the days from the data as it is, unstored. Under other weights nothing stored counts.
  const missing = needing(db, fill, accountIds);
  const stored = fill.weightsCurrent ? historyCoverageRepo(db).of(missing) : new Map<string, Coverage>();
  return { filled: 0, unsaved: scoreMissing(db, fill, missing, stored).history };
}

const pointsRepo = perConnection((db: Db) =>
  db.prepare<{ ids: string; from: string; to: string }, { account_id: string; as_of: string; score: number | null }>(
    `SELECT s.account_id, s.as_of, s.score FROM json_each(@ids) j
     JOIN risk_scores s ON s.account_id = j.value AND s.as_of >= @from AND s.as_of <= @to`,
  ),
);

/**
 * Each account's daily score over the `days` days through `asOf`, oldest first (null on a day
 * without one: before the account existed, after it churned, or with no data to score), after its
 * missing days are filled (fillHistory). The list's sparklines and the Accounts grid read this.
 */
export function dailyScores(
  db: Db,
  accountIds: readonly string[],
  asOf: string,
  days: number,
): Map<string, (number | null)[]> {
  const { unsaved } = fillHistory(db, accountIds, asOf);
  const from = dayNumber(asOf) - days + 1;
  const lines = new Map<string, (number | null)[]>();
  const put = (point: { account_id: string; as_of: string; score: number | null }) => {
    const i = dayNumber(point.as_of) - from;
    if (i < 0 || i >= days) return;
    let line = lines.get(point.account_id);
    if (!line) lines.set(point.account_id, (line = new Array<number | null>(days).fill(null)));
    line[i] = point.score;
  };
  for (const point of pointsRepo(db).all({ ids: JSON.stringify(accountIds), from: dayString(from), to: asOf }))
    put(point);
  for (const row of unsaved) put(row);
  return lines;
}

/**
 * The background fill: every account's missing days before `asOf`, CHUNK accounts a transaction,
 * yielding between chunks (`pause`) so that a screen's fill or an import can take the lock. Stops,
 * `interrupted`, when another writer holds the lock longer than the connection's busy timeout: the
 * job that follows that writer's work fills the rest.
 */
export async function fillBookHistory(
  db: Db,
  options: {
    asOf: string;
    chunkSize?: number;
    onProgress?: (processed: number, total: number) => void;
    pause?: () => Promise<void>;
  },
): Promise<{ asOf: string; accounts: number; filled: number; rows: number; interrupted: boolean }> {
  const fill = fillContext(db, options.asOf);
  const result = { asOf: options.asOf, accounts: 0, filled: 0, rows: 0, interrupted: false };
  const write = (work: () => HistoryOut) => {
    try {
      return db.transaction(work).immediate();
    } catch (error) {
      if (isBusy(error)) return null;
      throw error;
    }
  };
  // The weights first (their change forgets every account's coverage), then who needs days.
  if (!fill.weightsCurrent && write(() => fillNow(db, fill, [])) === null) return { ...result, interrupted: true };
  const ids = needing(db, fill, null);
  result.accounts = ids.length;
  const size = Math.max(1, options.chunkSize ?? CHUNK);
  for (let offset = 0; offset < ids.length; offset += size) {
    const done = write(() => fillNow(db, fill, ids.slice(offset, offset + size)));
    if (done === null) return { ...result, interrupted: true };
    result.filled += done.backfilled;
    result.rows += done.history.length;
    options.onProgress?.(Math.min(ids.length, offset + size), ids.length);
    await (options.pause ?? yieldToOthers)();
  }
  return result;
}

const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));
