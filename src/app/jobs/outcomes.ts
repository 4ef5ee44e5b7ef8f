/**
 * Interventions' jobs and their after-data-change step. registry.ts imports this module, so the
 * step is registered wherever jobs run (worker threads, the CLI, the app's own thread).
 */
import type { Db } from '../../domain/db/open.ts';
import { evaluateOutcomes, type EvaluationSummary } from '../../domain/interventions/evaluate.ts';
import { loadDemoInterventionHistory, type DemoHistoryResult } from '../../domain/interventions/demo-history.ts';
import { metaRepo } from '../../domain/db/repos/meta.ts';
import { afterDataChangeSteps, type DataChange } from './after-data-change.ts';
import type { JobFn } from './registry.ts';
import { cachedUntilDataChanges } from '../../domain/db/data-version.ts';
import { METRICS_WRITTEN_KEY } from '../../domain/risk/series-cache-hooks.ts';

/** app_meta key: the as-of date of the last full evaluation, to re-run once per new day. */
export const OUTCOMES_EVALUATED_ON = 'outcomes_evaluated_on';

/**
 * Evaluates success criteria. `now` is the wall clock for updated_at (what the sync outbox
 * reads); the verdict itself depends only on the data and `asOf`.
 */
export function runOutcomeEvaluation(db: Db, change: DataChange, now = new Date()): EvaluationSummary {
  const summary = evaluateOutcomes(db, { asOf: change.asOf, accountIds: change.accountIds, now });
  const meta = metaRepo(db);
  if (change.accountIds === null) meta.set(OUTCOMES_EVALUATED_ON, change.asOf);
  // The changed accounts are covered, so reads need not evaluate again for the same data.
  meta.set(OUTCOMES_FINGERPRINT, outcomeDataFingerprint(db));
  return summary;
}

/** app_meta key: a cheap summary of the data the last full evaluation saw. */
export const OUTCOMES_FINGERPRINT = 'outcomes_fingerprint';

/**
 * Changes whenever data an outcome depends on is added: events, metric rows, risk items (new
 * control items), churned or removed accounts. A backstop for writers that do not run the
 * after-data-change steps, checked on every interventions read. Metric rows are seen through the
 * number every metrics writer moves (METRICS_WRITTEN_KEY, series-cache-hooks.ts), not counted:
 * a count walks the whole table (0.27 s at 29 million rows), and every import paid it (issue 16).
 * Metric rows go only with their account (ON DELETE CASCADE), which the accounts count sees.
 */
export const outcomeDataFingerprint = cachedUntilDataChanges((db: Db): string =>
  db
    .prepare<[], string>(
      `SELECT (SELECT coalesce(max(rowid), 0) FROM events) || ':' || (SELECT count(*) FROM events) || ':' ||
              (SELECT coalesce(max(value), '0') FROM app_meta WHERE key = '${METRICS_WRITTEN_KEY}') || ':' ||
              (SELECT count(*) FROM accounts) || ':' ||
              (SELECT coalesce(max(item_id), 0) FROM risk_items) || ':' || (SELECT count(*) FROM risk_items WHERE is_control = 1) || ':' ||
              (SELECT count(*) FROM accounts WHERE status = 'churned')`,
    )
    .pluck()
    .get()!,
);

/**
 * Runs the full evaluation when none has run for `asOf` yet (the "on day change" evaluation) or
 * when the data changed since the last one; returns null when nothing needed doing.
 */
export function evaluateIfStale(db: Db, asOf: string, now = new Date()): EvaluationSummary | null {
  const meta = metaRepo(db);
  const last = meta.get(OUTCOMES_EVALUATED_ON);
  const fingerprint = outcomeDataFingerprint(db);
  if (last !== null && last === asOf && meta.get(OUTCOMES_FINGERPRINT) === fingerprint) return null;
  const summary = runOutcomeEvaluation(db, { accountIds: null, asOf }, now);
  meta.set(OUTCOMES_FINGERPRINT, fingerprint);
  return summary;
}

if (!afterDataChangeSteps.some((step) => step.name === 'interventions.outcomes')) {
  afterDataChangeSteps.push({
    name: 'interventions.outcomes',
    run: (db, change, progress) => {
      progress({ processed: 0, total: null, label: 'Checking intervention outcomes', done: false });
      return runOutcomeEvaluation(db, change);
    },
  });
}

export const outcomeJobs = {
  'outcomes.evaluate': ((db, payload: { asOf: string; accountIds: string[] | null }) =>
    runOutcomeEvaluation(db, payload)) satisfies JobFn<
    { asOf: string; accountIds: string[] | null },
    EvaluationSummary
  >,
  'interventions.demoHistory': ((db, payload: { asOf: string }, progress) =>
    loadDemoInterventionHistory(db, {
      asOf: payload.asOf,
      now: new Date(),
      onProgress: (processed, total) => progress({ processed, total }),
    })) satisfies JobFn<{ asOf: string }, DemoHistoryResult>,
};
