import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  STANDARD_EVENT_TYPES,
  STANDARD_METRICS,
  accountRecord,
  contactRecord,
  eventRecord,
  metricRecord,
} from '../../src/domain/contract/records.ts';
import { addDays, daysBetween, isIsoDay } from '../../src/domain/contract/dates.ts';
import { CSM_TEAM } from '../../src/domain/demo/catalog.ts';
import type { DemoAccountBundle } from '../../src/domain/demo/generate.ts';
import { generateDemoAccount, generateDemoBook, resolveDemoOptions } from '../../src/domain/demo/generate.ts';
import {
  DEMO_PATTERNS,
  demoPatternCounts,
  demoPatternsFor,
  demoProfileFor,
  profileCounts,
} from '../../src/domain/demo/profiles.ts';
import { createRng, hashSeed } from '../../src/domain/demo/random.ts';
import { isOpportunity } from '../../src/domain/risk/catalog.ts';

const AS_OF = '2026-03-15';
const book400 = [...generateDemoBook({ accounts: 400, seed: 42, asOf: AS_OF, days: 120 })];

function digest(bundles: Iterable<DemoAccountBundle>): string {
  const hash = createHash('sha256');
  for (const bundle of bundles) hash.update(JSON.stringify(bundle));
  return hash.digest('hex');
}

// ---------------------------------------------------------------------------------------------
// An independent reading of the risk rules, evaluated as of `asOf + end` (end 0 = windows that
// end on the as-of day, end -1 = windows that end the day before). The generator must satisfy
// the planted rules, and only those, under both conventions.
// ---------------------------------------------------------------------------------------------

const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, c) => a + c, 0) / xs.length);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, c) => a - c);
  if (s.length === 0) return null;
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

interface AccountView {
  values(metric: string, from: number, to: number, contact?: string): number[];
  events(type: string, from?: number, to?: number): { on: number; at: string; value: number | null }[];
}

function view(bundle: DemoAccountBundle, asOf: string, end: number): AccountView {
  const series = new Map<string, Map<number, number>>();
  for (const m of bundle.metrics) {
    const key = `${m.metric}|${m.contact_id}`;
    let s = series.get(key);
    if (!s) series.set(key, (s = new Map()));
    s.set(daysBetween(asOf, m.date), m.value);
  }
  const events = bundle.events
    .map((e) => ({ type: e.type, on: daysBetween(asOf, e.occurred_at), at: e.occurred_at, value: e.value }))
    .filter((e) => e.on <= end);
  return {
    values(metric, from, to, contact = '') {
      const s = series.get(`${metric}|${contact}`);
      const out: number[] = [];
      for (let o = from; o <= to; o++) {
        const v = s?.get(o);
        if (v !== undefined) out.push(v);
      }
      return out;
    },
    events: (type, from = -Infinity, to = end) => events.filter((e) => e.type === type && e.on >= from && e.on <= to),
  };
}

function usageDrop(v: AccountView, metric: string, end: number): { recent: number; baseline: number } | null {
  const recent = mean(v.values(metric, end - 13, end));
  const baseline = mean(v.values(metric, end - 41, end - 14));
  return recent === null || baseline === null ? null : { recent, baseline };
}

