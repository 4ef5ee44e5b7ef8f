/**
 * The risk engine against real SQLite: risk items (de-duplication, snooze, automatic resolution,
 * dismissal), deterministic ranking, incremental rescoring, query plans, and the demo book.
 */
import { describe, expect, it } from 'vitest';
import { withEventId } from '../../src/domain/contract/event-id.ts';
import type { Db } from '../../src/domain/db/open.ts';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';
import { contactsRepo } from '../../src/domain/db/repos/contacts.ts';
import { eventsRepo } from '../../src/domain/db/repos/events.ts';
import { metricsRepo } from '../../src/domain/db/repos/metrics.ts';
import { loadDemoBook, demoPatternsFor } from '../../src/domain/demo/index.ts';
import { isHoldout } from '../../src/domain/interventions/holdout.ts';
import { accountRisk } from '../../src/domain/risk/account-view.ts';
import { TRIGGER_IDS } from '../../src/domain/risk/catalog.ts';
import { dayNumber, dayString } from '../../src/domain/risk/days.ts';
import { closeItem, snoozeItem, startItem, type RiskItemRow } from '../../src/domain/risk/items.ts';
import { DAY_IN_RANK_ORDER_SQL } from '../../src/domain/risk/list-index.ts';
import { riskList, riskListRepo } from '../../src/domain/risk/list.ts';
import { bundleReader } from '../../src/domain/risk/load.ts';
import { churnModelFor } from '../../src/domain/risk/model/churn-model.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import { refreshAccountVisibility } from '../../src/domain/risk/visibility.ts';
import { sampleAccount, tempDb } from '../support/temp.ts';
import { rankedQuery } from '../support/ranked-query.ts';

const D = '2026-03-31';
const day = (offset: number) => dayString(dayNumber(D) + offset);

function seedAccount(db: Db, id: string, overrides: Record<string, unknown> = {}, users = 10) {
  accountsRepo(db).upsert(
    sampleAccount({
      account_id: id,
      name: `Account ${id}`,
      created_at: '2025-01-01',
      renewal_date: '2027-01-31',
      ...overrides,
    }),
  );
  contactsRepo(db).upsert({
    contact_id: `${id}_c`,
    account_id: id,
    name: 'Ada King',
    email: null,
    role: null,
    is_champion: true,
    active: true,
    last_seen_at: null,
  });
  const metrics = metricsRepo(db);
  for (let o = -120; o <= 40; o++) {
    metrics.upsert({ account_id: id, metric: 'active_users', contact_id: '', date: day(o), value: users });
    metrics.upsert({ account_id: id, metric: 'seats_used', contact_id: '', date: day(o), value: 15 });
  }
  event(db, id, 'payment_succeeded', -60);
  event(db, id, 'csm_touch', -5);
}

function event(db: Db, accountId: string, type: string, offset: number, value: number | null = null, hour = 12) {
  eventsRepo(db).upsert(
    withEventId({
      event_id: null,
      account_id: accountId,
      occurred_at: `${day(offset)}T${String(hour).padStart(2, '0')}:00:00.000Z`,
      type,
      value,
      contact_id: null,
      detail: null,
    }),
  );
}

const items = (db: Db, accountId: string) =>
  db.prepare<[string], RiskItemRow>('SELECT * FROM risk_items WHERE account_id = ? ORDER BY item_id').all(accountId);
const stays = (db: Db, itemId: number) =>
  db
    .prepare<[number], { status: string; left_at: string | null; reason: string | null }>(
      'SELECT status, left_at, reason FROM risk_item_status_log WHERE item_id = ? ORDER BY rowid',
    )
    .all(itemId);
const snapshot = (db: Db, asOf: string, accountId: string) =>
  db
    .prepare<[string, string], { at_risk: number; actionable: string; trigger_ids: string }>(
      'SELECT at_risk, actionable, trigger_ids FROM risk_snapshots WHERE as_of = ? AND account_id = ?',
    )
    .get(asOf, accountId);

/** Today's first page of the at-risk list in rank order, unfiltered. */
const firstPage = (db: Db, asOf: string) => riskList(db, rankedQuery(asOf, 50)).rows;

