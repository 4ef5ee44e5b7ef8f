/** Active users (or usage, when there are no active-user figures) fell well below their usual level. */
import { z } from 'zod';
import { usageSeries } from '../components.ts';
import { DEFAULT_HOLDOUT_SHARE, NO_EVIDENCE, fact, param, type TriggerContext, type TriggerModule } from './define.ts';
import { dropSentence, meanDrop, type DropState } from './windows.ts';
import { percentText, spanOfDays } from './wording.ts';

const params = z.object({
  recentDays: param.days(14),
  baselineDays: param.days(28),
  maxShare: param.share(0.7),
  minBaseline: param.count(5),
});
export type UsageDropParams = z.infer<typeof params>;
/** Shared with silent_churn, which records the drop it saw with the same facts. */
export const dropFacts = {
  metric: fact.text,
  recent: fact.number,
  baseline: fact.number,
  share: fact.number.nullable(),
  dropShare: fact.number.nullable(),
  recentDays: fact.number,
  baselineDays: fact.number,
};
const facts = z.object(dropFacts);
type Facts = z.infer<typeof facts>;

export function usageDropState(ctx: TriggerContext, p: UsageDropParams): DropState<Facts> {
  const found = usageSeries(ctx.bundle, ctx.day - p.recentDays - p.baselineDays + 1, ctx.day);
  const drop = found ? meanDrop(found.series, ctx.day, p) : null;
  if (!found || !drop)
    return { holds: false, text: () => 'Not enough active-user or usage history to compare', facts: {} };
  const label = found.metric === 'active_users' ? 'Active users' : 'Usage';
  const holds = drop.baseline >= p.minBaseline && drop.share !== null && drop.share <= p.maxShare;
  return { holds, text: () => dropSentence(label, 'preceding', drop), facts: { metric: found.metric, ...drop } };
}

/** "about 35% fewer people on your team have been signing in than usual", from the recorded drop. */
export function fewerPeopleText(f: Partial<Facts>, locale: string | null) {
  const percent = percentText(f.dropShare, locale);
  const usage = percent
    ? `about ${percent} fewer people on your team have been signing in than usual`
    : 'fewer people on your team have been signing in than usual';
  return { percent, usage };
}

export const usageDrop: TriggerModule<UsageDropParams, Facts, 'usage_drop'> = {
  id: 'usage_drop',
  label: 'Usage drop',
  description: 'Active users fell well below their usual level.',
  kind: 'risk',
  tier: 'human',
  priority: 2,
  params,
  facts,
  lookback: (p) => ({ metricDays: p.recentDays + p.baselineDays }),
  check(ctx, p) {
    const s = usageDropState(ctx, p);
    if (s.holds) return { fired: true, text: () => `${s.text()}.`, facts: s.facts };
    const baseline = s.facts.baseline;
    const note =
      baseline !== undefined && baseline < p.minBaseline
        ? `; the baseline is below ${p.minBaseline}, too small to judge`
        : '';
    return { fired: false, text: () => `${s.text()}${note}.`, facts: s.facts };
  },
  success: {
    kind: 'metric_recovers',
    metric: 'active_users',
    fallbackMetric: 'usage',
    windowDays: 14,
    share: 0.8,
    days: 30,
  },
  successDescription: 'the 14-day mean is back to at least 80% of the baseline within 30 days',
  holdoutShare: DEFAULT_HOLDOUT_SHARE,
  customer(f, p, ctx) {
    const { percent, usage } = fewerPeopleText(f, ctx.locale);
    return { ...NO_EVIDENCE, percent, summary: `Over the last ${spanOfDays(f.recentDays ?? p.recentDays)}, ${usage}.` };
  },
};
