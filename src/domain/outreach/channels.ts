/** The channels a draft can be written for. Interventions also know 'other', which outreach never drafts. */
import { OUTREACH_CHANNELS, OUTREACH_CHANNEL_LABELS, type OutreachChannel } from '../../shared/dto/outreach.ts';

export { OUTREACH_CHANNELS, type OutreachChannel };
export const CHANNEL_LABELS = OUTREACH_CHANNEL_LABELS;

export function isOutreachChannel(value: unknown): value is OutreachChannel {
  return typeof value === 'string' && (OUTREACH_CHANNELS as readonly string[]).includes(value);
}

/** Only email has a subject line. */
export function hasSubject(channel: OutreachChannel): boolean {
  return channel === 'email';
}
