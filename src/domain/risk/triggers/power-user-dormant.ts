/** A contact who logged in almost daily has stopped. */
import { z } from 'zod';
import type { AccountBundle } from '../bundle.ts';
import { dayString } from '../days.ts';
import { plural } from '../explain.ts';
import { DEFAULT_HOLDOUT_SHARE, NO_EVIDENCE, fact, param, type TriggerModule } from './define.ts';
import { dayText, firstName, spanOfDays } from './wording.ts';

const params = z.object({
  quietDays: param.days(10),
  baselineDays: param.days(28),
  activeDaysInBaseline: param.count(20),
});
type Params = z.infer<typeof params>;
const facts = z.object({
  contactId: fact.text,
  contactName: fact.text.nullable(),
  activeDays: fact.number,
  lastLoginOn: fact.day.nullable(),
  quietDays: fact.number,
  dormantContacts: z.array(z.string()),
});

interface Dormant {
  id: string;
  name: string | null;
  activeDays: number;
  lastLogin: number | null;
}

/** Still-employed contacts active on enough baseline days and silent through the quiet window, busiest first. */
function dormantContacts(bundle: AccountBundle, day: number, p: Params) {
  const quietFrom = day - p.quietDays + 1;
  const baseFrom = quietFrom - p.baselineDays;
  const dormant: Dormant[] = [];
  let bestActive = 0;
  for (const [contactId, series] of bundle.contactLogins) {
    const contact = bundle.contacts.find((c) => c.contact_id === contactId);
    if (contact && !contact.active) continue;
    const activeDays = series.positiveDays(baseFrom, quietFrom - 1);
    bestActive = Math.max(bestActive, activeDays);
    if (activeDays >= p.activeDaysInBaseline && series.positiveDays(quietFrom, day) === 0) {
      const lastLogin = series.lastPositive(day, p.quietDays + p.baselineDays);
      dormant.push({ id: contactId, name: contact?.name ?? null, activeDays, lastLogin });
    }
  }
  dormant.sort((a, b) => b.activeDays - a.activeDays || a.id.localeCompare(b.id));
  return { dormant, bestActive };
}

export const powerUserDormant: TriggerModule<Params, z.infer<typeof facts>, 'power_user_dormant'> = {
  id: 'power_user_dormant',
  label: 'Power user gone quiet',
  description: 'A contact who logged in almost daily has stopped.',
  kind: 'risk',
  tier: 'human',
  priority: 2,
  params,
  facts,
  lookback: (p) => ({ metricDays: p.quietDays + p.baselineDays }),
  check({ bundle, day }, p) {
    const { dormant, bestActive } = dormantContacts(bundle, day, p);
    const top = dormant[0];
    if (!top) {
      return {
        fired: false,
        text: () =>
          bundle.contactLogins.size === 0
            ? 'No per-person login data.'
            : `No daily user has gone quiet (most active: ${bestActive} of ${p.baselineDays} days).`,
        facts: {},
      };
    }
    const others = dormant.length > 1 ? ` (and ${plural(dormant.length - 1, 'other power user')})` : '';
    return {
      fired: true,
      text: () =>
        `${top.name ?? top.id} logged in on ${top.activeDays} of the ${p.baselineDays} days before the last ${p.quietDays}, then not once in the last ${p.quietDays} days${others}.`,
      facts: {
        contactId: top.id,
        contactName: top.name,
        activeDays: top.activeDays,
        lastLoginOn: top.lastLogin !== null ? dayString(top.lastLogin) : null,
        quietDays: p.quietDays,
        dormantContacts: dormant.map((d) => d.id),
      },
    };
  },
  success: { kind: 'contact_login_within', days: 14 },
  successDescription: 'the same contact logs in within 14 days',
  holdoutShare: DEFAULT_HOLDOUT_SHARE,
  customer(f, p, ctx) {
    const who = firstName(f.contactName, f.contactId, ctx);
    const date = dayText(f.lastLoginOn, ctx.locale);
    const subject = who ?? 'One of your most active teammates';
    return {
      ...NO_EVIDENCE,
      person: who ?? '',
      date,
      summary: `${subject} used to sign in almost every day, but hasn't ${date ? `since ${date}` : `for the last ${spanOfDays(f.quietDays ?? p.quietDays)}`}.`,
    };
  },
};
