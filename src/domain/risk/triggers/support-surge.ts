/** Tickets spiked against the usual volume, or one was escalated. */
import { z } from 'zod';
import { countBetween, eventsOf, lastIndexOnOrBefore } from '../bundle.ts';
import { dayString } from '../days.ts';
import { dayAgo, num, plural } from '../explain.ts';
import { formatInteger } from '../../outreach/format.ts';
import { DEFAULT_HOLDOUT_SHARE, NO_EVIDENCE, fact, param, type TriggerModule } from './define.ts';
import { spanOfDays } from './wording.ts';

const params = z.object({
  windowDays: param.days(30),
  minTickets: param.count(3),
  multiple: param.share(2),
  baselineDays: param.days(90),
  escalationDays: param.days(14),
});
const facts = z.object({
  tickets: fact.number,
  baselineMonthly: fact.number,
  multiple: fact.number.nullable(),
  escalations: fact.number,
  lastEscalatedOn: fact.day.nullable(),
  windowDays: fact.number,
});

export const supportSurge: TriggerModule<z.infer<typeof params>, z.infer<typeof facts>, 'support_surge'> = {
  id: 'support_surge',
  label: 'Support surge',
  description: 'Tickets spiked against the usual volume, or one was escalated.',
  kind: 'risk',
  tier: 'human',
  priority: 2,
  params,
  facts,
  lookback: (p) => ({ eventDays: Math.max(p.windowDays + p.baselineDays, p.escalationDays) }),
  check({ bundle, day }, p) {
    const opened = eventsOf(bundle, 'ticket_opened');
    const escalated = eventsOf(bundle, 'ticket_escalated');
    const from = day - p.windowDays + 1;
    const tickets = countBetween(opened, from, day);
    const baselineMonthly = (countBetween(opened, from - p.baselineDays, from - 1) * p.windowDays) / p.baselineDays;
    const escalations = countBetween(escalated, day - p.escalationDays + 1, day);
    const last = lastIndexOnOrBefore(escalated, day);
    const facts = {
      tickets,
      baselineMonthly,
      multiple: baselineMonthly > 0 ? tickets / baselineMonthly : null,
      escalations,
      lastEscalatedOn: last >= 0 ? dayString(escalated.days[last] as number) : null,
      windowDays: p.windowDays,
    };
    const surge = tickets >= p.minTickets && tickets >= p.multiple * baselineMonthly;
    const ticketText = () =>
      `${plural(tickets, 'ticket')} opened in the last ${p.windowDays} days vs ${num(baselineMonthly)}/month over the prior ${p.baselineDays} days`;
    const inEscalationWindow = `in ${p.escalationDays} days`;
    if (surge && escalations > 0)
      return {
        fired: true,
        text: () => `${ticketText()}, and ${plural(escalations, 'escalation')} ${inEscalationWindow}.`,
        facts,
      };
    if (surge) return { fired: true, text: () => `${ticketText()}.`, facts };
    if (escalations > 0)
      return {
        fired: true,
        text: () => `A ticket was escalated ${dayAgo(escalated.days[last] as number, day)}; ${ticketText()}.`,
        facts,
      };
    return { fired: false, text: () => `${ticketText()}; no escalation ${inEscalationWindow}.`, facts };
  },
  success: { kind: 'tickets_back_to_baseline', days: 30 },
  successDescription: 'monthly tickets are back to baseline within 30 days',
  holdoutShare: DEFAULT_HOLDOUT_SHARE,
  customer(f, p, ctx) {
    const count = f.tickets !== undefined && f.tickets >= 2 ? formatInteger(f.tickets, ctx.locale) : '';
    return {
      ...NO_EVIDENCE,
      count,
      summary: count
        ? `Your team has asked our support team for help ${count} times in the last ${spanOfDays(f.windowDays ?? p.windowDays)}.`
        : 'Your team has needed our support team more than usual lately.',
    };
  },
};
