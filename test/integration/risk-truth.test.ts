/**
 * No false green and safe time, on real SQLite: stale data has no band and is not ranked, a look at
 * the future or the past never rewrites risk items, history is filled per account, and a day is
 * scored from the data and churn dated on or before it only, also when the book is fed day by day.
 */
import { describe, expect, it } from 'vitest';
import { withEventId } from '../../src/domain/contract/event-id.ts';
import type { Db } from '../../src/domain/db/open.ts';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';
import { contactsRepo } from '../../src/domain/db/repos/contacts.ts';
import { eventsRepo } from '../../src/domain/db/repos/events.ts';
import { metricsRepo } from '../../src/domain/db/repos/metrics.ts';
import { accountRisk } from '../../src/domain/risk/account-view.ts';
import { dataAgeRepo } from '../../src/domain/risk/data-age-repo.ts';
import { dayNumber, dayString } from '../../src/domain/risk/days.ts';
import { bookOnDay } from '../../src/domain/risk/list.ts';
import { startItem } from '../../src/domain/risk/items.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import { refreshAccountVisibility } from '../../src/domain/risk/visibility.ts';
import { accountsGrid } from '../../src/domain/accounts/grid.ts';
import { staleGroup } from '../../src/domain/risk/stale-group.ts';
import { sampleAccount, tempDb } from '../support/temp.ts';

const D = '2026-03-31';
const at = (offset: number) => dayString(dayNumber(D) + offset);

/** An account with daily active users and seats from `from` to `to` (offsets from D) and a CSM touch. */
function account(db: Db, id: string, feed: { from: number; to: number; users?: number }, extra = {}) {
  accountsRepo(db).upsert(
    sampleAccount({ account_id: id, name: `Co ${id}`, created_at: '2025-01-01', renewal_date: '2027-01-31', ...extra }),
  );
  contactsRepo(db).upsert({
    contact_id: `${id}_champ`,
    account_id: id,
    name: 'Grace Hopper',
    email: null,
    role: null,
    is_champion: true,
    active: true,
    last_seen_at: null,
  });
  const metrics = metricsRepo(db);
  for (let o = feed.from; o <= feed.to; o++) {
    metrics.upsert({ account_id: id, metric: 'active_users', contact_id: '', date: at(o), value: feed.users ?? 10 });
    metrics.upsert({ account_id: id, metric: 'seats_used', contact_id: '', date: at(o), value: 15 });
  }
}

function eventOn(db: Db, accountId: string, type: string, offset: number, value: number | null = null) {
  eventsRepo(db).upsert(
    withEventId({
      event_id: null,
      account_id: accountId,
      occurred_at: `${at(offset)}T10:00:00.000Z`,
      type,
      value,
      contact_id: null,
      detail: null,
    }),
  );
}

const snapshotOf = (db: Db, asOf: string, id: string) =>
  db
    .prepare<
      [string, string],
      { score: number | null; band: string | null; stale: number; data_through: string | null; at_risk: number }
    >('SELECT score, band, stale, data_through, at_risk FROM risk_snapshots WHERE as_of = ? AND account_id = ?')
    .get(asOf, id);

const liveItems = (db: Db) =>
  db
    .prepare<[], { item_id: number; account_id: string; trigger_id: string; status: string; last_fired_on: string }>(
      "SELECT item_id, account_id, trigger_id, status, last_fired_on FROM risk_items WHERE status IN ('open', 'in_progress') ORDER BY item_id",
    )
    .all();