describe('risk items', () => {
  it('opens one item per account and trigger, however often the same day is scored', () => {
    const { db } = tempDb();
    seedAccount(db, 'a1');
    for (const o of [-20, -10, -2]) event(db, 'a1', 'payment_failed', o);
    scoreAll(db, { asOf: D });
    scoreAll(db, { asOf: D });
    scoreAll(db, { asOf: D, accountIds: ['a1'] });
    const open = items(db, 'a1');
    expect(open.map((i) => [i.trigger_id, i.status])).toEqual([['payment_failing', 'open']]);
    expect(open[0]).toMatchObject({ first_fired_on: D, last_fired_on: D, priority: 1, tier: 'automated' });
    expect(JSON.parse(open[0]!.facts_json)).toMatchObject({ failures: 3, lastFailedOn: day(-2) });
    expect(open[0]!.is_control).toBe(isHoldout('a1', 'payment_failing', D, 0.1) ? 1 : 0);
    expect(stays(db, open[0]!.item_id)).toEqual([
      { status: 'open', left_at: null, reason: expect.stringMatching(/^Fired: 3 failed payments/) },
    ]);
  });

  it('keeps a snoozed item snoozed through later runs, then shows it again on the date', () => {
    const { db } = tempDb();
    seedAccount(db, 'a1');
    for (const o of [-20, -10, -2]) event(db, 'a1', 'payment_failed', o);
    scoreAll(db, { asOf: D });
    const [item] = items(db, 'a1');
    snoozeItem(db, item!.item_id, { until: day(5), reason: 'Card being replaced', asOf: D, now: `${D}T15:00:00.000Z` });
    refreshAccountVisibility(db, 'a1');
    expect(snapshot(db, D, 'a1')).toMatchObject({ actionable: ',', trigger_ids: ',payment_failing,' });

    for (const o of [1, 2, 3, 4]) scoreAll(db, { asOf: day(o) });
    expect(items(db, 'a1')).toHaveLength(1);
    expect(items(db, 'a1')[0]).toMatchObject({
      status: 'open',
      snoozed_until: day(5),
      snooze_reason: 'Card being replaced',
      last_fired_on: day(4),
    });
    expect(snapshot(db, day(4), 'a1')?.actionable).toBe(',');

    scoreAll(db, { asOf: day(5) });
    expect(items(db, 'a1')).toHaveLength(1);
    expect(snapshot(db, day(5), 'a1')?.actionable).toBe(',payment_failing,');
  });

  it('takes a red account off the ranked list while every open item is snoozed or dismissed, and back on the date (issue 17)', () => {
    const { db } = tempDb();
    seedAccount(db, 'big', { arr: 900_000, renewal_date: day(20) });
    for (let o = -30; o <= 0; o++)
      db.prepare('UPDATE metrics SET value = 1 WHERE account_id = ? AND date = ?').run('big', day(o));
    for (const o of [-20, -10, -2]) event(db, 'big', 'payment_failed', o);
    seedAccount(db, 'small', { arr: 1_000 });
    for (const o of [-20, -10, -2]) event(db, 'small', 'payment_failed', o);
    scoreAll(db, { asOf: D });
    const listed = (asOf: string) => firstPage(db, asOf).map((r) => [r.accountId, r.rank, r.band]);
    expect(listed(D)).toEqual([
      ['big', 1, 'red'],
      ['small', 2, 'green'],
    ]);

    const [first, ...rest] = items(db, 'big');
    expect(rest.length).toBeGreaterThan(0);
    const now = `${D}T15:00:00.000Z`;
    closeItem(db, first!.item_id, { status: 'dismissed', reason: 'Card already replaced', asOf: D, now });
    for (const item of rest.slice(1))
      snoozeItem(db, item.item_id, { until: day(3), reason: 'Waiting for budget', asOf: D, now });
    refreshAccountVisibility(db, 'big');
    // One item still open: the account keeps its rank.
    expect(listed(D)[0]).toEqual(['big', 1, 'red']);

    snoozeItem(db, rest[0]!.item_id, { until: day(3), reason: 'Waiting for budget', asOf: D, now });
    refreshAccountVisibility(db, 'big');
    expect(listed(D)).toEqual([['small', 1, 'green']]);

    // Later runs keep it off the list until the snooze ends, then rank it again.
    scoreAll(db, { asOf: day(2) });
    expect(listed(day(2))).toEqual([['small', 1, 'green']]);
    scoreAll(db, { asOf: day(3) });
    expect(listed(day(3))[0]?.slice(0, 2)).toEqual(['big', 1]);
  });

  it('resolves an item automatically when the condition clears, with the reason and the time in each status', () => {
    const { db } = tempDb();
    seedAccount(db, 'a1');
    for (const o of [-20, -10, -2]) event(db, 'a1', 'payment_failed', o);
    scoreAll(db, { asOf: D, now: `${D}T06:00:00.000Z` });
    const [item] = items(db, 'a1');
    startItem(db, item!.item_id, `${day(1)}T09:00:00.000Z`);
    event(db, 'a1', 'payment_succeeded', 2);
    scoreAll(db, { asOf: day(2), now: `${day(2)}T06:00:00.000Z` });
    const [after] = items(db, 'a1');
    expect(after).toMatchObject({ status: 'resolved', closed_on: day(2), condition_cleared_on: day(2) });
    expect(after!.close_reason).toBe(
      `Resolved automatically on ${day(2)}: the condition cleared. A payment succeeded on ${day(2)}, after the latest failure.`,
    );
    expect(stays(db, item!.item_id).map((s) => s.status)).toEqual(['open', 'in_progress', 'resolved']);
    expect(stays(db, item!.item_id).map((s) => s.left_at)).toEqual([
      `${day(1)}T09:00:00.000Z`,
      `${day(2)}T06:00:00.000Z`,
      null,
    ]);
  });

  it('does not re-open a dismissed item while its condition holds, and opens a new one after it clears and returns', () => {
    const { db } = tempDb();
    seedAccount(db, 'a1');
    for (const o of [-20, -10, -2]) event(db, 'a1', 'payment_failed', o);
    scoreAll(db, { asOf: D });
    const [first] = items(db, 'a1');
    closeItem(db, first!.item_id, {
      status: 'dismissed',
      reason: 'Known; billing is on it',
      asOf: D,
      now: `${D}T10:00:00.000Z`,
    });
    scoreAll(db, { asOf: day(1) });
    expect(items(db, 'a1')).toHaveLength(1);
    expect(items(db, 'a1')[0]).toMatchObject({
      status: 'dismissed',
      close_reason: 'Known; billing is on it',
      condition_cleared_on: null,
      last_fired_on: day(1),
    });

    event(db, 'a1', 'payment_succeeded', 2);
    scoreAll(db, { asOf: day(2) });
    expect(items(db, 'a1')[0]?.condition_cleared_on).toBe(day(2));
    for (const o of [3, 4, 5]) event(db, 'a1', 'payment_failed', o);
    scoreAll(db, { asOf: day(5) });
    expect(items(db, 'a1').map((i) => i.status)).toEqual(['dismissed', 'open']);
  });

  it('never rewrites items for a day before the last synced one', () => {
    const { db } = tempDb();
    seedAccount(db, 'a1');
    for (const o of [-20, -10, -2]) event(db, 'a1', 'payment_failed', o);
    scoreAll(db, { asOf: D });
    const result = scoreAll(db, { asOf: day(-60) });
    expect(result.items.synced).toBe(false);
    expect(items(db, 'a1').map((i) => i.status)).toEqual(['open']);
  });

  it('refuses to snooze without a reason or into the past, and to act on a closed item', () => {
    const { db } = tempDb();
    seedAccount(db, 'a1');
    for (const o of [-20, -10, -2]) event(db, 'a1', 'payment_failed', o);
    scoreAll(db, { asOf: D });
    const [item] = items(db, 'a1');
    expect(() => snoozeItem(db, item!.item_id, { until: day(3), reason: '  ', asOf: D, now: D })).toThrow(
      'Say why the item is snoozed, so whoever sees it next knows.',
    );
    expect(() => snoozeItem(db, item!.item_id, { until: D, reason: 'x', asOf: D, now: D })).toThrow(
      `Snooze until a date after ${D}, not ${D}.`,
    );
    closeItem(db, item!.item_id, { status: 'resolved', reason: null, asOf: D, now: D });
    expect(() => startItem(db, item!.item_id, D)).toThrow(`Risk item ${item!.item_id} is already resolved.`);
  });

  it('bounds a snooze: at most 90 days ahead, never past the renewal, and a reason no longer than a note', () => {
    // QA: --until 9999-12-31 and a 100,000-character reason were both accepted.
    const { db } = tempDb();
    seedAccount(db, 'a1', { renewal_date: day(30) });
    for (const o of [-20, -10, -2]) event(db, 'a1', 'payment_failed', o);
    scoreAll(db, { asOf: D });
    const [item] = items(db, 'a1');
    const snooze = (until: string, reason = 'Waiting for budget') =>
      snoozeItem(db, item!.item_id, { until, reason, asOf: D, now: `${D}T15:00:00.000Z` });
    expect(() => snooze('9999-12-31')).toThrow(
      `Snooze for at most 90 days, until ${day(90)} at the latest, so the account comes back to Today in time.`,
    );
    expect(() => snooze(day(31))).toThrow(
      `Snooze until ${day(30)} at the latest: the account renews then, and a snooze must not hide it past its renewal.`,
    );
    expect(() => snooze(day(10), 'x'.repeat(100_000))).toThrow(
      'Keep the snooze reason to 5,000 characters (it has 100,000); put longer context in a note.',
    );
    expect(items(db, 'a1')[0]!.snoozed_until).toBeNull();
    expect(snooze(day(30)).snoozed_until).toBe(day(30));

    // No renewal ahead: 90 days is the bound.
    accountsRepo(db).upsert(
      sampleAccount({ account_id: 'a1', name: 'Account a1', created_at: '2025-01-01', renewal_date: null }),
    );
    expect(snooze(day(90)).snoozed_until).toBe(day(90));
  });
});

