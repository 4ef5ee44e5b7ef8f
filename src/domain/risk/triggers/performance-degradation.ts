/** The product got noticeably slower for this customer. */
import { z } from 'zod';
import type { Series } from '../bundle.ts';
import { dayString } from '../days.ts';
import { num, signedPercent } from '../explain.ts';
import { formatPercent } from '../../outreach/format.ts';
import { DEFAULT_HOLDOUT_SHARE, NO_EVIDENCE, fact, param, type TriggerModule } from './define.ts';
import { covered } from './windows.ts';
import { dayText, spanOfDays } from './wording.ts';

const params = z.object({ recentDays: param.days(3), baselineDays: param.days(28), minShare: param.share(1.15) });
const facts = z.object({
  recent: fact.number,
  baseline: fact.number,
  ratio: fact.number.nullable(),
  since: fact.day.nullable(),
  recentDays: fact.number,
});

/** The first day from just before the recent window on which latency reached the threshold. */
function slowSince(latency: Series, from: number, day: number, threshold: number): number | null {
  for (let d = from; d <= day; d++) {
    const v = latency.values[d - latency.start];
    if (v !== undefined && v >= threshold) return d;
  }
  return null;
}

export const performanceDegradation: TriggerModule<
  z.infer<typeof params>,
  z.infer<typeof facts>,
  'performance_degradation'
> = {
  id: 'performance_degradation',
  label: 'Performance degradation',
  description: 'The product got noticeably slower for this customer.',
  kind: 'risk',
  tier: 'automated',
  priority: 3,
  params,
  facts,
  lookback: (p) => ({ metricDays: p.recentDays + p.baselineDays }),
  check({ bundle, day }, p) {
    const latency = bundle.metrics.get('latency_ms');
    const recentFrom = day - p.recentDays + 1;
    const recent = latency?.mean(recentFrom, day, covered(p.recentDays));
    const median = latency?.median(recentFrom - p.baselineDays, recentFrom - 1, covered(p.baselineDays));
    if (!latency || !recent || !median)
      return { fired: false, text: () => 'Not enough latency history to compare.', facts: {} };
    const ratio = median.median > 0 ? recent.mean / median.median : null;
    const since = ratio !== null ? slowSince(latency, recentFrom - 1, day, p.minShare * median.median) : null;
    const facts = {
      recent: recent.mean,
      baseline: median.median,
      ratio,
      since: since !== null ? dayString(since) : null,
      recentDays: p.recentDays,
    };
    const text = () =>
      `Latency ${p.recentDays}-day mean ${num(recent.mean)} ms vs the ${p.baselineDays}-day median ${num(median.median)} ms${ratio === null ? '' : ` (${signedPercent(ratio - 1)})`}.`;
    return { fired: ratio !== null && ratio >= p.minShare, text, facts };
  },
  success: { kind: 'latency_back_to_norm', share: 1.15, days: 7 },
  successDescription: 'latency is back within 115% of the norm within 7 days',
  holdoutShare: DEFAULT_HOLDOUT_SHARE,
  customer(f, p, ctx) {
    const ratio = f.ratio;
    const percent =
      ratio !== undefined && ratio !== null && ratio > 1 ? formatPercent(Math.min(ratio - 1, 9.99), ctx.locale) : '';
    const date = dayText(f.since, ctx.locale);
    return {
      ...NO_EVIDENCE,
      percent,
      date,
      summary: `Pages have been loading ${percent ? `about ${percent} more slowly` : 'more slowly'} for your team ${date ? `since ${date}` : `over the last ${spanOfDays(f.recentDays ?? p.recentDays)}`}.`,
    };
  },
};
