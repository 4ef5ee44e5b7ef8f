/** The latest NPS answer was 6 or less. */
import { z } from 'zod';
import { eventsOf, lastIndexOnOrBefore } from '../bundle.ts';
import { dayString } from '../days.ts';
import { dayAgo } from '../explain.ts';
import { formatInteger } from '../../outreach/format.ts';
import { DEFAULT_HOLDOUT_SHARE, NO_EVIDENCE, fact, param, type TriggerModule } from './define.ts';

const params = z.object({ windowDays: param.days(60), maxScore: param.count(6) });
const facts = z.object({ score: fact.number, respondedOn: fact.day, contactId: fact.text.nullable() });

export const detractor: TriggerModule<z.infer<typeof params>, z.infer<typeof facts>, 'detractor'> = {
  id: 'detractor',
  label: 'Detractor',
  description: 'The latest NPS answer was 6 or less.',
  kind: 'risk',
  tier: 'human',
  priority: 2,
  params,
  facts,
  lookback: (p) => ({ eventDays: p.windowDays }),
  check({ bundle, day }, p) {
    const nps = eventsOf(bundle, 'nps_response');
    const i = lastIndexOnOrBefore(nps, day);
    if (i < 0 || nps.values[i] === null) return { fired: false, text: () => 'No NPS response on record.', facts: {} };
    const on = nps.days[i] as number;
    const score = nps.values[i] as number;
    const facts = { score, respondedOn: dayString(on), contactId: nps.contacts[i] ?? null };
    if (on < day - p.windowDays + 1)
      return {
        fired: false,
        text: () => `The latest NPS answer (${score}) is older than ${p.windowDays} days.`,
        facts,
      };
    return { fired: score <= p.maxScore, text: () => `Latest NPS answer ${score} on ${dayAgo(on, day)}.`, facts };
  },
  success: { kind: 'nps_at_least', score: 7, days: 90 },
  successDescription: 'the next nps_response is 7 or more within 90 days',
  holdoutShare: DEFAULT_HOLDOUT_SHARE,
  customer(f, _p, ctx) {
    const score = f.score !== undefined ? formatInteger(f.score, ctx.locale) : '';
    return {
      ...NO_EVIDENCE,
      count: score,
      summary: score
        ? `You told us recently that we aren't living up to what you need (you gave us ${score} out of 10).`
        : "You told us recently that we aren't living up to what you need.",
    };
  },
};