describe('ranking', () => {
  it('ranks by expected ARR at risk and breaks ties by ARR, score and id, the same way every time', () => {
    const { db } = tempDb();
    // The same story on four accounts: equal risk; ARR decides, then the id.
    for (const [id, arr] of [
      ['b', 50_000],
      ['a', 50_000],
      ['c', 90_000],
      ['d', 10_000],
    ] as const) {
      seedAccount(db, id, { arr }, 10);
      for (const o of [-20, -10, -2]) event(db, id, 'payment_failed', o);
    }
    scoreAll(db, { asOf: D });
    const query = rankedQuery(D, 10);
    const first = riskList(db, query).rows.map((r) => [r.rank, r.accountId]);
    expect(first).toEqual([
      [1, 'c'],
      [2, 'a'],
      [3, 'b'],
      [4, 'd'],
    ]);
    scoreAll(db, { asOf: D });
    expect(riskList(db, query).rows.map((r) => [r.rank, r.accountId])).toEqual(first);
    // Rank is the position in the whole list, whatever the filter or sort.
    expect(riskList(db, { ...query, search: 'Account b' }).rows.map((r) => r.rank)).toEqual([3]);
    expect(riskList(db, { ...query, sort: 'arr', direction: 'asc' }).rows.map((r) => r.accountId)).toEqual([
      'd',
      'a',
      'b',
      'c',
    ]);
  });

  it('converts ARR to USD for ranking and keeps it in the account currency for display', () => {
    const { db } = tempDb();
    seedAccount(db, 'usd', { arr: 100_000, currency: 'USD' });
    seedAccount(db, 'eur', { arr: 100_000, currency: 'EUR' });
    for (const id of ['usd', 'eur']) for (const o of [-20, -10, -2]) event(db, id, 'payment_failed', o);
    scoreAll(db, { asOf: D });
    const rows = firstPage(db, D);
    expect(rows.map((r) => r.accountId)).toEqual(['eur', 'usd']);
    expect(rows[0]).toMatchObject({ arr: 100_000, currency: 'EUR' });
    expect(rows[0]!.arrUsd).toBeCloseTo(108_700, 0);
  });
});

