/**
 * An account's past days: the history days it is missing (backfilled, so every account has its full
 * window), and the day its calibration sample is scored on. Both score a bundle already read:
 * score-all.ts calls them for each account of its pass, history-fill.ts backfillAccount for the
 * accounts a screen shows (or the background fill's chunk).
 */
import type { AccountBundle } from './bundle.ts';
import type { ComponentParams, ScoreConfig } from './config.ts';
import { dayNumber, dayString } from './days.ts';
import { packComponents, scoreDay } from './evaluate.ts';
import { missingDays, type Coverage } from './history-coverage.ts';
import type { Pass, Run } from './score-run.ts';
import type { ScoreRow } from './store.ts';

/**
 * What the history fill needs of its caller: a scoring run (Run satisfies it) or the fill on its own
 * (history-fill.ts), which writes neither the as-of day nor its comparison day.
 */
export interface HistoryPlan {
  /** First day of the history window, or null: nothing to fill. */
  backfillFrom: number | null;
  asOf: string;
  asOfDay: number;
  /** A day the caller writes itself (the run's comparison day), skipped; NaN: none. */
  compareDay: number;
  version: number;
  config: ScoreConfig;
  /**
   * A run that keeps history contiguous without backfilling it: only the days right after an
   * account's stored range, inside the window the run read anyway, are scored; an account without a
   * range under this version is covered from the as-of day on; one whose range ends before the
   * window keeps it. The days left out are filled later (history-fill.ts).
   */
  historyForward?: boolean;
  /** Whether the caller writes the as-of day's row (a scoring run does; the fill on its own does not). */
  writesDay?: boolean;
}

/** Where the fill puts its rows and coverage (the run's Pass, or the fill's own). */
export interface HistoryOut {
  history: ScoreRow[];
  coverage: Coverage[];
  backfilled: number;
}

/**
 * Fills the account's missing history days in the window: every day it was active (created, not yet
 * churned) that is not stored under this configuration. The as-of day and, for an active account,
 * the comparison day are written with the day itself by a scoring run.
 */
export function backfillAccount(
  run: HistoryPlan,
  pass: HistoryOut,
  bundle: AccountBundle,
  params: ComponentParams,
  stored: Coverage | undefined,
  churned: string | null,
): void {
  if (run.backfillFrom === null) return;
  const account = bundle.account;
  const active = churned === null || churned.slice(0, 10) > run.asOf;
  if (account.status === 'churned' && churned === null) return;
  if (run.historyForward && !active) return;
  const writesDay = run.writesDay ?? true;
  const created = account.created_at ? dayNumber(account.created_at) : null;
  const range = stored
    ? { version: stored.config_version, from: dayNumber(stored.from_day), through: dayNumber(stored.through_day) }
    : null;
  let from = Math.max(run.backfillFrom, created ?? run.backfillFrom);
  if (run.historyForward) {
    const kept = range !== null && range.version === run.version;
    // A gap older than the run's window: what is stored stays, and the fill closes the gap.
    if (kept && range.through < from - 1) return;
    from = kept ? Math.max(from, range.through + 1) : run.asOfDay;
  }
  const to = active ? run.asOfDay - 1 : Math.min(run.asOfDay - 1, dayNumber(churned as string) - 1);
  // No metric or event in the window: no day has a score to store (an accounts file imported
  // before its metrics). The days still count as covered; the import that brings the data
  // forgets the account's coverage (rescoreAfterChange), so they are scored then.
  const noData = bundle.metrics.size === 0 && bundle.contactLogins.size === 0 && bundle.events.size === 0;
  const days = noData ? [] : missingDays(from, to, range, run.version);
  for (const d of days) {
    if (active && d === run.compareDay) continue;
    const s = scoreDay(bundle, d, run.config, params);
    pass.history.push({
      account_id: account.account_id,
      as_of: dayString(d),
      score: s.score,
      band: s.band,
      components: packComponents(s),
      config_version: run.version,
    });
  }
  if (days.length > 0) pass.backfilled++;
  let first = from;
  let last = active && writesDay ? run.asOfDay : to;
  if (range && range.version === run.version && range.through >= first - 1 && range.from <= last + 1) {
    first = Math.min(first, range.from);
    last = Math.max(last, range.through);
    // Nothing new: no write (a day run keeps most accounts' coverage as it was).
    if (first === range.from && last === range.through) return;
  }
  if (first <= last)
    pass.coverage.push({
      account_id: account.account_id,
      config_version: run.version,
      from_day: dayString(first),
      through_day: dayString(last),
    });
}

/** Calibration samples: active accounts scored `lead` days before the fit day, churners `lead` days before their churn. */
export function sampleForCalibration(
  run: Run,
  pass: Pass,
  bundle: AccountBundle,
  params: ComponentParams,
  status: 'active' | 'churned',
): void {
  if (!run.plan) return;
  const lead = run.config.calibration.leadDays;
  const account = bundle.account;
  const created = account.created_at ? dayNumber(account.created_at) : null;
  // As of the curve's fit day (score-plan.ts, planCalibration), on or before the run's day: nothing
  // the curve depends on changed in between, so an account active now and created by then was
  // active then, and every churner in its window had churned by then.
  const fitDay = run.plan.asOfDay;
  if (status === 'active') {
    if (created !== null && created > fitDay - lead) return;
    const s = scoreDay(bundle, fitDay - lead, run.config, params);
    if (s.score !== null) pass.samples.push({ score: s.score, label: 0 });
    return;
  }
  if (!account.churned_at) return;
  const churnedDay = dayNumber(account.churned_at);
  const at = churnedDay - lead;
  if (churnedDay < run.plan.windowFrom || churnedDay > fitDay || (created !== null && created > at)) return;
  const s = scoreDay(bundle, at, run.config, params);
  if (s.score !== null) pass.samples.push({ score: s.score, label: 1 });
}
