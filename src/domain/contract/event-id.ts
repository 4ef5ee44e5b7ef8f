import { createHash } from 'node:crypto';
import type { EventInput, EventRecord } from './records.ts';

/**
 * Feeds and exports often omit event ids. Deriving one from the event's content makes a re-import
 * of the same file land on the same rows instead of duplicating them. The id covers every field, so
 * two distinct events (two tickets the same second with different subjects) never merge into one;
 * `detail` joins the key only when present, so ids derived before it was covered stay the same.
 */
export function deriveEventId(event: Omit<EventInput, 'event_id'>): string {
  const fields = [event.account_id, event.occurred_at, event.type, event.contact_id ?? '', event.value ?? ''];
  if (event.detail !== undefined && event.detail !== null && event.detail !== '') fields.push(event.detail);
  return `ev_${createHash('sha256').update(fields.join('\u001f')).digest('hex').slice(0, 24)}`;
}

export function withEventId(event: EventInput): EventRecord {
  return { ...event, event_id: event.event_id ?? deriveEventId(event) };
}