describe('incremental rescoring', () => {
  it('gives the changed accounts the same result as a whole-book run', () => {
    const { db } = tempDb();
    seedAccount(db, 'a1');
    seedAccount(db, 'a2');
    scoreAll(db, { asOf: D });
    const metrics = metricsRepo(db);
    for (let o = -13; o <= 0; o++)
      metrics.upsert({ account_id: 'a1', metric: 'active_users', contact_id: '', date: day(o), value: 3 });
    const partial = scoreAll(db, { asOf: D, accountIds: ['a1'] });
    expect(partial).toMatchObject({ scope: 'accounts', scored: 1 });
    const read = () =>
      db
        .prepare(
          'SELECT account_id, score, band, trigger_ids, reasons_json, ear_usd FROM risk_snapshots WHERE as_of = ? ORDER BY account_id',
        )
        .all(D);
    const afterPartial = read();
    expect(items(db, 'a1').map((i) => i.trigger_id)).toEqual(['usage_drop']);
    scoreAll(db, { asOf: D });
    expect(read()).toEqual(afterPartial);
  });

  it('gives the same results whatever window a run reads (history backfill and calibration read more)', () => {
    const { db } = tempDb();
    loadDemoBook(db, { accounts: 70, seed: 3, asOf: D });
    // The same churn model in both runs (the second refits it from the same data): a model can move
    // an account's band and reasons (model/agreement.ts), which is not what this test is about.
    churnModelFor(db, { asOf: D, fit: true });
    scoreAll(db, { asOf: D });
    const read = () =>
      db
        .prepare(
          'SELECT account_id, score, trigger_ids, reasons_json, top_reason, last_touch_on FROM risk_snapshots WHERE as_of = ? ORDER BY account_id',
        )
        .all(D);
    const itemsNow = () => db.prepare('SELECT item_id, evidence, facts_json FROM risk_items ORDER BY item_id').all();
    const first = read();
    const firstItems = itemsNow();
    const wide = scoreAll(db, { asOf: D, historyDays: 90, calibrate: true });
    expect(wide.items).toMatchObject({ opened: 0, updated: 0, resolved: 0 });
    expect(read()).toEqual(first);
    expect(itemsNow()).toEqual(firstItems);
  });

  it('fills daily history on request, only for the days not yet scored', () => {
    const { db } = tempDb();
    seedAccount(db, 'a1');
    const first = scoreAll(db, { asOf: D, historyDays: 30 });
    expect(first.historyRows).toBe(28);
    const rows = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM risk_scores WHERE account_id = 'a1'").get()!
      .n;
    expect(rows).toBe(30);
    expect(scoreAll(db, { asOf: D, historyDays: 30 }).historyRows).toBe(0);
  });
});