function firedRules(bundle: DemoAccountBundle, asOf: string, end: number): Set<string> {
  const v = view(bundle, asOf, end);
  const a = bundle.account;
  const age = end - daysBetween(asOf, a.created_at ?? asOf);
  const fired = new Set<string>();
  const after = (type: string, at: string) => v.events(type).some((e) => e.at > at);

  if (age >= 3 && age < 60 && v.events('setup_completed').length === 0) fired.add('setup_incomplete');

  const onboarded = v.events('onboarding_completed').at(-1);
  if (onboarded && onboarded.on <= end - 7 && v.values('core_feature_uses', onboarded.on, end).every((x) => x === 0))
    fired.add('onboarding_stalled');

  const lastFailure = v.events('payment_failed').at(-1);
  if (v.events('payment_failed', end - 29).length >= 3 && lastFailure && !after('payment_succeeded', lastFailure.at))
    fired.add('payment_failing');

  for (const contact of bundle.contacts) {
    const baseline = v.values('logins', end - 37, end - 10, contact.contact_id);
    const quiet = v.values('logins', end - 9, end, contact.contact_id);
    if (baseline.filter((x) => x > 0).length >= 20 && quiet.every((x) => x === 0)) fired.add('power_user_dormant');
  }

  for (const metric of ['active_users', 'usage']) {
    const d = usageDrop(v, metric, end);
    if (d && d.baseline >= 5 && d.recent <= 0.7 * d.baseline) fired.add('usage_drop');
  }

  const seats7 = mean(v.values('seats_used', end - 6, end));
  const seats28 = mean(v.values('seats_used', end - 34, end - 7));
  if (seats7 !== null && seats28 !== null && seats28 > 0 && seats7 <= 0.8 * seats28) fired.add('seat_drop');

  const seatsToday = v.values('seats_used', end, end)[0];
  const purchased = a.seats_purchased ?? 0;
  if (
    age > 90 &&
    purchased > 0 &&
    ((seatsToday !== undefined && seatsToday / purchased < 0.5) || (seats7 !== null && seats7 / purchased < 0.5))
  ) {
    fired.add('seat_underuse');
  }

  const usage7 = mean(v.values('usage', end - 6, end));
  if (a.usage_limit && usage7 !== null && usage7 >= 0.8 * a.usage_limit) fired.add('approaching_limit');

  const left = v.events('champion_left', end - 29).at(-1);
  if ((left && !after('champion_assigned', left.at)) || !bundle.contacts.some((c) => c.is_champion && c.active))
    fired.add('champion_left');

  const recentTickets = v.events('ticket_opened', end - 29).length;
  const priorMonthly = v.events('ticket_opened', end - 119, end - 30).length / 3;
  if ((recentTickets >= 3 && recentTickets >= 2 * priorMonthly) || v.events('ticket_escalated', end - 13).length > 0)
    fired.add('support_surge');

  const nps = v.events('nps_response', end - 59).at(-1);
  if (nps && (nps.value ?? 10) <= 6) fired.add('detractor');

  if (
    (fired.has('usage_drop') || fired.has('seat_drop')) &&
    v.events('ticket_opened', end - 59).length === 0 &&
    v.events('csm_touch', end - 59).length === 0
  ) {
    fired.add('silent_churn');
  }

  const syncFailures = ['sync_failed', 'integration_error'].flatMap((type) => v.events(type, end - 6));
  if (syncFailures.length >= 3) fired.add('integration_failing');

  // On an account 180+ days old, the last 30 days' mean of active users is above each of the three
  // 30-day periods before it, and at least 20% above the first of them.
  const mean30 = (to: number) => mean(v.values('active_users', to - 29, to));
  const [now30, ...earlier] = [0, 30, 60, 90].map((back) => mean30(end - back));
  const start30 = earlier.at(-1);
  if (
    age >= 180 &&
    now30 != null &&
    start30 != null &&
    start30 > 0 &&
    earlier.every((m) => m !== null && now30 >= m) &&
    now30 >= 1.2 * start30
  )
    fired.add('milestone_reached');

  const latency3 = mean(v.values('latency_ms', end - 2, end));
  const latency28 = median(v.values('latency_ms', end - 27, end));
  if (latency3 !== null && latency28 !== null && latency3 >= 1.15 * latency28) fired.add('performance_degradation');

  // renewal_at_risk needs a red or yellow health score, which this reading does not compute: it
  // counts a renewal as at risk when anything else fires. That holds for the planted renewals,
  // which fail most of the score's weight (checked below, and scored by the real engine in
  // test/integration/risk-demo-book.test.ts). Renewal "within 90 days" includes a recent lapse.
  const toRenewal = daysBetween(asOf, a.renewal_date ?? '9999-12-31') - end;
  if (toRenewal <= 90 && toRenewal >= -30 && fired.size > 0) fired.add('renewal_at_risk');
  return fired;
}

function mismatches(book: DemoAccountBundle[], asOf: string): string[] {
  const out: string[] = [];
  for (const bundle of book) {
    if (bundle.account.status === 'churned') continue;
    for (const end of [0, -1]) {
      const fired = [...firedRules(bundle, asOf, end)].sort();
      const planted = [...bundle.plantedPatterns].sort();
      if (fired.join() !== planted.join())
        out.push(`${bundle.account.account_id} (${bundle.profile}, end ${end}): planted [${planted}] fired [${fired}]`);
    }
  }
  return out;
}

