/** Usage is close to the plan limit: an upgrade conversation, not a risk of loss. */
import { z } from 'zod';
import { num, percent } from '../explain.ts';
import { formatPercent } from '../../outreach/format.ts';
import { DEFAULT_HOLDOUT_SHARE, NO_EVIDENCE, fact, param, type TriggerModule } from './define.ts';
import { spanOfDays } from './wording.ts';

const params = z.object({ recentDays: param.days(7), minShareOfLimit: param.share(0.8) });
const facts = z.object({
  recent: fact.number,
  usageLimit: fact.number,
  shareOfLimit: fact.number,
  recentDays: fact.number,
});

export const approachingLimit: TriggerModule<z.infer<typeof params>, z.infer<typeof facts>, 'approaching_limit'> = {
  id: 'approaching_limit',
  label: 'Approaching plan limit',
  description: 'Usage is close to the plan limit: an upgrade conversation, not a risk of loss.',
  kind: 'opportunity',
  tier: 'automated',
  priority: 4,
  params,
  facts,
  lookback: (p) => ({ metricDays: p.recentDays }),
  check({ bundle, day }, p) {
    const limit = bundle.account.usage_limit;
    if (!limit) return { fired: false, text: () => 'No usage limit on record.', facts: {} };
    const usage = bundle.metrics.get('usage')?.mean(day - p.recentDays + 1, day, 1);
    if (!usage) return { fired: false, text: () => `No usage data in the last ${p.recentDays} days.`, facts: {} };
    const shareOfLimit = usage.mean / limit;
    const facts = { recent: usage.mean, usageLimit: limit, shareOfLimit, recentDays: p.recentDays };
    const text = () =>
      `Usage ${p.recentDays}-day mean ${num(usage.mean)} of the plan limit ${num(limit)} (${percent(shareOfLimit)}).`;
    return { fired: shareOfLimit >= p.minShareOfLimit, text, facts };
  },
  success: { kind: 'event_within', event: 'plan_upgraded', days: 30 },
  successDescription: 'plan_upgraded within 30 days',
  holdoutShare: DEFAULT_HOLDOUT_SHARE,
  customer(f, p, ctx) {
    const share = f.shareOfLimit;
    const percentText = share !== undefined && share > 0 ? formatPercent(Math.min(share, 9.99), ctx.locale) : '';
    return {
      ...NO_EVIDENCE,
      percent: percentText,
      summary: percentText
        ? `Over the last ${spanOfDays(f.recentDays ?? p.recentDays)}, your team has been using about ${percentText} of your plan's limit.`
        : "Your team is getting close to your plan's limit.",
    };
  },
};
