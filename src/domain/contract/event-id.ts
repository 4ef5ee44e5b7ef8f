import { createHash } from 'node:crypto';
import type { EventInput, EventRecord } from './records.ts';

/**
 * Feeds and exports often omit event ids. Deriving one from the event's content makes a re-import
 * of the same file land on the same rows instead of duplicating them.
 */
export function deriveEventId(event: Omit<EventInput, 'event_id' | 'detail'>): string {
  const key = [event.account_id, event.occurred_at, event.type, event.contact_id ?? '', event.value ?? ''].join(
    '\u001f',
  );
  return `ev_${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
}

export function withEventId(event: EventInput): EventRecord {
  return { ...event, event_id: event.event_id ?? deriveEventId(event) };
}
