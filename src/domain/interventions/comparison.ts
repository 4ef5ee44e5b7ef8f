/**
 * Treated against control for one row of the outcome report: the two proportions, the uplift
 * (Newcombe within one play, Mantel–Haenszel across several), manual overrides left out unless
 * asked for, the incremental ARR and the power hint. docs/interventions.md explains each choice.
 */
import type { Proportion, RowComparison, Uplift } from '../../shared/dto/interventions.ts';
import { episodeKey, isDecided, type OutcomeFact } from './facts.ts';
import { powerHint } from './power.ts';
import { newcombeDifference, wilsonInterval } from './stats.ts';
import { mantelHaenszelDifference, type Stratum } from './stratified.ts';

/**
 * Below this many decided outcomes in either group the uplift is not shown: with 10 per group
 * the 95% interval is still about ±40 points wide, and with fewer it says nothing useful.
 */
export const MIN_GROUP_SIZE = 10;

export interface CompareOptions {
  /** Count outcomes a person set by hand (default: leave them out of the uplift). */
  includeOverrides?: boolean;
}

/** One decided outcome per account episode: the earliest intervention speaks for the episode. */
export function episodes(facts: readonly OutcomeFact[]): OutcomeFact[] {
  const first = new Map<string, OutcomeFact>();
  for (const fact of [...facts].sort(
    (a, b) => a.start_on.localeCompare(b.start_on) || a.record_id.localeCompare(b.record_id),
  )) {
    const key = episodeKey(fact);
    if (!first.has(key)) first.set(key, fact);
  }
  return [...first.values()];
}

export function proportion(facts: readonly OutcomeFact[]): Proportion {
  const decided = facts.filter(isDecided);
  const succeeded = decided.filter((f) => f.status === 'succeeded').length;
  const interval = decided.length ? wilsonInterval(succeeded, decided.length) : null;
  return {
    n: decided.length,
    succeeded,
    success_rate: decided.length ? succeeded / decided.length : null,
    ci_low: interval?.low ?? null,
    ci_high: interval?.high ?? null,
  };
}

const tooFew = (n1: number, n0: number, across: string) =>
  `Not enough data yet: ${n1} treated and ${n0} control outcomes are decided${across}; uplift needs at least ${MIN_GROUP_SIZE} of each.`;

/** Newcombe's interval for one play, once both groups are large enough. */
export function upliftOf(treated: Proportion, control: Proportion): { uplift: Uplift | null; note: string | null } {
  if (treated.n < MIN_GROUP_SIZE || control.n < MIN_GROUP_SIZE)
    return { uplift: null, note: tooFew(treated.n, control.n, '') };
  const d = newcombeDifference(treated.succeeded, treated.n, control.succeeded, control.n);
  return { uplift: { value: d.value, ci_low: d.low, ci_high: d.high }, note: null };
}

function strataOf(treated: readonly OutcomeFact[], control: readonly OutcomeFact[]): Map<string, Stratum> {
  const strata = new Map<string, Stratum>();
  const add = (fact: OutcomeFact, group: 1 | 0) => {
    const s = strata.get(fact.trigger_id) ?? { n1: 0, s1: 0, n0: 0, s0: 0 };
    const won = fact.status === 'succeeded' ? 1 : 0;
    if (group === 1) {
      s.n1++;
      s.s1 += won;
    } else {
      s.n0++;
      s.s0 += won;
    }
    strata.set(fact.trigger_id, s);
  };
  for (const f of treated.filter(isDecided)) add(f, 1);
  for (const f of control.filter(isDecided)) add(f, 0);
  return strata;
}

/** ARR of the distinct accounts among these facts. */
export function arrOf(facts: readonly OutcomeFact[]): number {
  const byAccount = new Map<string, number>();
  for (const f of facts) byAccount.set(f.account_id, f.arr ?? 0);
  return [...byAccount.values()].reduce((a, b) => a + b, 0);
}

/**
 * Compares a row's treated outcomes with its control group. Within one play the uplift is the
 * plain difference with Newcombe's interval; across several it is stratified by play.
 */
export function compare(
  treatedFacts: readonly OutcomeFact[],
  controlFacts: readonly OutcomeFact[],
  options: CompareOptions = {},
): RowComparison {
  const eligible = treatedFacts.filter((f) => !f.excluded_from_uplift);
  const overrides = episodes(eligible).filter((f) => f.manual && isDecided(f)).length;
  const treatedEpisodes = episodes(options.includeOverrides ? eligible : eligible.filter((f) => !f.manual));
  const controlEpisodes = episodes(controlFacts);
  const treated = proportion(treatedEpisodes);
  const control = proportion(controlEpisodes);
  const strata = strataOf(treatedEpisodes, controlEpisodes);
  const compared = [...strata.entries()].filter(([, s]) => s.n1 > 0 && s.n0 > 0);
  const base = { treated, control, overrides, overrides_included: options.includeOverrides === true };

  let uplift: Uplift | null;
  let note: string | null;
  let n1 = treated.n;
  let n0 = control.n;
  if (compared.length <= 1) {
    const only = compared[0]?.[1];
    const t = only ? { ...treated, n: only.n1, succeeded: only.s1 } : treated;
    const c = only ? { ...control, n: only.n0, succeeded: only.s0 } : control;
    ({ uplift, note } = upliftOf(t, c));
    n1 = t.n;
    n0 = c.n;
  } else {
    const d = mantelHaenszelDifference(compared.map(([, s]) => s))!;
    n1 = d.n1;
    n0 = d.n0;
    const enough = d.n1 >= MIN_GROUP_SIZE && d.n0 >= MIN_GROUP_SIZE;
    uplift = enough ? { value: d.value, ci_low: d.low, ci_high: d.high } : null;
    note = enough ? null : tooFew(d.n1, d.n0, ` across ${d.strata} plays`);
  }
  const comparedTriggers = new Set(compared.map(([id]) => id));
  const treatedArr = arrOf(treatedEpisodes.filter((f) => isDecided(f) && comparedTriggers.has(f.trigger_id)));
  return {
    ...base,
    uplift,
    uplift_note: note,
    uplift_method: compared.length > 1 ? 'mantel_haenszel' : 'newcombe',
    plays_compared: compared.length,
    treated_arr: treatedArr,
    incremental_arr: uplift
      ? { value: uplift.value * treatedArr, ci_low: uplift.ci_low * treatedArr, ci_high: uplift.ci_high * treatedArr }
      : null,
    power: powerHint(n1, n0, n0 > 0 ? control.success_rate : null),
  };
}
