/** Renewal is near and health is red or yellow. */
import { z } from 'zod';
import { dayNumber } from '../days.ts';
import { plural } from '../explain.ts';
import { DEFAULT_HOLDOUT_SHARE, NO_EVIDENCE, fact, param, type TriggerModule } from './define.ts';
import { dayText } from './wording.ts';

const params = z.object({ withinDays: param.days(90) });
const facts = z.object({
  renewalDate: fact.day,
  daysToRenewal: fact.number,
  band: z.enum(['red', 'yellow', 'green']).nullable(),
  score: fact.number.nullable(),
});

export const renewalAtRisk: TriggerModule<z.infer<typeof params>, z.infer<typeof facts>, 'renewal_at_risk'> = {
  id: 'renewal_at_risk',
  label: 'Renewal at risk',
  description: 'Renewal is near and health is red or yellow.',
  kind: 'risk',
  tier: 'human',
  priority: 1,
  params,
  facts,
  lookback: () => ({}),
  check({ bundle, day, band, score, weakest }, p) {
    const renewal = bundle.account.renewal_date;
    if (!renewal) return { fired: false, text: () => 'No renewal date on record.', facts: {} };
    const days = dayNumber(renewal) - day;
    const facts = { renewalDate: renewal, daysToRenewal: days, band, score };
    const renews = () => `Renews in ${plural(days, 'day')} (${renewal})`;
    if (days < 0) return { fired: false, text: () => `The renewal date ${renewal} has passed.`, facts };
    if (days > p.withinDays)
      return { fired: false, text: () => `${renews()}, outside the ${p.withinDays}-day window.`, facts };
    if (band !== 'red' && band !== 'yellow')
      return {
        fired: false,
        text: () => `${renews()} with a ${band ?? 'unknown'} health score; this play fires on a red or yellow one.`,
        facts,
      };
    const why = weakest ? `; weakest: ${weakest.label.toLowerCase()} ${Math.round(weakest.score)}/100` : '';
    return { fired: true, text: () => `${renews()} with a ${band} health score of ${score}${why}.`, facts };
  },
  success: { kind: 'event_by_renewal', event: 'renewed', graceDays: 30 },
  successDescription: 'renewed by the renewal date plus 30 days',
  holdoutShare: DEFAULT_HOLDOUT_SHARE,
  customer(f, _p, ctx) {
    const date = dayText(f.renewalDate ?? ctx.renewalDate, ctx.locale);
    return {
      ...NO_EVIDENCE,
      date,
      summary: date
        ? `Your subscription renews on ${date}, and the next year should deliver more than this one.`
        : 'Your renewal is coming up, and the next year should deliver more than this one.',
    };
  },
};
