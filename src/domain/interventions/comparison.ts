/**
 * Eligible against control for one row of the outcome report (intention to treat): the two
 * proportions, the uplift (Newcombe within one stratum, stratified across several), the incremental
 * ARR and the power hint. docs/interventions.md explains each choice.
 */
import type { Proportion, RowComparison, Uplift } from '../../shared/dto/interventions.ts';
import { episodeKey, isDecided, type OutcomeFact } from './facts.ts';
import { powerHint } from './power.ts';
import { newcombeDifference, wilsonInterval } from './stats.ts';
import { stratifiedDifference, type Stratum, type ValuedStratum } from './stratified.ts';
import { firingPeriod } from './holdout.ts';

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

/** ARR of the distinct accounts among these facts. */
export function arrOf(facts: readonly OutcomeFact[]): number {
  const byAccount = new Map<string, number>();
  for (const f of facts) byAccount.set(f.account_id, f.arr ?? 0);
  return [...byAccount.values()].reduce((a, b) => a + b, 0);
}

/** The stratum an episode belongs to: its book, its play and the month it fired. */
function stratumKey(fact: OutcomeFact): string {
  return `${fact.book ?? ''}\u001f${fact.trigger_id}\u001f${firingPeriod(fact.fired_on ?? fact.start_on)}`;
}

interface Strata {
  strata: Map<string, ValuedStratum & { trigger: string; contacted: number }>;
}

function strataOf(eligible: readonly OutcomeFact[], control: readonly OutcomeFact[]): Strata['strata'] {
  const strata: Strata['strata'] = new Map();
  const at = (fact: OutcomeFact) => {
    const key = stratumKey(fact);
    const s = strata.get(key) ?? { n1: 0, s1: 0, n0: 0, s0: 0, arr: 0, trigger: fact.trigger_id, contacted: 0 };
    strata.set(key, s);
    return s;
  };
  for (const f of eligible.filter(isDecided)) {
    const s = at(f);
    s.n1++;
    s.s1 += f.status === 'succeeded' ? 1 : 0;
    s.arr += f.arr ?? 0;
    s.contacted += f.contacted ? 1 : 0;
  }
  for (const f of control.filter(isDecided)) {
    const s = at(f);
    s.n0++;
    s.s0 += f.status === 'succeeded' ? 1 : 0;
  }
  return strata;
}

const noControl =
  'No control group for this play: none of its firings here was held out (its holdout share is 0, or the draw has not picked one yet), so its uplift cannot be measured.';
const noEligible =
  'No eligible firings to compare: these touches have no firing on record (logged without one, or merged from a file exported before eligible firings were), so uplift cannot be measured.';

/**
 * Intention to treat: every firing that was not held out ("eligible", contacted or not) against
 * every held-out firing of the same play, both judged from the firing day over the same window.
 * The holdout draw at the firing is the only randomised step, so this is the comparison it
 * supports; comparing the touches a CSM chose to send with the held-out firings measures the
 * CSM's choice (and the days between firing and touch) as much as the outreach. Strata are book ×
 * play × firing month, so differing holdout shares between books or over time cannot create an
 * effect from differing base rates. docs/interventions.md explains each choice.
 */
export function compare(
  eligibleFacts: readonly OutcomeFact[],
  controlFacts: readonly OutcomeFact[],
  treatedFacts: readonly OutcomeFact[],
): RowComparison {
  const overrides = episodes(treatedFacts.filter((f) => !f.excluded_from_uplift)).filter(
    (f) => f.manual && isDecided(f),
  ).length;
  const eligibleEpisodes = episodes(eligibleFacts);
  const controlEpisodes = episodes(controlFacts);
  const treated = proportion(eligibleEpisodes);
  const control = proportion(controlEpisodes);
  const strata = strataOf(eligibleEpisodes, controlEpisodes);
  const compared = [...strata.values()].filter((s) => s.n1 > 0 && s.n0 > 0);
  const n1 = compared.reduce((sum, s) => sum + s.n1, 0);
  const n0 = compared.reduce((sum, s) => sum + s.n0, 0);
  const contacted = eligibleEpisodes.filter((f) => isDecided(f) && f.contacted).length;
  const contactedCompared = compared.reduce((sum, s) => sum + s.contacted, 0);
  const eligibleArr = compared.reduce((sum, s) => sum + s.arr, 0);
  const base = {
    treated,
    control,
    overrides,
    overrides_included: false,
    contacted,
    plays_compared: new Set(compared.map((s) => s.trigger)).size,
    strata_compared: compared.length,
    treated_arr: eligibleArr,
    no_control: controlEpisodes.length === 0,
    control_contacted: controlEpisodes.filter((f) => isDecided(f) && f.contacted).length,
  };

  let uplift: Uplift | null = null;
  let money: Uplift | null = null;
  let note: string | null = null;
  if (controlEpisodes.length === 0) note = noControl;
  else if (eligibleEpisodes.length === 0) note = noEligible;
  else if (n1 < MIN_GROUP_SIZE || n0 < MIN_GROUP_SIZE)
    note = tooFew(n1, n0, compared.length > 1 ? ` across ${compared.length} groups of play and month` : '');
  else if (compared.length === 1) {
    const only = compared[0]!;
    const d = newcombeDifference(only.s1, only.n1, only.s0, only.n0);
    uplift = { value: d.value, ci_low: d.low, ci_high: d.high };
    money = { value: d.value * only.arr, ci_low: d.low * only.arr, ci_high: d.high * only.arr };
  } else {
    const d = stratifiedDifference(compared)!;
    uplift = { value: d.value, ci_low: d.low, ci_high: d.high };
    money = { value: d.money.value, ci_low: d.money.low, ci_high: d.money.high };
  }
  const rate = n1 > 0 ? contactedCompared / n1 : 0;
  return {
    ...base,
    uplift,
    uplift_note: note,
    uplift_method: compared.length > 1 ? 'mantel_haenszel' : 'newcombe',
    // Dividing by the share contacted turns the effect per eligible firing into one per touch
    // (Bloom 1984): valid when the uncontacted could not have been helped by a touch they never got.
    per_contacted:
      uplift && rate > 0
        ? { value: uplift.value / rate, ci_low: uplift.ci_low / rate, ci_high: uplift.ci_high / rate }
        : null,
    incremental_arr: money,
    power: powerHint(n1, n0, n0 > 0 ? n0Rate(compared) : null),
  };
}

function n0Rate(strata: readonly Stratum[]): number {
  const n0 = strata.reduce((sum, s) => sum + s.n0, 0);
  return strata.reduce((sum, s) => sum + s.s0, 0) / n0;
}
