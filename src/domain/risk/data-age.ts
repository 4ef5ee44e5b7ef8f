/**
 * How old an account's data is, kind by kind, as of a day: the newest day of each metric and of
 * each family of events (payments, tickets, NPS, CSM touches, lifecycle). Why: data that stopped
 * arriving must never look healthy, so an account whose newest data is older than the configured
 * limit is "stale data" and gets no band (docs/risk-engine.md, "No false green").
 *
 * Everything here reads the bundle the run already loaded; only an account with nothing inside the
 * loaded windows needs the database (newestDataOn in data-age-repo.ts).
 */
import { eventsOf, upperBound, type AccountBundle, type Series } from './bundle.ts';
import { dayAgo, plural } from './explain.ts';

/** Event types by the family the data-age report names. */
export const EVENT_FAMILIES = {
  payments: ['payment_failed', 'payment_succeeded'],
  tickets: ['ticket_opened', 'ticket_escalated'],
  nps: ['nps_response'],
  touches: ['csm_touch'],
  lifecycle: ['setup_completed', 'onboarding_completed', 'champion_left', 'champion_assigned'],
} as const;
export type EventFamily = keyof typeof EVENT_FAMILIES;

/**
 * Which families the whole book holds, as the first day each has data (null: none up to the run's
 * day). A book without any ticket data leaves support out rather than scoring "no tickets" as 100.
 */
export interface BookCoverage {
  ticketsSince: number | null;
  touchesSince: number | null;
  /** For each trigger that `needs` event types: the first day the book holds one (null: none yet). */
  needsSince?: Readonly<Record<string, number | null>>;
}

/** Whether the book had data of this family on `day`; unknown coverage (a lone evaluation) counts as present. */
export function bookHas(book: BookCoverage | undefined, family: 'tickets' | 'touches', day: number): boolean {
  if (!book) return true;
  const since = family === 'tickets' ? book.ticketsSince : book.touchesSince;
  return since !== null && since <= day;
}

/** The newest day with a value in the series on or before `day`, or null. */
export function newestValueDay(series: Series, day: number): number | null {
  const values = series.values;
  for (let i = Math.min(values.length - 1, day - series.start); i >= 0; i--) {
    const v = values[i] as number;
    if (v === v) return series.start + i;
  }
  return null;
}

function newestEventDay(bundle: AccountBundle, types: readonly string[], day: number): number | null {
  let newest: number | null = null;
  for (const type of types) {
    const list = eventsOf(bundle, type);
    const i = upperBound(list.days, day) - 1;
    if (i >= 0 && (newest === null || (list.days[i] as number) > newest)) newest = list.days[i] as number;
  }
  return newest;
}

const ALL_EVENT_TYPES: ReadonlySet<string> = new Set(Object.values(EVENT_FAMILIES).flat());

/** The newest day of any data the bundle holds, on or before `day` (null: none loaded). */
export function newestDataDay(bundle: AccountBundle, day: number): number | null {
  // Performance (issue 13): asked three times per account by a whole-book run; the types the
  // bundle holds (a few) are looked at, not every family's type looked up in the bundle.
  let newest: number | null = null;
  for (const [type, list] of bundle.events) {
    if (!ALL_EVENT_TYPES.has(type)) continue;
    const i = upperBound(list.days, day) - 1;
    if (i >= 0 && (newest === null || (list.days[i] as number) > newest)) newest = list.days[i] as number;
  }
  const consider = (series: Series) => {
    // A series that ends before the newest day found cannot beat it.
    if (newest !== null && Math.min(series.end, day) <= newest) return;
    const found = newestValueDay(series, day);
    if (found !== null && (newest === null || found > newest)) newest = found;
  };
  for (const series of bundle.metrics.values()) consider(series);
  for (const series of bundle.contactLogins.values()) consider(series);
  return newest;
}

/** The newest day of each kind of data: metrics by name (contact logins as `logins`), events by family. */
export function newestByKind(bundle: AccountBundle, day: number): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [metric, series] of bundle.metrics) out[metric] = newestValueDay(series, day);
  for (const series of bundle.contactLogins.values()) {
    const found = newestValueDay(series, day);
    if (found !== null && (out.logins === undefined || out.logins === null || found > out.logins)) out.logins = found;
  }
  for (const [family, types] of Object.entries(EVENT_FAMILIES)) out[family] = newestEventDay(bundle, types, day);
  return out;
}

export interface Freshness {
  /** The newest day of any data on or before the day, or null when none is known. */
  dataThrough: number | null;
  /** Days between it and the day (null: no data). */
  ageDays: number | null;
  /** Older than the limit. An account with no data at all is not stale but has insufficient data. */
  stale: boolean;
}

export function freshness(dataThrough: number | null, day: number, staleAfterDays: number): Freshness {
  const ageDays = dataThrough === null ? null : day - dataThrough;
  return { dataThrough, ageDays, stale: ageDays !== null && ageDays > staleAfterDays };
}

/** "Stale data: the newest data is from 2026-02-27 (40 days ago), more than 7 days behind; no band until fresh data arrives." */
export function staleSentence(fresh: Freshness, day: number, staleAfterDays: number): string {
  const through = fresh.dataThrough === null ? 'unknown' : dayAgo(fresh.dataThrough, day);
  return `Stale data: the newest data is from ${through}, more than ${plural(staleAfterDays, 'day')} behind; no band until fresh data arrives.`;
}

/** "Renewal overdue: the renewal date 2026-03-01 passed 30 days ago; record the renewal or the new date." */
export function renewalOverdueSentence(renewalDate: string, daysToRenewal: number): string {
  return `Renewal overdue: the renewal date ${renewalDate} passed ${plural(-daysToRenewal, 'day')} ago; record the renewal or the new date.`;
}