describe('no false green', () => {
  it('gives an account whose data stopped more than 7 days ago no band, lists it as stale and never ranks it', () => {
    const { db } = tempDb();
    account(db, 'fresh', { from: -120, to: 0 });
    account(db, 'stopped', { from: -120, to: -40 });
    scoreAll(db, { asOf: D });
    expect(snapshotOf(db, D, 'fresh')).toMatchObject({ band: 'green', stale: 0, data_through: D });
    const stale = snapshotOf(db, D, 'stopped')!;
    expect(stale).toMatchObject({ band: null, stale: 1, data_through: at(-40), at_risk: 0 });
    const group = staleGroup(db, D, { owner: null, segment: null }, 10);
    expect(group.count).toBe(1);
    expect(group.accounts[0]).toMatchObject({ accountId: 'stopped', dataThrough: at(-40), dataAgeDays: 40 });
    expect(group.dataThrough).toBe(D);
    const view = accountRisk(db, 'stopped', D, `${D}T12:00:00.000Z`);
    expect(view).toMatchObject({ stale: true, band: null, dataThrough: at(-40), dataAgeDays: 40 });
    // Nor a trend: a week's change between two stale scores is no evidence either.
    expect(view).toMatchObject({ trend: null, delta: null, change: null });
    const grid = accountsGrid(db, { asOf: D, search: '', sort: 'arr', direction: 'desc', offset: 0, limit: 10 });
    expect(grid.rows.find((r) => r.accountId === 'stopped')).toMatchObject({
      score: null,
      trend: null,
      scoreDelta: null,
    });
    expect(grid.rows.find((r) => r.accountId === 'fresh')).toMatchObject({ trend: 'flat', scoreDelta: 0 });
    expect(view.reasons[0]).toMatch(/^Stale data: the newest data is from 2026-02-19 \(40 days ago\)/);
  });

  it('keeps a stale account out of the ranking, also after a person acts on one of its items', () => {
    const { db } = tempDb();
    // The feed stops 9 days before D, just after three failed payments.
    account(db, 'quiet', { from: -120, to: -9 });
    for (const o of [-12, -11, -10]) eventOn(db, 'quiet', 'payment_failed', o);
    scoreAll(db, { asOf: at(-9) });
    const item = db
      .prepare<[], { item_id: number }>("SELECT item_id FROM risk_items WHERE trigger_id = 'payment_failing'")
      .get()!;
    expect(snapshotOf(db, at(-9), 'quiet')).toMatchObject({ stale: 0, at_risk: 1 });
    // On D the play still fires from the old events, but the data is 9 days old: not ranked, and
    // the item is neither updated nor resolved.
    const today = scoreAll(db, { asOf: D });
    expect(today.items).toMatchObject({ synced: true, opened: 0, updated: 0, resolved: 0 });
    expect(snapshotOf(db, D, 'quiet')).toMatchObject({ stale: 1, band: null, at_risk: 0 });
    startItem(db, item.item_id, `${D}T09:00:00.000Z`);
    refreshAccountVisibility(db, 'quiet');
    expect(snapshotOf(db, D, 'quiet')).toMatchObject({ stale: 1, at_risk: 0 });
    expect(snapshotOf(db, at(-9), 'quiet')).toMatchObject({ stale: 0, at_risk: 1 });
  });

  it('finds the age of data older than every loaded window in the database', () => {
    const { db } = tempDb();
    account(db, 'long_gone', { from: -400, to: -300 });
    scoreAll(db, { asOf: D });
    expect(snapshotOf(db, D, 'long_gone')).toMatchObject({ stale: 1, band: null, data_through: at(-300) });
  });

  it('leaves support out of a book without any ticket data instead of scoring it 100', () => {
    const { db } = tempDb();
    account(db, 'a', { from: -120, to: 0 });
    const support = () => accountRisk(db, 'a', D, `${D}T12:00:00.000Z`).components.find((c) => c.id === 'support')!;
    expect(support().score).toBeNull();
    expect(support().explanation).toBe('No data: the book holds no ticket data; left out of the score.');
    // Another account's ticket, dated on or before the day, makes "no tickets" a fact for this one.
    account(db, 'b', { from: -120, to: 0 });
    eventOn(db, 'b', 'ticket_opened', -3);
    expect(support().score).toBe(100);
  });

  it('counts a ticket dated after the day as no ticket data for that day', () => {
    const { db } = tempDb();
    account(db, 'a', { from: -120, to: 0 });
    eventOn(db, 'a', 'ticket_opened', 5);
    expect(dataAgeRepo(db).bookCoverage(dayNumber(D) - 30, dayNumber(D)).ticketsSince).toBeNull();
    expect(dataAgeRepo(db).bookCoverage(dayNumber(D) - 30, dayNumber(D) + 10).ticketsSince).toBe(dayNumber(D) + 5);
  });

  it('gives the book’s newest data day, bounded by a day when asked', () => {
    const { db } = tempDb();
    account(db, 'a', { from: -10, to: -2 });
    eventOn(db, 'a', 'csm_touch', 3);
    expect(dataAgeRepo(db).bookNewest()).toBe(at(3));
    expect(dataAgeRepo(db).bookNewest(dayNumber(D))).toBe(at(-2));
  });
});

