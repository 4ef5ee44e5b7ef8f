/**
 * The customer's sync or integration keeps failing. Tier automated: the first of the three tiers
 * of escalation is a self-healing "one-click fix" message, before a person gets involved.
 */
import { z } from 'zod';
import { countBetween, eventsOf, lastIndexOnOrBefore } from '../bundle.ts';
import { dayString } from '../days.ts';
import { plural } from '../explain.ts';
import { formatInteger } from '../../outreach/format.ts';
import { DEFAULT_HOLDOUT_SHARE, NO_EVIDENCE, fact, param, type TriggerModule } from './define.ts';
import { dayText, spanOfDays } from './wording.ts';

/** Both spellings feeds use for a failed sync; they count together. */
export const FAILURE_EVENTS = ['sync_failed', 'integration_error'] as const;

const params = z.object({ failures: param.count(3), windowDays: param.days(7) });
const facts = z.object({ failures: fact.number, windowDays: fact.number, lastFailedOn: fact.day.nullable() });

export const integrationFailing: TriggerModule<z.infer<typeof params>, z.infer<typeof facts>, 'integration_failing'> = {
  id: 'integration_failing',
  label: 'Integration failing',
  description: 'A sync or integration failed 3 or more times in the last 7 days.',
  kind: 'risk',
  tier: 'automated',
  priority: 2,
  params,
  facts,
  reads: { events: FAILURE_EVENTS },
  lookback: (p) => ({ eventDays: p.windowDays }),
  check({ bundle, day }, p) {
    let failures = 0;
    let lastFailed: number | null = null;
    for (const type of FAILURE_EVENTS) {
      const list = eventsOf(bundle, type);
      failures += countBetween(list, day - p.windowDays + 1, day);
      const last = lastIndexOnOrBefore(list, day);
      if (last >= 0) lastFailed = Math.max(lastFailed ?? -Infinity, list.days[last] as number);
    }
    const facts = {
      failures,
      windowDays: p.windowDays,
      lastFailedOn: lastFailed !== null ? dayString(lastFailed) : null,
    };
    const counted = () => `${plural(failures, 'failed sync')} in the last ${p.windowDays} days`;
    if (failures < p.failures) return { fired: false, text: () => `${counted()}.`, facts };
    return { fired: true, text: () => `${counted()} (latest ${facts.lastFailedOn}).`, facts };
  },
  success: { kind: 'event_within', event: 'sync_succeeded', days: 7 },
  successDescription: 'sync_succeeded within 7 days',
  holdoutShare: DEFAULT_HOLDOUT_SHARE,
  customer(f, p, ctx) {
    const count = f.failures !== undefined && f.failures >= 2 ? formatInteger(f.failures, ctx.locale) : '';
    const date = dayText(f.lastFailedOn, ctx.locale);
    const span = spanOfDays(f.windowDays ?? p.windowDays);
    const lead = count
      ? `Your data sync didn't go through ${count} times in the last ${span}`
      : `Your data sync didn't go through several times in the last ${span}`;
    return { ...NO_EVIDENCE, count, date, summary: `${lead}${date ? `, most recently on ${date}` : ''}.` };
  },
};