describe('demo book: options and determinism', () => {
  it('defaults to 400 accounts, seed 42 and 120 days, and rejects nonsense', () => {
    const resolved = resolveDemoOptions();
    expect(resolved).toMatchObject({ accounts: 400, seed: 42, days: 120 });
    expect(isIsoDay(resolved.asOf)).toBe(true);
    expect(() => resolveDemoOptions({ accounts: 0 })).toThrow(/between 1 and/);
    expect(() => resolveDemoOptions({ accounts: 2.5 })).toThrow(/between 1 and/);
    expect(() => resolveDemoOptions({ asOf: '2026-02-30' })).toThrow(/date/);
    expect(() => resolveDemoOptions({ days: 0 })).toThrow(/days/);
  });

  it('gives byte-identical records for the same seed, size and as-of day', () => {
    const again = [...generateDemoBook({ accounts: 400, seed: 42, asOf: AS_OF, days: 120 })];
    expect(digest(again)).toBe(digest(book400));
    expect(JSON.stringify(again[123])).toBe(JSON.stringify(book400[123]));
  });

  it('changes with the seed and with the as-of day', () => {
    const other = digest(generateDemoBook({ accounts: 400, seed: 43, asOf: AS_OF }));
    expect(other).not.toBe(digest(book400));
    const shifted = [...generateDemoBook({ accounts: 400, seed: 42, asOf: '2026-03-16' })];
    expect(digest(shifted)).not.toBe(digest(book400));
    // Shifting the as-of day shifts the story, not the cast.
    expect(shifted.map((b) => b.profile)).toEqual(book400.map((b) => b.profile));
    expect(shifted[7]?.account.name).toBe(book400[7]?.account.name);
  });

  it('generates any single account exactly as the stream does', () => {
    for (const index of [0, 57, 399]) {
      expect(JSON.stringify(generateDemoAccount(index, { accounts: 400, seed: 42, asOf: AS_OF }))).toBe(
        JSON.stringify(book400[index]),
      );
    }
  });

  it('has a seeded PRNG that repeats itself and spreads its seeds', () => {
    const a = createRng(hashSeed(1, 2, 3));
    const b = createRng(hashSeed(1, 2, 3));
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(xs);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(mean(xs)).toBeGreaterThan(0.45);
    expect(mean(xs)).toBeLessThan(0.55);
    expect(hashSeed(1, 2, 3)).not.toBe(hashSeed(1, 2, 4));
    expect(hashSeed(2 ** 40)).not.toBe(hashSeed(0));
    const normals = Array.from({ length: 5000 }, () => a.normal(10, 2));
    expect(mean(normals)).toBeGreaterThan(9.8);
    expect(mean(normals)).toBeLessThan(10.2);
  });
});

