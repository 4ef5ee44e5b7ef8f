/**
 * An opportunity, not a risk: the team's use of the product reached a new high, so the CSM sends
 * a value-realisation note. It opens an item but never puts an account on the at-risk list.
 */
import { z } from 'zod';
import type { Series } from '../bundle.ts';
import { dayString } from '../days.ts';
import { num, signedPercent } from '../explain.ts';
import { formatInteger, formatPercent } from '../../outreach/format.ts';
import { DEFAULT_HOLDOUT_SHARE, NO_EVIDENCE, fact, param, type TriggerModule } from './define.ts';
import { ageDays, covered } from './windows.ts';
import { spanOfDays } from './wording.ts';

const METRIC = 'active_users';

const params = z.object({
  meanDays: param.days(30),
  highDays: param.days(90),
  minGrowth: param.share(0.2),
  // Growth while a new account ramps up is onboarding, not a milestone.
  minAgeDays: param.days(180),
});
type Params = z.infer<typeof params>;
const facts = z.object({
  mean: fact.number,
  startMean: fact.number,
  previousHigh: fact.number,
  growth: fact.number,
  startOn: fact.day,
  meanDays: fact.number,
  highDays: fact.number,
});

/** The `meanDays` mean ending on `day`, or null when too few of its days have data. */
function meanTo(series: Series, day: number, p: Params): number | null {
  return series.mean(day - p.meanDays + 1, day, covered(p.meanDays))?.mean ?? null;
}

/**
 * The means of the back-to-back periods before this one, back to `highDays` ago (three months
 * for 30-day means over 90 days), oldest first. Whole periods, not a sliding window: a sliding
 * 30-day mean wobbles with the weekdays it spans, so "the highest yet" would flicker day to day.
 */
function earlierMeans(series: Series, day: number, p: Params): (number | null)[] {
  const out: (number | null)[] = [];
  for (let k = periodsIn(p); k >= 1; k--) out.push(meanTo(series, day - k * p.meanDays, p));
  return out;
}

const periodsIn = (p: Params) => Math.max(1, Math.floor(p.highDays / p.meanDays));

export const milestoneReached: TriggerModule<Params, z.infer<typeof facts>, 'milestone_reached'> = {
  id: 'milestone_reached',
  label: 'Milestone reached',
  description: 'Active users are at a new high: a value-realisation note, not a risk.',
  kind: 'opportunity',
  tier: 'automated',
  priority: 5,
  params,
  facts,
  reads: { metrics: [METRIC] },
  lookback: (p) => ({ metricDays: p.highDays + p.meanDays }),
  check(ctx, p) {
    const day = ctx.day;
    const series = ctx.bundle.metrics.get(METRIC);
    const mean = series ? meanTo(series, day, p) : null;
    const earlier = series ? earlierMeans(series, day, p) : [];
    const startMean = earlier[0] ?? null;
    if (!series || mean === null || startMean === null || startMean <= 0 || earlier.includes(null))
      return {
        fired: false,
        text: () => `Not enough active-user history for a ${p.highDays}-day comparison.`,
        facts: {},
      };
    const high = Math.max(...(earlier as number[]));
    const growth = mean / startMean - 1;
    const facts = {
      mean,
      startMean,
      previousHigh: high,
      growth,
      startOn: dayString(day - periodsIn(p) * p.meanDays),
      meanDays: p.meanDays,
      highDays: p.highDays,
    };
    const age = ageDays(ctx);
    const sentence = () =>
      `Active users ${p.meanDays}-day mean ${num(mean)} vs ${num(startMean)} ${p.highDays} days ago (${signedPercent(growth)})`;
    if (age === null || age < p.minAgeDays)
      return { fired: false, text: () => `${sentence()}; the account is too new to call it a milestone.`, facts };
    if (mean < high)
      return {
        fired: false,
        text: () => `${sentence()}; below the earlier high of ${num(high)}.`,
        facts,
      };
    if (mean < (1 + p.minGrowth) * startMean) return { fired: false, text: () => `${sentence()}.`, facts };
    return { fired: true, text: () => `${sentence()}, the highest in ${p.highDays} days.`, facts };
  },
  // The note is meant to make the value visible before the next commercial conversation.
  success: { kind: 'event_within', event: 'plan_upgraded', days: 90 },
  successDescription: 'plan_upgraded within 90 days',
  holdoutShare: DEFAULT_HOLDOUT_SHARE,
  customer(f, p, ctx) {
    const people = f.mean !== undefined ? formatInteger(Math.round(f.mean), ctx.locale) : '';
    const percent = f.growth !== undefined && f.growth > 0.005 ? formatPercent(f.growth, ctx.locale) : '';
    const span = spanOfDays(f.highDays ?? p.highDays);
    const daily = people
      ? `On an average day over the last ${spanOfDays(f.meanDays ?? p.meanDays)}, ${people} people on your team used the workspace`
      : 'More people on your team are using the workspace than ever';
    return {
      ...NO_EVIDENCE,
      count: people,
      percent,
      summary: `${daily}: the most in ${span}${percent ? `, and up ${percent} on ${span} ago` : ''}.`,
    };
  },
};
