/**
 * In-memory account bundles for the risk engine's unit tests: metric series as functions of
 * "days ago", events as "days ago", so each fixture reads like the rule it tests.
 */
import {
  Series,
  type AccountBundle,
  type AccountFacts,
  type ContactFacts,
  type EventList,
} from '../../src/domain/risk/bundle.ts';
import { dayNumber, dayString } from '../../src/domain/risk/days.ts';

export const AS_OF = '2026-03-31';
export const DAY = dayNumber(AS_OF);
/** Days of metric history every fixture series covers. */
export const SPAN = 150;

export type DailyValue = number | ((daysAgo: number) => number | null);

export interface FixtureEvent {
  type: string;
  daysAgo: number;
  value?: number | null;
  contact?: string | null;
  /** Seconds into the day, to order same-day events. */
  second?: number;
}

export interface Fixture {
  account?: Partial<AccountFacts>;
  contacts?: Partial<ContactFacts>[];
  metrics?: Record<string, DailyValue>;
  contactLogins?: Record<string, DailyValue>;
  events?: FixtureEvent[];
}

export const daysAgo = (n: number) => dayString(DAY - n);

function series(value: DailyValue): Series {
  const start = DAY - SPAN + 1;
  const values: number[] = [];
  for (let i = 0; i < SPAN; i++) {
    const ago = DAY - (start + i);
    const v = typeof value === 'function' ? value(ago) : value;
    values.push(v === null ? Number.NaN : v);
  }
  return new Series(start, values);
}

export function makeBundle(fixture: Fixture = {}): AccountBundle {
  const account: AccountFacts = {
    account_id: 'acc_t',
    name: 'Test Co',
    owner_email: 'csm@example.com',
    segment: 'SMB',
    arr: 10_000,
    currency: 'USD',
    seats_purchased: null,
    usage_limit: null,
    renewal_date: null,
    created_at: daysAgo(400),
    status: 'active',
    churned_at: null,
    lifecycle_stage: 'adopted',
    ...fixture.account,
  };
  const contacts = (fixture.contacts ?? []).map((c, i) => ({
    contact_id: `con_${i + 1}`,
    name: `Person ${i + 1}`,
    is_champion: false,
    active: true,
    ...c,
  }));
  const metrics = new Map(Object.entries(fixture.metrics ?? {}).map(([name, v]) => [name, series(v)]));
  const contactLogins = new Map(Object.entries(fixture.contactLogins ?? {}).map(([id, v]) => [id, series(v)]));
  const events = new Map<string, EventList>();
  const sorted = [...(fixture.events ?? [])].sort(
    (a, b) => b.daysAgo - a.daysAgo || (a.second ?? 43_200) - (b.second ?? 43_200),
  );
  for (const e of sorted) {
    let list = events.get(e.type);
    if (!list) {
      list = { days: [], at: [], values: [], contacts: [] };
      events.set(e.type, list);
    }
    const second = e.second ?? 43_200;
    const hh = String(Math.floor(second / 3600)).padStart(2, '0');
    const mm = String(Math.floor(second / 60) % 60).padStart(2, '0');
    const ss = String(second % 60).padStart(2, '0');
    list.days.push(DAY - e.daysAgo);
    list.at.push(`${daysAgo(e.daysAgo)}T${hh}:${mm}:${ss}.000Z`);
    list.values.push(e.value ?? null);
    list.contacts.push(e.contact ?? null);
  }
  return { account, contacts, metrics, contactLogins, events };
}

/** `recent` for the last `recentDays` days, `baseline` before that. */
export function step(recentDays: number, recent: number, baseline: number): (ago: number) => number {
  return (ago) => (ago < recentDays ? recent : baseline);
}