describe('demo book: records', () => {
  it('passes the data contract schemas, already in canonical form', () => {
    for (const bundle of book400) {
      expect(accountRecord.parse(bundle.account)).toEqual(bundle.account);
      for (const contact of bundle.contacts) expect(contactRecord.parse(contact)).toEqual(contact);
      for (const event of bundle.events) expect(eventRecord.parse(event)).toEqual(event);
    }
    // Metrics are checked with safeParse (no toEqual per row) to keep this fast over ~370k rows.
    let bad = 0;
    for (const bundle of book400)
      for (const metric of bundle.metrics) if (!metricRecord.safeParse(metric).success) bad++;
    expect(bad).toBe(0);
  });

  it('has 400 accounts and 120 days of the seven standard daily metrics ending at the as-of day', () => {
    expect(book400).toHaveLength(400);
    const ids = book400.map((b) => b.account.account_id);
    expect(ids[0]).toBe('acc_00001');
    expect(ids[399]).toBe('acc_00400');
    expect(new Set(ids).size).toBe(400);
    const firstDay = addDays(AS_OF, -119);
    let fullHistory = 0;
    let badRows = 0;
    for (const { account, metrics } of book400) {
      const accountLevel = metrics.filter((m) => m.contact_id === '');
      expect(new Set(accountLevel.map((m) => m.metric))).toEqual(new Set(STANDARD_METRICS));
      const dates = accountLevel.filter((m) => m.metric === 'active_users').map((m) => m.date);
      const start = account.created_at && account.created_at > firstDay ? account.created_at : firstDay;
      const stop = account.churned_at ?? AS_OF;
      expect(dates[0]).toBe(start);
      expect(dates.at(-1)).toBe(stop);
      expect(dates).toHaveLength(daysBetween(start, stop) + 1);
      if (dates.length === 120) fullHistory++;
      for (const name of STANDARD_METRICS)
        expect(accountLevel.filter((m) => m.metric === name)).toHaveLength(dates.length);
      for (const m of metrics) if (m.value < 0 || m.date > AS_OF || m.date < firstDay) badRows++;
    }
    expect(badRows).toBe(0);
    expect(fullHistory).toBeGreaterThan(300);
  });

  it('keeps contacts, ids and references consistent', () => {
    const eventIds = new Set<string>();
    const contactIds = new Set<string>();
    for (const { account, contacts, metrics, events } of book400) {
      expect(contacts.length).toBeGreaterThanOrEqual(2);
      expect(contacts.length).toBeLessThanOrEqual(8);
      const own = new Set(contacts.map((c) => c.contact_id));
      for (const c of contacts) {
        expect(contactIds.has(c.contact_id)).toBe(false);
        contactIds.add(c.contact_id);
        expect(c.account_id).toBe(account.account_id);
        expect(c.email).toMatch(/^[a-z.]+@[a-z0-9]+\.example$/);
      }
      expect(contacts.filter((c) => c.is_champion).length).toBeLessThanOrEqual(1);
      const stray = metrics.filter(
        (m) =>
          m.account_id !== account.account_id ||
          (m.contact_id !== '' && (!own.has(m.contact_id) || m.metric !== 'logins')),
      );
      expect(stray).toEqual([]);
      for (const e of events) {
        expect(eventIds.has(e.event_id)).toBe(false);
        eventIds.add(e.event_id);
        expect(e.account_id).toBe(account.account_id);
        expect((STANDARD_EVENT_TYPES as readonly string[]).includes(e.type)).toBe(true);
        if (e.contact_id !== null) expect(own.has(e.contact_id)).toBe(true);
        // Nothing happens on or after the as-of day.
        expect(e.occurred_at < `${AS_OF}T00:00:00.000Z`).toBe(true);
      }
      expect(events.map((e) => e.occurred_at)).toEqual(events.map((e) => e.occurred_at).sort());
    }
  });

  it('looks like a real book: segments, ARR, owners, markets, renewals and ages', () => {
    const accounts = book400.map((b) => b.account);
    const bySegment = (s: string) => accounts.filter((a) => a.segment === s);
    expect(bySegment('SMB').length).toBeGreaterThan(180);
    expect(bySegment('Mid-Market').length).toBeGreaterThan(80);
    expect(bySegment('Enterprise').length).toBeGreaterThan(25);
    const usdArr = (s: string) =>
      bySegment(s)
        .filter((a) => a.currency === 'USD')
        .map((a) => a.arr);
    for (const [segment, min, max] of [
      ['SMB', 5_000, 30_000],
      ['Mid-Market', 30_000, 150_000],
      ['Enterprise', 150_000, 1_500_000],
    ] as const) {
      expect(Math.min(...usdArr(segment))).toBeGreaterThanOrEqual(min);
      expect(Math.max(...usdArr(segment))).toBeLessThanOrEqual(max);
    }
    expect(new Set(accounts.map((a) => a.owner_email))).toEqual(new Set(CSM_TEAM));
    const currencies = accounts.map((a) => a.currency);
    expect(currencies.filter((c) => c === 'USD').length / 400).toBeGreaterThan(0.6);
    expect(currencies).toContain('EUR');
    expect(currencies).toContain('GBP');
    const active = accounts.filter((a) => a.status === 'active');
    const toRenewal = active.map((a) => daysBetween(AS_OF, a.renewal_date ?? ''));
    expect(Math.max(...toRenewal)).toBeLessThanOrEqual(365);
    expect(toRenewal.filter((d) => d >= 0 && d <= 90).length).toBeGreaterThan(40);
    expect(toRenewal.filter((d) => d > 270).length).toBeGreaterThan(40);
    expect(toRenewal.some((d) => d < 0)).toBe(true);
    const ages = accounts.map((a) => daysBetween(a.created_at ?? '', AS_OF));
    expect(Math.max(...ages)).toBeLessThanOrEqual(3 * 365 + 120);
    expect(ages.filter((d) => d < 60).length).toBeGreaterThanOrEqual(15);
    expect(ages.filter((d) => d > 2 * 365).length).toBeGreaterThan(60);
    expect(new Set(accounts.map((a) => a.name)).size).toBe(400);
    const types = new Set(book400.flatMap((b) => b.events.map((e) => e.type)));
    expect([...types].sort()).toEqual([...STANDARD_EVENT_TYPES].sort());
    for (const a of accounts) {
      expect(a.seats_purchased).toBeGreaterThanOrEqual(3);
      expect(a.usage_limit).toBeGreaterThan(0);
    }
  });
});

