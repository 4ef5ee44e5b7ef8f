/**
 * The few database questions about data age that the loaded bundles cannot answer: the newest data
 * day of an account whose data all lies before the loaded windows, of the whole book (status, the
 * Today header, whether a past day is the newest data day), and since when the book holds a family
 * of events at all. Each is index seeks: the newest row of a metric series is the last key of its
 * primary-key range; events are reached by (account_id, type, occurred_at).
 */
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import type { AccountBundle } from './bundle.ts';
import { EVENT_FAMILIES, newestDataDay, type BookCoverage } from './data-age.ts';
import { dayNumber, dayString, endOfDayInstant } from './days.ts';
import { ENGINE_METRICS } from './load-sql.ts';
import type { TriggerModule } from './triggers/define.ts';
import { TRIGGER_MODULES } from './triggers/index.ts';

const METRIC_KEYS = JSON.stringify(ENGINE_METRICS);

/** The newest account-level metric day and event day of account `a` on or before @to ('' for none: max() of a NULL is NULL). */
const NEWEST_OF = (a: string) => `max(
  coalesce((SELECT max((SELECT x.date FROM metrics x WHERE x.account_id = ${a} AND x.metric = k.value AND x.contact_id = '' AND x.date <= @to
               ORDER BY x.date DESC LIMIT 1)) FROM json_each('${METRIC_KEYS}') k), ''),
  coalesce((SELECT substr(max(e.occurred_at), 1, 10) FROM events e WHERE e.account_id = ${a} AND e.occurred_at < @before), ''))`;

// Per connection: the account view and the weights in use each ask it, and preparing its five
// statements again cost a one-shot `foresight account` about 0.5 ms.
export const dataAgeRepo = perConnection((db: Db) => {
  const accountNewest = db.prepare<{ account: string; to: string; before: string }, string>(
    `SELECT nullif(${NEWEST_OF('@account')}, '')`,
  );
  const bookNewest = db.prepare<{ to: string; before: string }, string | null>(
    `SELECT nullif(max(${NEWEST_OF('a.account_id')}), '') FROM accounts a`,
  );
  const familyBefore = db.prepare<{ types: string; before: string }, number>(
    `SELECT EXISTS (SELECT 1 FROM accounts a CROSS JOIN json_each(@types) t
       WHERE EXISTS (SELECT 1 FROM events e WHERE e.account_id = a.account_id AND e.type = t.value AND e.occurred_at < @before))`,
  );
  const firstChurnEvent = db.prepare<[string], string | null>(
    "SELECT min(occurred_at) FROM events WHERE account_id = ? AND type = 'churned'",
  );
  const familyFirst = db.prepare<{ types: string }, string | null>(
    `SELECT min((SELECT min(e.occurred_at) FROM events e WHERE e.account_id = a.account_id AND e.type = t.value))
     FROM accounts a CROSS JOIN json_each(@types) t`,
  );

  function since(types: readonly string[], from: number, to: number): number | null {
    const list = JSON.stringify(types);
    // Usually the family is there from the start: one account answers.
    if (familyBefore.pluck().get({ types: list, before: endOfDayInstant(from - 1) }) === 1) return from - 1;
    if (familyBefore.pluck().get({ types: list, before: endOfDayInstant(to) }) !== 1) return null;
    const first = familyFirst.pluck().get({ types: list });
    return first ? dayNumber(first) : null;
  }

  return {
    /**
     * The newest data day of a loaded bundle on or before `day`. The bundle answers when that day
     * lies inside every loaded window (`loadedFrom`: the later of the metrics' and events' first
     * day), since nothing newer can hide outside them; otherwise the database does.
     */
    throughOf(bundle: AccountBundle, day: number, loadedFrom: number): number | null {
      const found = newestDataDay(bundle, day);
      if (found !== null && found >= loadedFrom) return found;
      const stored = accountNewest.pluck().get({
        account: bundle.account.account_id,
        to: dayString(day),
        before: endOfDayInstant(day),
      });
      return stored ? dayNumber(stored) : null;
    },
    /** The day of the account's first `churned` event (YYYY-MM-DD), which dates a churn recorded without churned_at. */
    firstChurnEvent(accountId: string): string | null {
      return firstChurnEvent.pluck().get(accountId)?.slice(0, 10) ?? null;
    },
    /** The newest day of any account's data, on or before `day` when given. */
    bookNewest(day?: number): string | null {
      const to = day === undefined ? '9999-12-31' : dayString(day);
      const before = day === undefined ? '9999-12-31T99' : endOfDayInstant(day);
      return bookNewest.pluck().get({ to, before }) ?? null;
    },
    /** Since when the book holds tickets and CSM touches, exactly for the days `from`…`to`. */
    /** Whether the book holds any of these event types on or before `day`. */
    holds: (types: readonly string[], day: number): boolean =>
      familyBefore.pluck().get({ types: JSON.stringify(types), before: endOfDayInstant(day) }) === 1,
    bookCoverage(from: number, to: number): BookCoverage {
      const needsSince: Record<string, number | null> = {};
      for (const module of TRIGGER_MODULES) {
        const needs = (module as TriggerModule<unknown>).needs;
        if (needs) needsSince[module.id] = since(needs.events, from, to);
      }
      return {
        ticketsSince: since(EVENT_FAMILIES.tickets, from, to),
        touchesSince: since(EVENT_FAMILIES.touches, from, to),
        needsSince,
      };
    },
  };
});