describe('time is safe', () => {
  it('a look at the future ranks and explains but leaves the live items as they were', () => {
    const { db } = tempDb();
    account(db, 'dropping', { from: -120, to: 0, users: 10 });
    // Users fall to a fifth in the last two weeks: usage_drop fires.
    for (let o = -13; o <= 0; o++)
      metricsRepo(db).upsert({ account_id: 'dropping', metric: 'active_users', contact_id: '', date: at(o), value: 2 });
    scoreAll(db, { asOf: D, now: `${D}T08:00:00.000Z` });
    const before = liveItems(db);
    expect(before.map((i) => i.trigger_id)).toContain('usage_drop');

    const future = scoreAll(db, { asOf: at(180), now: `${D}T09:00:00.000Z` });
    expect(future.items).toMatchObject({ synced: false, opened: 0, resolved: 0 });
    expect(future.items.reason).toMatch(/in the future/);
    expect(liveItems(db)).toEqual(before);
    // The future day is all stale data: nothing looks healthy there.
    expect(snapshotOf(db, at(180), 'dropping')).toMatchObject({ band: null, stale: 1 });

    // Today's run still moves the items afterwards.
    const again = scoreAll(db, { asOf: D, now: `${D}T10:00:00.000Z` });
    expect(again.items.synced).toBe(true);
  });

  it('a past day that is not the newest data day leaves the items; the newest data day moves them', () => {
    const { db } = tempDb();
    account(db, 'a', { from: -120, to: 0, users: 10 });
    const past = scoreAll(db, { asOf: at(-10), today: at(20) });
    expect(past.items.synced).toBe(false);
    expect(past.items.reason).toMatch(/neither today nor the newest data day \(2026-03-31\)/);
    const newest = scoreAll(db, { asOf: D, today: at(20) });
    expect(newest.items).toMatchObject({ synced: true, reason: 'the newest data day' });
  });

  it('fills each account’s history: an account imported later and one that churned between runs', () => {
    const { db } = tempDb();
    account(db, 'early', { from: -120, to: 1 });
    account(db, 'churner', { from: -120, to: 1 });
    scoreAll(db, { asOf: D, historyDays: 30 });
    const days = (id: string) =>
      db.prepare<[string], string>('SELECT as_of FROM risk_scores WHERE account_id = ? ORDER BY as_of').pluck().all(id);
    expect(days('early')).toHaveLength(30);

    // Next day: an account created long ago arrives, and 'churner' churned the day before.
    account(db, 'late', { from: -120, to: 1 }, { created_at: '2024-06-01' });
    accountsRepo(db).upsert(
      sampleAccount({
        account_id: 'churner',
        name: 'Co churner',
        created_at: '2025-01-01',
        status: 'churned',
        churned_at: at(1),
      }),
    );
    const next = scoreAll(db, { asOf: at(1), historyDays: 30 });
    expect(days('late')).toEqual(Array.from({ length: 30 }, (_, i) => at(i - 28)));
    // Active until its churn on D+1: its history runs through D, scored before it churned.
    expect(days('churner').at(-1)).toBe(D);
    expect(days('churner')).toHaveLength(30);
    expect(next.historyRows).toBeGreaterThanOrEqual(28);
    // Nothing is missing any more: a third run fills nothing.
    expect(scoreAll(db, { asOf: at(1), historyDays: 30 }).historyRows).toBe(0);
  });

  it('scores a day from data and churn dated on or before it, when the book is fed day by day', () => {
    const { db } = tempDb();
    // Day 1's feed: both accounts active, data through D.
    account(db, 'stays', { from: -120, to: 0 });
    account(db, 'leaves', { from: -120, to: 0 });
    scoreAll(db, { asOf: D });
    const dayOne = bookOnDay(db, D);
    expect(dayOne.map((r) => r.accountId)).toEqual(['leaves', 'stays']);

    // Day 2's feed: a new day of data, and 'leaves' churned on D+1.
    account(db, 'stays', { from: 1, to: 1, users: 1 });
    accountsRepo(db).upsert(
      sampleAccount({
        account_id: 'leaves',
        name: 'Co leaves',
        created_at: '2025-01-01',
        status: 'churned',
        churned_at: at(1),
      }),
    );
    scoreAll(db, { asOf: at(1) });
    expect(bookOnDay(db, at(1)).map((r) => r.accountId)).toEqual(['stays']);

    // Rescoring day 1 now gives exactly day 1's answer: the later data and the churn are not seen.
    db.prepare('DELETE FROM risk_snapshots WHERE as_of = ?').run(D);
    scoreAll(db, { asOf: D });
    expect(bookOnDay(db, D)).toEqual(dayOne);
  });

  it('dates a churn without churned_at by its churned event', () => {
    const { db } = tempDb();
    account(db, 'x', { from: -120, to: 0 }, { status: 'churned', churned_at: null });
    eventOn(db, 'x', 'churned', -5);
    scoreAll(db, { asOf: at(-10) });
    expect(bookOnDay(db, at(-10)).map((r) => r.accountId)).toEqual(['x']);
    scoreAll(db, { asOf: D });
    expect(bookOnDay(db, D)).toEqual([]);
  });
});