describe('demo book: planted risk patterns', () => {
  it('plants every rule on at least 3 accounts at 400, about 10–15% of the book at risk', () => {
    const counts = demoPatternCounts(42, 400);
    expect(Object.keys(counts).sort()).toEqual([...DEMO_PATTERNS].sort());
    for (const pattern of DEMO_PATTERNS) expect(counts[pattern], pattern).toBeGreaterThanOrEqual(3);
    // Opportunities (an upgrade, a milestone) are planted too, but are not a risk.
    const atRisk = book400.filter((b) => b.plantedPatterns.some((p) => !isOpportunity(p))).length;
    expect(atRisk / 400).toBeGreaterThanOrEqual(0.1);
    expect(atRisk / 400).toBeLessThanOrEqual(0.15);
    // The generator and the stand-alone lookup agree.
    for (const b of book400) {
      expect(demoPatternsFor(b.account.account_id, 42, 400)).toEqual(b.plantedPatterns);
      expect(demoProfileFor(b.account.account_id, 42, 400)).toBe(b.profile);
    }
    expect(demoPatternsFor('acc_00401', 42, 400)).toEqual([]);
    expect(demoPatternsFor('not-a-demo-id', 42, 400)).toEqual([]);
  });

  it('scales the planted stories with the book', () => {
    const small = profileCounts(400);
    const large = profileCounts(50_000);
    expect(large.churned).toBeGreaterThanOrEqual(100 * small.churned);
    for (const name of ['setup_incomplete', 'renewal_at_risk', 'silent_churn'] as const) {
      expect(large[name]).toBeGreaterThanOrEqual(100 * small[name]);
      expect(large[name]).toBeLessThanOrEqual(150 * small[name]);
    }
    const totals = (counts: Record<string, number>) => Object.values(counts).reduce((a, c) => a + c, 0);
    expect(totals(large)).toBe(50_000);
    expect(totals(profileCounts(7))).toBe(7);
  });

  it('makes the planted rules, and only those, fire as of the as-of day (and the day before)', () => {
    expect(mismatches(book400, AS_OF)).toEqual([]);
    const fired = new Map<string, number>();
    for (const b of book400) {
      if (b.account.status === 'churned') continue;
      for (const rule of firedRules(b, AS_OF, 0)) fired.set(rule, (fired.get(rule) ?? 0) + 1);
    }
    for (const pattern of DEMO_PATTERNS) expect(fired.get(pattern) ?? 0, pattern).toBeGreaterThanOrEqual(3);
  });

  it('holds for another seed, size and as-of day (a leap day)', () => {
    const book = [...generateDemoBook({ accounts: 600, seed: 7, asOf: '2024-02-29' })];
    expect(mismatches(book, '2024-02-29')).toEqual([]);
  });

  it('plants drops with a clear margin, not on the threshold', () => {
    for (const b of book400.filter((x) => x.plantedPatterns.includes('usage_drop'))) {
      const d = usageDrop(view(b, AS_OF, 0), 'active_users', 0);
      expect(d?.baseline).toBeGreaterThanOrEqual(8);
      expect((d?.recent ?? 1) / (d?.baseline ?? 1)).toBeLessThanOrEqual(0.6);
    }
    for (const b of book400.filter((x) => x.profile === 'healthy')) {
      const d = usageDrop(view(b, AS_OF, 0), 'active_users', 0);
      if (d && d.baseline >= 5) expect(d.recent / d.baseline).toBeGreaterThan(0.85);
    }
  });

  it('gives the big red renewals to Enterprise accounts renewing within 90 days', () => {
    const red = book400.filter((b) => b.profile === 'renewal_at_risk');
    expect(red.length).toBeGreaterThanOrEqual(3);
    for (const b of red) {
      expect(b.account.segment).toBe('Enterprise');
      expect(b.account.arr).toBeGreaterThanOrEqual(150_000);
      const days = daysBetween(AS_OF, b.account.renewal_date ?? '');
      expect(days).toBeGreaterThan(0);
      expect(days).toBeLessThanOrEqual(90);
      expect(b.plantedPatterns).toEqual(
        expect.arrayContaining([
          'renewal_at_risk',
          'payment_failing',
          'usage_drop',
          'seat_drop',
          'seat_underuse',
          'detractor',
        ]),
      );
      // Clearly red, not yellow: usage, seats, billing, NPS and the relationship all fail, with margin.
      const v = view(b, AS_OF, 0);
      const d = usageDrop(v, 'active_users', 0);
      expect((d?.recent ?? 1) / (d?.baseline ?? 1)).toBeLessThanOrEqual(0.25);
      expect((mean(v.values('seats_used', -6, 0)) ?? 0) / (b.account.seats_purchased ?? 1)).toBeLessThan(0.35);
      expect(v.events('payment_failed', -29).length).toBeGreaterThanOrEqual(3);
      expect(v.events('nps_response', -59).at(-1)?.value).toBeLessThanOrEqual(6);
      expect(v.events('csm_touch', -41)).toEqual([]);
    }
  });

  it('keeps every healthy account green: a champion, recent contact, steady seats and good NPS', () => {
    for (const b of book400.filter((x) => x.profile === 'healthy')) {
      expect(b.contacts.filter((c) => c.is_champion && c.active)).toHaveLength(1);
      const v = view(b, AS_OF, 0);
      expect(v.events('csm_touch', -59).length).toBeGreaterThan(0);
      for (const nps of v.events('nps_response', -120)) expect(nps.value).toBeGreaterThanOrEqual(7);
      const age = daysBetween(b.account.created_at ?? '', AS_OF);
      if (age > 90) {
        const util = v.values('seats_used', -6, 0).reduce((x, y) => x + y, 0) / 7 / (b.account.seats_purchased ?? 1);
        expect(util).toBeGreaterThanOrEqual(0.6);
      }
      const usage7 = mean(v.values('usage', -6, 0)) ?? 0;
      expect(usage7 / (b.account.usage_limit ?? 1)).toBeLessThan(0.7);
    }
  });
});

