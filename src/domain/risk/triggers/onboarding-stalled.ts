/** Onboarding finished but the core feature has not been used since. */
import { z } from 'zod';
import { eventsOf, lastIndexOnOrBefore } from '../bundle.ts';
import { dayString } from '../days.ts';
import { ago, plural } from '../explain.ts';
import { DEFAULT_HOLDOUT_SHARE, NO_EVIDENCE, fact, param, type TriggerModule } from './define.ts';
import { dayText } from './wording.ts';

const params = z.object({ daysSinceOnboarding: param.days(7) });
const facts = z.object({ onboardedOn: fact.day, daysSince: fact.number, coreUsesSince: fact.number });

export const onboardingStalled: TriggerModule<z.infer<typeof params>, z.infer<typeof facts>, 'onboarding_stalled'> = {
  id: 'onboarding_stalled',
  label: 'Onboarding stalled',
  description: 'Onboarding finished but the core feature has not been used since.',
  kind: 'risk',
  tier: 'automated',
  priority: 2,
  params,
  facts,
  lookback: () => ({}),
  check({ bundle, day }, p) {
    const onboarded = eventsOf(bundle, 'onboarding_completed');
    const i = lastIndexOnOrBefore(onboarded, day);
    if (i < 0) return { fired: false, text: () => 'Onboarding has not been completed.', facts: {} };
    const on = onboarded.days[i] as number;
    const since = day - on;
    const core = bundle.metrics.get('core_feature_uses');
    const uses = core ? core.window(on + 1, day) : { sum: 0, n: 0 };
    const facts = { onboardedOn: dayString(on), daysSince: since, coreUsesSince: uses.sum };
    if (!core || (uses.n === 0 && since > 0))
      return { fired: false, text: () => 'No core-feature data since onboarding.', facts };
    if (uses.sum > 0)
      return {
        fired: false,
        text: () => `${plural(uses.sum, 'core feature use')} since onboarding on ${dayString(on)}.`,
        facts,
      };
    if (since < p.daysSinceOnboarding)
      return { fired: false, text: () => `Onboarding completed ${ago(since)}; too early to call it stalled.`, facts };
    return {
      fired: true,
      text: () => `Onboarding completed ${ago(since)} (${dayString(on)}) and the core feature has not been used since.`,
      facts,
    };
  },
  success: { kind: 'metric_positive_within', metric: 'core_feature_uses', days: 14 },
  successDescription: 'core_feature_uses above 0 within 14 days',
  holdoutShare: DEFAULT_HOLDOUT_SHARE,
  customer(f, _p, ctx) {
    const date = dayText(f.onboardedOn, ctx.locale);
    return {
      ...NO_EVIDENCE,
      date,
      summary: date
        ? `Your team finished onboarding on ${date}, but hasn't put the main workflow to use since.`
        : "Your team finished onboarding, but hasn't put the main workflow to use since.",
    };
  },
};
