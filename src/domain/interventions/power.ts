/**
 * How many decided outcomes a comparison needs before a difference of a given size would show.
 * The usual sample size for comparing two proportions with equal groups (Fleiss, Levin & Paik,
 * Statistical Methods for Rates and Proportions, 3rd ed., 2003, eq. 4.14, without continuity
 * correction): a two-sided 5% test with 80% power.
 */
import { Z_95 } from './stats.ts';

/** The 80th percentile of the standard normal distribution (80% power). */
const Z_80 = 0.8416212335729143;

/** The difference the hint is about: 10 percentage points. */
export const DETECTABLE_DIFFERENCE = 0.1;

export interface PowerHint {
  /** The difference the hint is about, as a share (0.1 = 10 points). */
  difference: number;
  /** Decided outcomes each group needs. */
  needed_per_group: number;
  /** How many more each group needs (0 when it has enough). */
  more_treated: number;
  more_control: number;
}

/** Decided outcomes per group to detect `difference` from a base rate `base` (clamped to 5–95%). */
export function neededPerGroup(base: number, difference = DETECTABLE_DIFFERENCE): number {
  const p0 = Math.min(0.95, Math.max(0.05, base));
  const p1 = p0 + difference <= 1 ? p0 + difference : p0 - difference;
  const mean = (p0 + p1) / 2;
  const root = Z_95 * Math.sqrt(2 * mean * (1 - mean)) + Z_80 * Math.sqrt(p0 * (1 - p0) + p1 * (1 - p1));
  return Math.ceil((root * root) / (difference * difference));
}

/** The hint for a comparison with these group sizes and this control success rate (null: 50%). */
export function powerHint(treatedN: number, controlN: number, controlRate: number | null): PowerHint {
  const needed = neededPerGroup(controlRate ?? 0.5);
  return {
    difference: DETECTABLE_DIFFERENCE,
    needed_per_group: needed,
    more_treated: Math.max(0, needed - treatedN),
    more_control: Math.max(0, needed - controlN),
  };
}
