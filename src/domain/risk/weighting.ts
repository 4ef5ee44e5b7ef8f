/**
 * How component scores become the 0–100 health score: a weighted mean over the components with
 * data, the weights renormalised over them, and no score at all without a coverage component
 * (usage or engagement). One home for this rule: the scoring run (evaluate.ts, scoreDay) and the
 * fit of component weights (model/component-weights.ts) both call it, so the score a fitted weight
 * set is judged by is exactly the score the engine would show.
 */
import { COMPONENT_IDS, type ComponentId } from './config.ts';

export type ComponentWeights = Record<ComponentId, number>;

export interface Weighed {
  /** Unrounded weighted mean, or null when no coverage component has data. */
  score: number | null;
  /** Each counted component's share of the score (sums to 1). */
  shares: Partial<Record<ComponentId, number>>;
}

/** `scores` and `weights` in COMPONENT_IDS order (arrays: this runs for every account and day scored). */
export function weighComponents(
  scores: ArrayLike<number | null>,
  weights: ArrayLike<number>,
  coverage: readonly ComponentId[],
): Weighed {
  let weighted = 0;
  let total = 0;
  let covered = false;
  for (let k = 0; k < COMPONENT_IDS.length; k++) {
    const score = scores[k] ?? null;
    const weight = weights[k] as number;
    if (score === null || score !== score || !(weight > 0)) continue;
    weighted += weight * score;
    total += weight;
    if (coverage.includes(COMPONENT_IDS[k] as ComponentId)) covered = true;
  }
  // Minimum coverage: without usage or engagement data a score would rest on the rest alone
  // ("no tickets" would score an account we know nothing about at 100): insufficient data.
  if (!covered || total <= 0) return { score: null, shares: {} };
  const shares: Partial<Record<ComponentId, number>> = {};
  for (let k = 0; k < COMPONENT_IDS.length; k++) {
    const score = scores[k] ?? null;
    const weight = weights[k] as number;
    if (score !== null && score === score && weight > 0) shares[COMPONENT_IDS[k] as ComponentId] = weight / total;
  }
  return { score: weighted / total, shares };
}

/** The weights of a configuration's components, in COMPONENT_IDS order. */
export function weightList(weights: ComponentWeights): number[] {
  return COMPONENT_IDS.map((id) => weights[id]);
}
