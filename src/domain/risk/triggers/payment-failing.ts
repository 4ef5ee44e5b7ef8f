/** Several payments failed recently and none has succeeded since. */
import { z } from 'zod';
import { eventsOf, lastIndexOnOrBefore } from '../bundle.ts';
import { dayString } from '../days.ts';
import { unpaidFailures } from '../unpaid.ts';
import { plural } from '../explain.ts';
import { formatInteger } from '../../outreach/format.ts';
import { DEFAULT_HOLDOUT_SHARE, NO_EVIDENCE, fact, param, type TriggerModule } from './define.ts';
import { dayText } from './wording.ts';

const params = z.object({ failures: param.count(3), windowDays: param.days(30) });
const facts = z.object({ failures: fact.number, windowDays: fact.number, lastFailedOn: fact.day.nullable() });

export const paymentFailing: TriggerModule<z.infer<typeof params>, z.infer<typeof facts>, 'payment_failing'> = {
  id: 'payment_failing',
  label: 'Payment failing',
  description: 'Several payments failed recently and none has succeeded since.',
  kind: 'risk',
  tier: 'automated',
  priority: 1,
  params,
  facts,
  lookback: (p) => ({ eventDays: p.windowDays }),
  check({ bundle, day }, p) {
    // Only failures after the last successful payment count (unpaid.ts): the billing component
    // scores the same number, and a customer is never told that an attempt which was paid failed.
    const windowDays = p.windowDays;
    const unpaid = unpaidFailures(bundle, day, windowDays);
    const failures = unpaid.count;
    const failed = eventsOf(bundle, 'payment_failed');
    const lastFail = lastIndexOnOrBefore(failed, day);
    const facts = {
      failures,
      windowDays,
      lastFailedOn: lastFail >= 0 ? dayString(failed.days[lastFail] as number) : null,
    };
    const paidOn = unpaid.lastSucceededOn === null ? null : dayString(unpaid.lastSucceededOn);
    if (lastFail >= 0 && paidOn !== null && unpaid.lastSucceededAt > (failed.at[lastFail] as string)) {
      return { fired: false, text: () => `A payment succeeded on ${paidOn}, after the latest failure.`, facts };
    }
    // A success inside the window bounds the count; otherwise the window does.
    const paidInWindow = unpaid.lastSucceededOn !== null && unpaid.lastSucceededOn > day - windowDays;
    const counted = () =>
      `${plural(failures, 'failed payment')} ${paidInWindow ? `since the last successful one on ${paidOn}` : `in the last ${windowDays} days`}`;
    if (failures < p.failures) return { fired: false, text: () => `${counted()}.`, facts };
    return {
      fired: true,
      text: () =>
        paidInWindow
          ? `${counted()} (latest ${facts.lastFailedOn}).`
          : `${counted()} (latest ${facts.lastFailedOn}) and none has succeeded since.`,
      facts,
    };
  },
  success: { kind: 'event_within', event: 'payment_succeeded', days: 7 },
  successDescription: 'payment_succeeded within 7 days',
  holdoutShare: DEFAULT_HOLDOUT_SHARE,
  customer(f, _p, ctx) {
    const count = f.failures !== undefined && f.failures >= 2 ? formatInteger(f.failures, ctx.locale) : '';
    const date = dayText(f.lastFailedOn, ctx.locale);
    const lead = count
      ? `The last ${count} attempts to charge the card on file didn't go through`
      : "Recent attempts to charge the card on file didn't go through";
    return { ...NO_EVIDENCE, count, date, summary: `${lead}${date ? `, most recently on ${date}` : ''}.` };
  },
};
