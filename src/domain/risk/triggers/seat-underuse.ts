/** Fewer than half the purchased seats are in use on an established account. */
import { z } from 'zod';
import { num, percent, plural } from '../explain.ts';
import { formatInteger } from '../../outreach/format.ts';
import { DEFAULT_HOLDOUT_SHARE, NO_EVIDENCE, fact, param, type TriggerModule } from './define.ts';
import { ageDays } from './windows.ts';

/** Seat use is read as the mean of the last week, so one quiet day does not count. */
const SEAT_WINDOW_DAYS = 7;

const params = z.object({ maxUtilisation: param.share(0.5), minAgeDays: param.days(90) });
const facts = z.object({
  seatsUsed: fact.number,
  seatsPurchased: fact.number,
  utilisation: fact.number,
  ageDays: fact.number.nullable(),
});

export const seatUnderuse: TriggerModule<z.infer<typeof params>, z.infer<typeof facts>, 'seat_underuse'> = {
  id: 'seat_underuse',
  label: 'Seats under-used',
  description: 'Fewer than half the purchased seats are in use on an established account.',
  kind: 'risk',
  tier: 'automated',
  priority: 3,
  params,
  facts,
  lookback: () => ({ metricDays: SEAT_WINDOW_DAYS }),
  check(ctx, p) {
    const { bundle, day } = ctx;
    const purchased = bundle.account.seats_purchased;
    const age = ageDays(ctx);
    if (!purchased) return { fired: false, text: () => 'No seats purchased on record.', facts: {} };
    const used = bundle.metrics.get('seats_used')?.mean(day - SEAT_WINDOW_DAYS + 1, day, 1);
    if (!used)
      return { fired: false, text: () => `No seats_used data in the last ${SEAT_WINDOW_DAYS} days.`, facts: {} };
    const utilisation = used.mean / purchased;
    const facts = { seatsUsed: used.mean, seatsPurchased: purchased, utilisation, ageDays: age };
    const sentence = () =>
      `${num(used.mean)} of ${plural(purchased, 'seat')} in use (${percent(utilisation)}, ${SEAT_WINDOW_DAYS}-day mean)`;
    if (age === null) return { fired: false, text: () => `${sentence()}; account age unknown.`, facts };
    if (age <= p.minAgeDays)
      return { fired: false, text: () => `${sentence()}; the account is only ${plural(age, 'day')} old.`, facts };
    if (utilisation >= p.maxUtilisation) return { fired: false, text: () => `${sentence()}.`, facts };
    return { fired: true, text: () => `${sentence()} on an account ${plural(age, 'day')} old.`, facts };
  },
  success: { kind: 'utilisation_at_least', share: 0.5, days: 60 },
  successDescription: 'seat utilisation reaches 50% within 60 days',
  holdoutShare: DEFAULT_HOLDOUT_SHARE,
  customer(f, _p, ctx) {
    const seats = f.seatsPurchased ?? ctx.seatsPurchased;
    const inUse =
      f.seatsUsed !== undefined
        ? Math.round(f.seatsUsed)
        : f.utilisation !== undefined && seats !== null
          ? Math.round(f.utilisation * seats)
          : null;
    const L = ctx.locale;
    return {
      ...NO_EVIDENCE,
      count: inUse !== null ? formatInteger(inUse, L) : '',
      summary:
        inUse !== null && seats !== null && seats > 0
          ? `${formatInteger(inUse, L)} of your ${formatInteger(seats, L)} seats are in use, so part of your subscription isn't working for you yet.`
          : "Fewer than half of your seats are in use, so part of your subscription isn't working for you yet.",
    };
  },
};
