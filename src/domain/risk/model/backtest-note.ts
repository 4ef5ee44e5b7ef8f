/** How the reported backtest was measured (fit.ts), and the words that say so. */
import type { ModelMethod } from './fit.ts';
import type { AccountSample, SampleSet } from './samples.ts';

/**
 * The replayed days, or, when none can be replayed yet (a young book: no past day has enough of
 * its window seen, or none has past days before it to refit on), the early estimate: the newest
 * past day's cross-validated predictions (the `seen` fallback of chooseModel).
 */
export function replayOrEarly(
  replay: { p: Float64Array; origins: number[] },
  early: { p: Float64Array; origins: number[] },
): { p: ArrayLike<number>; origins: number[] } {
  return replay.origins.length > 0 ? replay : early;
}

/** How the reported figures were measured, in words (Settings and score-quality show it). */
export function backtestNote(
  set: SampleSet,
  reported: readonly number[],
  horizonDays: number,
  method: ModelMethod,
  how: { early: boolean; crossValidated: boolean },
): string {
  if (reported.length === 0)
    return set.origins.length === 0 && set.daysWithoutData
      ? 'Nothing to judge: no account had fresh data on the past days the backtest would score.'
      : 'Too little history to judge: no past day has enough of its outcome window seen.';
  if (how.early || how.crossValidated) {
    const o = set.origins[reported[reported.length - 1] as number];
    const scored = how.crossValidated
      ? 'cross-validated by account (the model learned from the same weeks, so the figure is provisional)'
      : `scored by the ${method === 'curve' ? 'fitted' : 'default'} curve`;
    const why = how.early
      ? 'no past day has enough of its outcome window seen yet'
      : 'no past day can be replayed yet (none has earlier days to refit on)';
    return `An early estimate: ${why}, so the newest past day (${o?.day}, ${o?.windowDays} of ${horizonDays} days of outcomes seen) stands in, ${scored}.`;
  }
  const windows = reported.map((k) => set.origins[k]?.windowDays ?? 0);
  const low = Math.min(...windows);
  const high = Math.max(...windows);
  const seen = low === high ? `${low}` : `${low}–${high}`;
  const span =
    low >= horizonDays
      ? `their whole ${horizonDays}-day windows seen`
      : `${seen} of ${horizonDays} days of outcomes seen`;
  const days = `${reported.length} past day${reported.length === 1 ? '' : 's'}`;
  if (method === 'learned')
    return `The ${days} nearest the as-of day (${span}), each scored by the model as it would have been fitted on that day.`;
  return `${days.charAt(0).toUpperCase()}${days.slice(1)} with enough outcomes seen (${span}), scored by the ${method === 'curve' ? 'fitted' : 'default'} curve.`;
}

/**
 * The words added when the samples came from a sample of the book's accounts (samples.ts): the
 * figures are then measured on fewer accounts, and their intervals are wider for it.
 */
export function sampleNote(sample: AccountSample | undefined): string {
  if (!sample) return '';
  const n = (x: number) => x.toLocaleString('en-US');
  return ` Measured on a sample of ${n(sample.accounts)} accounts of ${n(sample.of)} (the same accounts on every past day), so the intervals are wider than the whole book would give.`;
}
