// A rescore of a few accounts (an events or small metrics file into a scored book, issue 16) reads
// their series once, through the series cache, for both the engine and the churn model's features
// (score-all.ts, load.ts `listed`, feature-sql.ts withAccountAggregates): the accounts' snapshots
// must be exactly those a whole-book run gives on the same data, and the handed-over aggregates
// must never answer a whole-book read.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/index.ts';
import type { AccountBundle, Series } from '../../src/domain/risk/bundle.ts';
import { dayNumber } from '../../src/domain/risk/days.ts';
import { bundleReader } from '../../src/domain/risk/load.ts';
import { churnModelFor } from '../../src/domain/risk/model/churn-model.ts';
import { featureStatements, withAccountAggregates } from '../../src/domain/risk/model/feature-sql.ts';
import { boundsFor, buildFeatures } from '../../src/domain/risk/model/features.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import { MetricAggregator } from '../../src/domain/risk/series-aggregates.ts';
import { tempDb } from '../support/temp.ts';

const D = '2026-06-30';

function book(): { db: Db; ids: string[] } {
  const { db } = tempDb();
  // 400 accounts: enough churned customers for the churn model to learn (its minimum counts accounts).
  loadDemoBook(db, { accounts: 400, seed: 11, asOf: D });
  const ids = db.prepare<[], string>('SELECT account_id FROM accounts ORDER BY account_id').pluck().all();
  // The same fractions for every account: sums made in another order differ in their last digits,
  // and a feature nearly equal across the book is scaled by its tiny spread, so P(churn) shows them.
  const insert = db.prepare('INSERT INTO metrics (account_id, metric, contact_id, date, value) VALUES (?, ?, ?, ?, ?)');
  for (const id of ids)
    for (let d = 1; d <= 28; d++)
      insert.run(id, 'exports', '', `2026-06-${String(d).padStart(2, '0')}`, 0.1 * d + 1 / 3);
  return { db, ids };
}

const snapshots = (db: Db, ids: readonly string[]) =>
  db
    .prepare<[string, string], Record<string, unknown>>(
      `SELECT * FROM risk_snapshots WHERE as_of = ? AND account_id IN (SELECT value FROM json_each(?)) ORDER BY account_id`,
    )
    .all(D, JSON.stringify(ids));

/** A bundle with its series' values as plain arrays (the cache hands typed arrays on). */
const plainSeries = (bundle: AccountBundle) => {
  const plain = (series: Map<string, Series>) =>
    new Map([...series].map(([k, v]) => [k, { start: v.start, values: Array.from(v.values) }]));
  return { ...bundle, metrics: plain(bundle.metrics), contactLogins: plain(bundle.contactLogins) };
};

describe('a rescore of a few accounts', () => {
  it('gives them exactly the snapshots a whole-book run gives on the same data', () => {
    const { db, ids } = book();
    // Learned, so P(churn) comes from the features (the default curve would not read them).
    expect(churnModelFor(db, { asOf: D, fit: true }).method).toBe('learned');
    scoreAll(db, { asOf: D });
    const few = ids.filter((_, i) => i % 20 === 3);
    const whole = snapshots(db, few);
    expect(whole.length).toBeGreaterThan(2);
    const result = scoreAll(db, { asOf: D, accountIds: few });
    expect(result.scope).toBe('accounts');
    expect(snapshots(db, few)).toEqual(whole);
  });

  it('reads their series through the series cache, as the engine reads them without it', () => {
    const { db, ids } = book();
    scoreAll(db, { asOf: D });
    const few = ids.filter((_, i) => i % 9 === 1);
    const to = dayNumber(D);
    const window = { metricsFrom: to - 60, eventsFrom: to - 200, to };
    const reader = bundleReader(db);
    const plan = db
      .prepare<Record<string, string | number>, { detail: string }>(
        `EXPLAIN QUERY PLAN ${reader.sql.listedCachedSeries}`,
      )
      .all({ ids: '[]', metricsFrom: '', metricsTo: '', liveOnly: 1, churnedSince: '' })
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(/SEARCH c USING (INDEX|PRIMARY KEY)/);
    expect(plan).not.toMatch(/SCAN (a|c)\b/);
    const aggregator = new MetricAggregator(to);
    const cached = reader.listed(few, window, aggregator);
    expect(cached.map((b) => b.account.account_id)).toEqual(few);
    expect(cached.map(plainSeries)).toEqual(reader.listed(few, window).map(plainSeries));
    // Served by the cache: a cache that said otherwise would be what the read gives.
    db.prepare("UPDATE series_cache SET series = '[]', vals = x'' WHERE account_id = ?").run(few[0]!);
    expect(reader.listed(few, window, new MetricAggregator(to))[0]!.metrics.size).toBe(0);
    expect(reader.listed(few, window)[0]!.metrics.size).toBeGreaterThan(0);
    const folded = aggregator.rows();
    const sql = featureStatements(db).metricsSome.all({ ...boundsFor(D), ids: JSON.stringify(few) });
    expect(folded.length).toBe(sql.length);
  });

  it('hands its aggregates to those accounts’ own reads only, never to a whole-book read', () => {
    const { db, ids } = book();
    const [mine, other] = [ids[4]!, ids[5]!];
    const s = featureStatements(db);
    const bounds = boundsFor(D);
    const own = s.metricsOne.all({ ...bounds, id: mine });
    const marked = own.map((r) => ({ ...r, s28: r.s28 + 1000 }));
    const events = s.eventsOne.all({ ...bounds, id: mine });
    const others = s.metricsOne.all({ ...bounds, id: other });
    const level = (frame: ReturnType<typeof buildFeatures>) => frame.rows[0]![frame.names.indexOf('m:exports:level28')];
    const plain = level(buildFeatures(db, D, mine));
    expect(own.length).toBeGreaterThan(2);
    expect(events.length).toBeGreaterThan(0);
    withAccountAggregates(db, D, [mine], marked, () => {
      expect(s.metricsOne.all({ ...bounds, id: mine })).toEqual(marked);
      expect(s.eventsOne.all({ ...bounds, id: mine })).toEqual(events);
      expect(s.metricsOne.all({ ...bounds, id: other })).toEqual(others);
      expect(s.metricsAll.all(bounds).find((r) => r.account_id === mine && r.metric === own[0]!.metric)).toEqual(
        own[0],
      );
      // Another day reads its own SQL.
      expect(s.metricsOne.all({ ...boundsFor('2026-06-29'), id: mine })[0]?.s28).not.toBe(marked[0]!.s28);
      expect(level(buildFeatures(db, D, mine))).toBeGreaterThan(plain! + 1);
    });
    expect(s.metricsOne.all({ ...bounds, id: mine })).toEqual(own);
  });
});
