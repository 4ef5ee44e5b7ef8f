/** A new account that has not finished setup. */
import { z } from 'zod';
import { eventsOf, lastIndexOnOrBefore } from '../bundle.ts';
import { ago, dayAgo, plural } from '../explain.ts';
import { DEFAULT_HOLDOUT_SHARE, NO_EVIDENCE, fact, param, type TriggerModule } from './define.ts';
import { ageDays } from './windows.ts';
import { dayText } from './wording.ts';

const params = z.object({ minAgeDays: param.days(3), maxAgeDays: param.days(60) });
const facts = z.object({ createdAt: fact.day, ageDays: fact.number });

export const setupIncomplete: TriggerModule<z.infer<typeof params>, z.infer<typeof facts>, 'setup_incomplete'> = {
  id: 'setup_incomplete',
  label: 'Setup incomplete',
  description: 'A new account has not finished setup.',
  kind: 'risk',
  tier: 'automated',
  priority: 2,
  params,
  facts,
  lookback: (p) => ({ eventDays: p.maxAgeDays }),
  needs: { events: ['setup_completed'] },
  check(ctx, p) {
    const { bundle, day } = ctx;
    const age = ageDays(ctx);
    if (age === null) return { fired: false, text: () => 'No creation date on record.', facts: {} };
    const createdAt = bundle.account.created_at as string;
    const setup = eventsOf(bundle, 'setup_completed');
    const done = lastIndexOnOrBefore(setup, day);
    const facts = { createdAt, ageDays: age };
    if (done >= 0)
      return { fired: false, text: () => `Setup completed on ${dayAgo(setup.days[done] as number, day)}.`, facts };
    if (age < p.minAgeDays) return { fired: false, text: () => `Created ${ago(age)}; setup is not late yet.`, facts };
    if (age >= p.maxAgeDays)
      return {
        fired: false,
        text: () => `The account is ${plural(age, 'day')} old, past the ${p.maxAgeDays}-day setup window.`,
        facts,
      };
    return { fired: true, text: () => `Created ${ago(age)} (${createdAt}) and setup is still not completed.`, facts };
  },
  success: { kind: 'event_within', event: 'setup_completed', days: 7 },
  successDescription: 'setup_completed within 7 days',
  holdoutShare: DEFAULT_HOLDOUT_SHARE,
  customer(f, _p, ctx) {
    const since = f.createdAt ?? ctx.createdAt;
    const date = dayText(since, ctx.locale);
    return {
      ...NO_EVIDENCE,
      date,
      summary: since
        ? `Your workspace has been open since ${date}, but setup isn't finished yet, so your team isn't getting the full benefit.`
        : "Setup of your workspace isn't finished yet, so your team isn't getting the full benefit.",
    };
  },
};
