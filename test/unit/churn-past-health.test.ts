import { describe, expect, it } from 'vitest';
import { loadDemoBook } from '../../src/domain/demo/index.ts';
import { DEFAULT_SCORE_CONFIG, effectiveTriggers } from '../../src/domain/risk/config.ts';
import { dayNumber, dayString } from '../../src/domain/risk/days.ts';
import { bundleReader } from '../../src/domain/risk/load.ts';
import { lookbacks } from '../../src/domain/risk/score-all.ts';
import { featureStatements, type EventAggregate } from '../../src/domain/risk/model/feature-sql.ts';
import { activeOn, boundsFor } from '../../src/domain/risk/model/features.ts';
import { bundleAsOf, healthOnDays } from '../../src/domain/risk/model/past-health.ts';
import { eventAggregatesOn, eventGroupsFor } from '../../src/domain/risk/model/past-events.ts';
import { tempDb } from '../support/temp.ts';

const AS_OF = '2026-03-31';
const DAYS = [70, 49, 21, 7].map((back) => dayNumber(AS_OF) - back);

function demoBook() {
  const { db } = tempDb();
  loadDemoBook(db, { accounts: 60, asOf: AS_OF });
  const accounts = featureStatements(db).accountsAll.all();
  const ids = accounts.map((a) => a.account_id);
  const active = DAYS.map((day) => ({
    day,
    ids: new Set(accounts.filter((a) => activeOn(a, day)).map((a) => a.account_id)),
  }));
  return { db, ids, active };
}

describe("the fit's past days from one read", () => {
  it("cuts each past day's bundle from one wide read exactly as a read of that day's own window returns it", () => {
    const { db, ids } = demoBook();
    const reach = lookbacks(DEFAULT_SCORE_CONFIG, effectiveTriggers(DEFAULT_SCORE_CONFIG));
    const reader = bundleReader(db);
    const first = Math.min(...DAYS);
    const wide = reader.listed(ids, {
      metricsFrom: first - reach.metrics,
      eventsFrom: first - reach.events,
      to: Math.max(...DAYS),
      liveOnly: false,
    });
    for (const day of DAYS) {
      const window = { metricsFrom: day - reach.metrics, eventsFrom: day - reach.events, to: day };
      const own = reader.listed(ids, { ...window, liveOnly: false });
      expect(wide.map((b) => bundleAsOf(b, window))).toEqual(own);
    }
    // The wide read holds rows the earliest day must not see (otherwise the cut is not tested).
    expect(wide.some((b) => [...b.metrics.values()].some((s) => s.end > first))).toBe(true);
  });

  it("scores every past day as a read of that day alone would, for a sample read by id or the book's range", () => {
    const { db, ids, active } = demoBook();
    for (const sampled of [true, false]) {
      const together = healthOnDays(db, DEFAULT_SCORE_CONFIG, ids, active, sampled);
      active.forEach((day, k) => {
        const alone = healthOnDays(db, DEFAULT_SCORE_CONFIG, ids, [day], sampled)[0]!;
        expect(together[k]!.size).toBe(day.ids.size);
        expect(together[k]).toEqual(alone);
      });
    }
  });

  it('lets nothing dated after a past day change that day: a row after it changes its health and events nothing', () => {
    const { db, ids, active } = demoBook();
    const before = healthOnDays(db, DEFAULT_SCORE_CONFIG, ids, active);
    const eventsBefore = eventGroupsFor(db, DAYS, null);
    const first = active[0]!;
    const id = [...first.ids].sort()[3]!;
    const after = dayString(first.day + 1);
    // A collapse of usage, failed payments and a detractor the day after the first past day.
    db.prepare('UPDATE metrics SET value = 0 WHERE account_id = ? AND date > ?').run(id, after);
    const insert = db.prepare(
      'INSERT INTO events (event_id, account_id, occurred_at, type, value) VALUES (?, ?, ?, ?, ?)',
    );
    for (let i = 0; i < 4; i++) insert.run(`late-${i}`, id, `${after}T0${i}:00:00.000Z`, 'payment_failed', null);
    insert.run('late-nps', id, `${after}T09:00:00.000Z`, 'nps_response', 0);
    const changed = healthOnDays(db, DEFAULT_SCORE_CONFIG, ids, active);
    expect(changed[0]!.get(id)).toEqual(before[0]!.get(id));
    expect(changed[0]).toEqual(before[0]);
    const eventsAfter = eventGroupsFor(db, DAYS, null);
    expect(eventAggregatesOn(eventsAfter, first.day)).toEqual(eventAggregatesOn(eventsBefore, first.day));
    // The later past days do see them (the rows are inside the one read).
    expect(changed[1]!.get(id)).not.toEqual(before[1]!.get(id));
    expect(eventAggregatesOn(eventsAfter, DAYS[1]!)).not.toEqual(eventAggregatesOn(eventsBefore, DAYS[1]!));
  });

  it("folds each past day's event aggregates from one walk: the grouped SQL's rows, in its order, for a sample or the book", () => {
    const { db, ids } = demoBook();
    // Fractional values, a missing value, and events on each bound's very instant.
    const insert = db.prepare(
      'INSERT INTO events (event_id, account_id, occurred_at, type, value) VALUES (?, ?, ?, ?, ?)',
    );
    const b = boundsFor(dayString(DAYS[2]!));
    const id = ids[5]!;
    [b.eventFrom180, b.eventFrom90, b.eventFrom28, b.eventTo].forEach((at, i) =>
      insert.run(`edge-${i}`, id, at, 'custom_signal', 0.1 * (i + 1)),
    );
    insert.run('edge-null', id, b.eventFrom28, 'custom_signal', null);
    insert.run('edge-frac', id, b.eventFrom28, 'custom_signal', 1 / 3);
    const s = featureStatements(db);
    const sample = ids.filter((_, i) => i % 3 !== 1);
    for (const some of [sample, null]) {
      const groups = eventGroupsFor(db, DAYS, some);
      for (const day of DAYS) {
        const bounds = boundsFor(dayString(day));
        const sql: EventAggregate[] = some
          ? s.eventsSome.all({ ...bounds, ids: JSON.stringify(some) })
          : [...s.eventsAll.iterate(bounds)];
        expect(sql.length).toBeGreaterThan(0);
        expect(eventAggregatesOn(groups, day)).toEqual(sql);
      }
    }
  });

  it("reads the sample's events by index seeks per account (no scan of the events table)", () => {
    const { db } = tempDb();
    const plan = db
      .prepare<{ from: string; to: string; ids: string }, { detail: string }>(
        `EXPLAIN QUERY PLAN ${featureStatements(db).eventRowsSome.source}`,
      )
      .all({ from: '2025-01-01', to: '2025-06-01', ids: '["a"]' })
      .map((r) => r.detail)
      .join(' | ');
    expect(plan).toMatch(/SEARCH events USING INDEX events_account_\w+ \(account_id=\?/);
    expect(plan).not.toMatch(/SCAN events/);
  });
});
