/** Usage is falling and the customer has not talked to us in two months. */
import { z } from 'zod';
import { countBetween, eventsOf, lastIndexOnOrBefore } from '../bundle.ts';
import { dayString } from '../days.ts';
import { plural } from '../explain.ts';
import { DEFAULT_HOLDOUT_SHARE, NO_EVIDENCE, fact, param, type TriggerModule } from './define.ts';
import { seatDrop, seatDropState } from './seat-drop.ts';
import { dropFacts, fewerPeopleText, usageDrop, usageDropState } from './usage-drop.ts';
import { spanOfDays } from './wording.ts';

const params = z.object({ quietDays: param.days(60) });
/** The drop it saw (usage_drop's facts, or seat_drop's, which are a subset) and the silence. */
const facts = z.object({
  ...dropFacts,
  quietDays: fact.number,
  ticketsInQuiet: fact.number,
  touchesInQuiet: fact.number,
  lastTouchOn: fact.day.nullable(),
});

export const silentChurn: TriggerModule<z.infer<typeof params>, z.infer<typeof facts>, 'silent_churn'> = {
  id: 'silent_churn',
  label: 'Silent churn',
  description: 'Usage is falling and the customer has not talked to us in two months.',
  kind: 'risk',
  tier: 'human',
  priority: 1,
  params,
  facts,
  // The drops it reads are usage_drop's and seat_drop's, whose own lookbacks cover their metrics.
  lookback: (p) => ({ eventDays: p.quietDays }),
  needs: { events: ['ticket_opened', 'csm_touch'] },
  check(ctx, p) {
    const usage = usageDropState(ctx, ctx.paramsOf(usageDrop));
    const seats = seatDropState(ctx, ctx.paramsOf(seatDrop));
    const from = ctx.day - p.quietDays + 1;
    const tickets = countBetween(eventsOf(ctx.bundle, 'ticket_opened'), from, ctx.day);
    const touches = eventsOf(ctx.bundle, 'csm_touch');
    const touchCount = countBetween(touches, from, ctx.day);
    const lastTouch = lastIndexOnOrBefore(touches, ctx.day);
    const decline = usage.holds ? usage : seats.holds ? seats : null;
    const facts = {
      ...(decline?.facts ?? usage.facts),
      quietDays: p.quietDays,
      ticketsInQuiet: tickets,
      touchesInQuiet: touchCount,
      lastTouchOn: lastTouch >= 0 ? dayString(touches.days[lastTouch] as number) : null,
    };
    if (!decline) return { fired: false, text: () => 'Neither usage nor seats have dropped.', facts };
    const inQuiet = `in the last ${p.quietDays} days`;
    if (tickets > 0 || touchCount > 0) {
      return {
        fired: false,
        text: () =>
          `${decline.text()}, but there ${tickets + touchCount === 1 ? 'was' : 'were'} ${plural(tickets, 'ticket')} and ${plural(touchCount, 'CSM touch', 'CSM touches')} ${inQuiet}.`,
        facts,
      };
    }
    return { fired: true, text: () => `${decline.text()}, with no ticket and no CSM touch ${inQuiet}.`, facts };
  },
  success: usageDrop.success,
  successDescription: usageDrop.successDescription,
  holdoutShare: DEFAULT_HOLDOUT_SHARE,
  customer(f, _p, ctx) {
    const { percent, usage } = fewerPeopleText(f, ctx.locale);
    const span = spanOfDays(f.recentDays ?? usageDrop.params.parse({}).recentDays);
    return {
      ...NO_EVIDENCE,
      percent,
      summary: `It's been a while since we last spoke, and over the last ${span} ${usage}.`,
    };
  },
};
