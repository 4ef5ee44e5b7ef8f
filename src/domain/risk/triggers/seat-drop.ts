/** Seats in use fell sharply against the prior month. */
import { z } from 'zod';
import { DEFAULT_HOLDOUT_SHARE, NO_EVIDENCE, fact, param, type TriggerContext, type TriggerModule } from './define.ts';
import { dropSentence, meanDrop, type DropState } from './windows.ts';
import { percentText } from './wording.ts';

const params = z.object({ recentDays: param.days(7), baselineDays: param.days(28), maxShare: param.share(0.8) });
export type SeatDropParams = z.infer<typeof params>;
const facts = z.object({
  recent: fact.number,
  baseline: fact.number,
  share: fact.number.nullable(),
  dropShare: fact.number.nullable(),
  recentDays: fact.number,
  baselineDays: fact.number,
});
type Facts = z.infer<typeof facts>;

export function seatDropState(ctx: TriggerContext, p: SeatDropParams): DropState<Facts> {
  const series = ctx.bundle.metrics.get('seats_used');
  const drop = series ? meanDrop(series, ctx.day, p) : null;
  if (!drop) return { holds: false, text: () => 'Not enough history of seats in use to compare', facts: {} };
  const holds = drop.baseline > 0 && drop.share !== null && drop.share <= p.maxShare;
  return { holds, text: () => dropSentence('Seats used', 'prior', drop), facts: drop };
}

export const seatDrop: TriggerModule<SeatDropParams, Facts, 'seat_drop'> = {
  id: 'seat_drop',
  label: 'Seat drop',
  description: 'Seats in use fell sharply against the prior month.',
  kind: 'risk',
  tier: 'human',
  priority: 2,
  params,
  facts,
  lookback: (p) => ({ metricDays: p.recentDays + p.baselineDays }),
  check(ctx, p) {
    const s = seatDropState(ctx, p);
    return { fired: s.holds, text: () => `${s.text()}.`, facts: s.facts };
  },
  success: { kind: 'metric_recovers', metric: 'seats_used', windowDays: 7, share: 0.9, days: 30 },
  successDescription: 'seats are back to at least 90% of the prior mean within 30 days',
  holdoutShare: DEFAULT_HOLDOUT_SHARE,
  customer(f, _p, ctx) {
    const percent = percentText(f.dropShare, ctx.locale);
    return {
      ...NO_EVIDENCE,
      percent,
      summary: percent
        ? `The number of people using their seats has fallen by about ${percent} compared with last month.`
        : 'Fewer people are using their seats than last month.',
    };
  },
};
