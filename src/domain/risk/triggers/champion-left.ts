/** The internal champion left and nobody has taken over. */
import { z } from 'zod';
import { eventsOf, lastIndexOnOrBefore } from '../bundle.ts';
import { championState } from '../components.ts';
import { dayString } from '../days.ts';
import { dayAgo } from '../explain.ts';
import { DEFAULT_HOLDOUT_SHARE, NO_EVIDENCE, fact, param, type TriggerModule } from './define.ts';
import { firstName } from './wording.ts';

const params = z.object({ windowDays: param.days(30) });
const facts = z.object({
  contactId: fact.text.nullable(),
  contactName: fact.text.nullable(),
  leftOn: fact.day.nullable(),
  activeChampion: z.boolean(),
});

export const championLeft: TriggerModule<z.infer<typeof params>, z.infer<typeof facts>, 'champion_left'> = {
  id: 'champion_left',
  label: 'Champion left',
  description: 'The internal champion left and nobody has taken over.',
  kind: 'risk',
  tier: 'human',
  priority: 1,
  params,
  facts,
  lookback: (p) => ({ eventDays: p.windowDays }),
  check({ bundle, day }, p) {
    const left = eventsOf(bundle, 'champion_left');
    const assigned = eventsOf(bundle, 'champion_assigned');
    const l = lastIndexOnOrBefore(left, day);
    const a = lastIndexOnOrBefore(assigned, day);
    const state = championState(bundle, day);
    const nameOf = (id: string | null) => (id ? (bundle.contacts.find((c) => c.contact_id === id)?.name ?? id) : null);
    const recentLeft = l >= 0 && (left.days[l] as number) >= day - p.windowDays + 1;
    const replaced = l >= 0 && a >= 0 && (assigned.at[a] as string) > (left.at[l] as string);
    const hasActiveChampion = bundle.contacts.some((c) => c.is_champion && c.active);
    const hadChampion = l >= 0 || bundle.contacts.some((c) => c.is_champion && !c.active);
    const leftName = l >= 0 ? nameOf(left.contacts[l] ?? null) : null;
    const facts = {
      contactId: l >= 0 ? (left.contacts[l] ?? null) : null,
      contactName: leftName,
      leftOn: l >= 0 ? dayString(left.days[l] as number) : null,
      activeChampion: hasActiveChampion,
    };
    const leftWhen = () => dayAgo(left.days[l] as number, day);
    if (recentLeft && !replaced) {
      return {
        fired: true,
        text: () => `Champion ${leftName ?? '(unnamed)'} left ${leftWhen()} and no new champion has been assigned.`,
        facts,
      };
    }
    if (!hasActiveChampion && hadChampion && !(replaced && state.present)) {
      const since = l >= 0 ? ` since ${leftName ?? 'the champion'} left ${leftWhen()}` : '';
      return { fired: true, text: () => `No active champion contact remains${since}.`, facts };
    }
    if (state.present) return { fired: false, text: () => `Champion ${state.name ?? '(unnamed)'} is in place.`, facts };
    return { fired: false, text: () => 'No champion on record.', facts };
  },
  success: { kind: 'event_within', event: 'champion_assigned', days: 30 },
  successDescription: 'champion_assigned within 30 days',
  holdoutShare: DEFAULT_HOLDOUT_SHARE,
  customer(f, _p, ctx) {
    const who = firstName(f.contactName, f.contactId, ctx);
    return {
      ...NO_EVIDENCE,
      person: who ?? '',
      summary: `${who ?? 'Your main point of contact with us'} has moved on, and nobody has picked up their role with us yet.`,
    };
  },
};
