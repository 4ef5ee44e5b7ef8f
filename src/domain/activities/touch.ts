/**
 * A CSM touch done in Foresight, written where the risk engine already reads touches: a
 * `csm_touch` row in `events`. The last touch, the relationship component and `silent_churn` then
 * see it with no second source to keep in step, and the account timeline shows it.
 */
import type { Db } from '../db/open.ts';
import { eventsRepo } from '../db/repos/events.ts';

export interface TouchEvent {
  /** Unique per touch: `touch_<activity id>`. */
  eventId: string;
  accountId: string;
  occurredAt: string;
  contactId: string | null;
  /** What the timeline shows, e.g. "Call: renewal terms agreed". */
  detail: string;
}

export function writeTouchEvent(db: Db, touch: TouchEvent): void {
  eventsRepo(db).upsert({
    event_id: touch.eventId,
    account_id: touch.accountId,
    occurred_at: touch.occurredAt,
    type: 'csm_touch',
    value: null,
    contact_id: touch.contactId,
    detail: touch.detail,
  });
}
