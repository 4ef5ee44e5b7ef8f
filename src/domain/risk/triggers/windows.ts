/** Window arithmetic several checks share. Windows end on (and include) the as-of day. */
import type { Series } from '../bundle.ts';
import { dayNumber } from '../days.ts';
import { num, signedPercent } from '../explain.ts';
import type { TriggerContext } from './define.ts';

/** A window counts only when at least this share of its days has data, so a gap is not a drop. */
export const MIN_WINDOW_COVERAGE = 0.5;

/** Days with data a window of `days` needs. */
export const covered = (days: number) => Math.max(1, Math.ceil(days * MIN_WINDOW_COVERAGE));

/** Days since the account was created, or null when it has no creation date. */
export function ageDays(ctx: TriggerContext): number | null {
  const created = ctx.bundle.account.created_at;
  return created ? ctx.day - dayNumber(created) : null;
}

export interface DropWindows {
  recentDays: number;
  baselineDays: number;
}

/** What a drop check records: both means, recent as a share of baseline, the fall, and the windows. */
export interface DropFacts extends DropWindows {
  recent: number;
  baseline: number;
  share: number | null;
  dropShare: number | null;
}

/**
 * The mean of the last `recentDays` against the mean of the `baselineDays` before them, as the
 * facts a drop check records, or null when either window has too few days of data.
 */
export function meanDrop(series: Series, day: number, w: DropWindows): DropFacts | null {
  const recentFrom = day - w.recentDays + 1;
  const recent = series.mean(recentFrom, day, covered(w.recentDays));
  const baseline = series.mean(recentFrom - w.baselineDays, recentFrom - 1, covered(w.baselineDays));
  if (!recent || !baseline) return null;
  const share = baseline.mean > 0 ? recent.mean / baseline.mean : null;
  return {
    recent: recent.mean,
    baseline: baseline.mean,
    share,
    dropShare: share === null ? null : Math.max(0, 1 - share),
    recentDays: w.recentDays,
    baselineDays: w.baselineDays,
  };
}

/** "Seats used 7-day mean 12 vs the prior 28-day mean 20 (−40%)": `label` and `prior` name the sides. */
export function dropSentence(label: string, prior: string, d: DropFacts): string {
  const change = d.share === null ? '' : ` (${signedPercent(d.share - 1)})`;
  return `${label} ${d.recentDays}-day mean ${num(d.recent)} vs the ${prior} ${d.baselineDays}-day mean ${num(d.baseline)}${change}`;
}

/** Whether a drop holds, its sentence (without a full stop) and its facts (empty without history). */
export interface DropState<F> {
  holds: boolean;
  text: () => string;
  facts: Partial<F>;
}