describe('demo book: churn history', () => {
  const churned = book400.filter((b) => b.account.status === 'churned');

  it('has enough past churn to calibrate on, recorded consistently', () => {
    expect(churned.length).toBeGreaterThanOrEqual(30);
    for (const { account, events, metrics } of churned) {
      expect(account.churned_at).not.toBeNull();
      const churnedAt = account.churned_at ?? '';
      expect(churnedAt < AS_OF).toBe(true);
      expect(account.lifecycle_stage).toBe('churned');
      const churnEvents = events.filter((e) => e.type === 'churned');
      expect(churnEvents).toHaveLength(1);
      expect(churnEvents[0]?.occurred_at.slice(0, 10)).toBe(churnedAt);
      expect(events.every((e) => e.occurred_at.slice(0, 10) <= churnedAt)).toBe(true);
      expect(metrics.every((m) => m.date <= churnedAt)).toBe(true);
    }
    for (const b of book400.filter((x) => x.account.status === 'active')) {
      expect(b.account.churned_at).toBeNull();
      expect(b.events.some((e) => e.type === 'churned')).toBe(false);
    }
  });

  it('mostly shows poor health before churning, with a few surprises', () => {
    let declined = 0;
    for (const b of churned) {
      const end = daysBetween(AS_OF, b.account.churned_at ?? '');
      const d = usageDrop(view(b, AS_OF, end), 'active_users', end);
      const v = view(b, AS_OF, end);
      const poorNps = v.events('nps_response', end - 60).some((e) => (e.value ?? 10) <= 6);
      if ((d && d.recent <= 0.75 * d.baseline) || poorNps) declined++;
    }
    expect(declined / churned.length).toBeGreaterThanOrEqual(0.7);
    expect(declined).toBeLessThan(churned.length);
  });
});

describe('demo book: sizes', () => {
  it('handles tiny books and short histories', () => {
    for (const options of [{ accounts: 1 }, { accounts: 12, days: 1 }, { accounts: 70, days: 30 }]) {
      const book = [...generateDemoBook({ ...options, seed: 3, asOf: AS_OF })];
      expect(book).toHaveLength(options.accounts);
      for (const b of book) {
        expect(accountRecord.safeParse(b.account).success).toBe(true);
        for (const m of b.metrics) expect(m.date >= addDays(AS_OF, -((options.days ?? 120) - 1))).toBe(true);
      }
    }
  });

  it('streams: the first accounts of a 50,000-account book arrive without generating the rest', () => {
    const started = performance.now();
    const stream = generateDemoBook({ accounts: 50_000, seed: 42, asOf: AS_OF, days: 90 });
    const first = stream.next();
    expect(first.done).toBe(false);
    expect(first.value?.account.account_id).toBe('acc_00001');
    expect(performance.now() - started).toBeLessThan(2_000);
    void stream.return(undefined);
  });
});