describe('query plans of the hot reads', () => {
  const plan = (db: Db, sql: string, params: Record<string, unknown>) =>
    db
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all(params)
      .map((r) => (r as { detail: string }).detail)
      .join('\n');

  const METRIC_WINDOW = {
    lo: 'a',
    hi: 'b',
    liveOnly: 1,
    churnedSince: '2026-04-01',
    metricsFrom: '2026-01-01',
    metricsTo: '2026-03-31',
  };

  it('reads each metric series by a primary-key range inside the window', () => {
    const { db } = tempDb();
    const detail = plan(db, bundleReader(db).sql.metricsRange, METRIC_WINDOW);
    expect(detail).toMatch(
      /SEARCH x USING PRIMARY KEY \(account_id=\? AND metric=\? AND contact_id=\? AND date>\? AND date<\?\)/,
    );
    expect(detail).not.toMatch(/SCAN metrics/);
  });

  it('folds every series of a range in key order, without sorting', () => {
    const { db } = tempDb();
    const detail = plan(db, bundleReader(db).sql.everySeries, METRIC_WINDOW);
    expect(detail).toMatch(/SEARCH x USING PRIMARY KEY \(account_id=\?\)/);
    expect(detail).not.toMatch(/TEMP B-TREE|SCAN metrics/);
    // Each series' first and last day: one seek each into its key range, not an aggregate per row.
    expect(detail).toMatch(/SEARCH y USING PRIMARY KEY \(account_id=\? AND metric=\? AND contact_id=\? AND date>\?\)/);
    expect(detail).toMatch(/SEARCH y USING PRIMARY KEY \(account_id=\? AND metric=\? AND contact_id=\? AND date<\?\)/);
  });

  it('reads events by account and type inside the window', () => {
    const { db } = tempDb();
    const detail = plan(db, bundleReader(db).sql.eventsRange, {
      lo: 'a',
      hi: 'b',
      liveOnly: 1,
      churnedSince: '2026-04-01',
      eventsFrom: '2026-01-01',
      eventsTo: '2026-04-01',
    });
    expect(detail).toMatch(
      /SEARCH e USING INDEX events_account_type_time \(account_id=\? AND type=\? AND occurred_at>\? AND occurred_at<\?\)/,
    );
  });

  it('ranks the list by walking risk_snapshots_rank, without sorting, and reads a page by key', () => {
    const { db } = tempDb();
    const day = db
      .prepare(`EXPLAIN QUERY PLAN ${DAY_IN_RANK_ORDER_SQL}`)
      .all(D)
      .map((r) => (r as { detail: string }).detail)
      .join('\n');
    expect(day).toMatch(/SEARCH s USING INDEX risk_snapshots_rank \(as_of=\? AND at_risk=\?\)/);
    expect(day).not.toMatch(/TEMP B-TREE/);
    const page = plan(db, riskListRepo(db).rowsFor.source, { ids: '["a","b"]', asOf: D });
    expect(page).toMatch(/SEARCH s USING INDEX \S+ \(as_of=\? AND account_id=\?\)/);
    expect(page).not.toMatch(/SCAN (s|a)\b/);
  });
});

