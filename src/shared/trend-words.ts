import type { Trend } from './dto/risk.ts';

/**
 * The one wording of an account's trend. A trend always compares today's score with the score a
 * week earlier (the engine's `trend.compareDays`), never the 30-day sparkline beside it, so every
 * surface that shows it next to a sparkline says "this week" (a line that fell for a month and
 * held this week is "flat this week", not "flat"). Null: no trend is claimed (stale or no data).
 */
export function trendWords(trend: Trend | null, delta: number | null): string | null {
  if (trend === null) return null;
  if (trend === 'new') return 'new';
  if (trend === 'flat' || delta === null) return 'flat';
  return `${trend} ${Math.abs(delta)}`;
}

/** For a screen reader or a tooltip: "Down 12 since last week", "No score a week ago". */
export function trendSentence(trend: Trend | null, delta: number | null): string {
  if (trend === null) return 'No trend: no current score to compare';
  if (trend === 'new') return 'No score a week ago';
  const words = trendWords(trend, delta) ?? 'flat';
  return `${words[0]!.toUpperCase()}${words.slice(1)} since last week`;
}

/** The span of a sparkline in words: "Health score over the last 30 days: 97 → 27". */
export function sparklineSpan(values: readonly (number | null)[]): string | null {
  const present = values.filter((v): v is number => v !== null);
  const first = present[0];
  const last = present[present.length - 1];
  if (first === undefined || last === undefined) return null;
  return `Health score over the last ${values.length} days: ${first} → ${last}`;
}