describe('the demo book', () => {
  it('fires every trigger on at least one account, none on healthy accounts, and ranks big renewals first', () => {
    const { db } = tempDb();
    const accounts = 150;
    loadDemoBook(db, { accounts, seed: 42, asOf: D });
    const result = scoreAll(db, { asOf: D });
    expect(result.scored).toBeGreaterThan(100);

    const rows = db
      .prepare<[string], { account_id: string; trigger_ids: string }>(
        'SELECT account_id, trigger_ids FROM risk_snapshots WHERE as_of = ?',
      )
      .all(D);
    const fired = new Set<string>();
    let healthyFiring = 0;
    let plantedFound = 0;
    let planted = 0;
    for (const row of rows) {
      const ids = row.trigger_ids.split(',').filter(Boolean);
      ids.forEach((id) => fired.add(id));
      const patterns = demoPatternsFor(row.account_id, 42, accounts);
      if (patterns.length === 0 && ids.length > 0) healthyFiring++;
      for (const p of patterns) {
        planted++;
        if (ids.includes(p)) plantedFound++;
      }
    }
    expect([...TRIGGER_IDS].filter((id) => !fired.has(id))).toEqual([]);
    expect(healthyFiring).toBe(0);
    expect(plantedFound / planted).toBeGreaterThan(0.9);

    const top = firstPage(db, D).slice(0, 3);
    expect(top[0]?.triggers.map((t) => t.id)).toContain('renewal_at_risk');
    expect(top[0]?.band).not.toBe('green');
    expect(top[0]?.daysToRenewal).toBeLessThanOrEqual(90);

    // The account page explains the same score the list shows.
    const view = accountRisk(db, top[0]!.accountId, D, `${D}T12:00:00.000Z`);
    expect(view.score).toBe(top[0]!.score);
    expect(view.rank).toBe(1);
    expect(view.components.every((c) => c.explanation.length > 0)).toBe(true);
    expect(view.items.map((i) => i.triggerId).sort()).toEqual(top[0]!.triggers.map((t) => t.id).sort());
  });
});
