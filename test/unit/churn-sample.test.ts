import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORE_CONFIG } from '../../src/domain/risk/config.ts';
import { dayNumber, dayString } from '../../src/domain/risk/days.ts';
import { churnModelFor } from '../../src/domain/risk/model/churn-model.ts';
import { featureStatements, type MetricAggregate } from '../../src/domain/risk/model/feature-sql.ts';
import { boundsFor, buildFeatures } from '../../src/domain/risk/model/features.ts';
import { buildSamples, DEFAULT_BACKTEST, sampleOfAccounts } from '../../src/domain/risk/model/samples.ts';
import { bundleReader } from '../../src/domain/risk/load.ts';
import { foldIntoEach, MetricAggregator } from '../../src/domain/risk/series-aggregates.ts';
import { healthOnDays } from '../../src/domain/risk/model/past-health.ts';
import { qualityOf } from '../../src/domain/risk/quality.ts';
import { tempDb } from '../support/temp.ts';
import { syntheticBook } from './churn-book.ts';

const FIT_TIMEOUT = 120_000;
const BOOK = { accounts: 400, start: '2025-01-01', days: 240, churn: 'signal', seed: 11 } as const;

describe("the churn model's sample of accounts", () => {
  it('is every account up to the budget, else a fixed hash-chosen set of exactly that many, in id order', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `acc_${String(i).padStart(4, '0')}`);
    expect(sampleOfAccounts(ids, { ...DEFAULT_BACKTEST, maxSampleAccounts: 1000 })).toBeNull();
    const settings = { ...DEFAULT_BACKTEST, maxSampleAccounts: 100 };
    const sample = sampleOfAccounts(ids, settings)!;
    expect(sample).toHaveLength(100);
    expect(new Set(sample).size).toBe(100);
    expect([...sample].sort()).toEqual(sample);
    // Deterministic, whatever order the ids come in.
    expect(sampleOfAccounts([...ids].reverse(), settings)).toEqual(sample);
    // Spread over the book, not its first ids.
    expect(sample).not.toEqual(ids.slice(0, 100));
    expect(sample.filter((id) => id >= 'acc_0500').length).toBeGreaterThan(25);
  });

  it("reads only the sample's accounts, with the same features and health as a whole-book read", () => {
    const { db } = tempDb();
    const { end } = syntheticBook(db, BOOK);
    const day = dayString(dayNumber(end) - 30);
    const all = buildFeatures(db, day);
    const ids = all.ids.filter((_, i) => i % 7 === 3);
    const some = buildFeatures(db, day, { ids });
    expect(some.ids).toEqual(ids);
    for (const name of all.names.filter((n) => !n.endsWith(':vs_peers'))) {
      const a = all.names.indexOf(name);
      const s = some.names.indexOf(name);
      ids.forEach((id, i) => {
        const whole = all.rows[all.ids.indexOf(id)]![a]!;
        expect(s >= 0 ? some.rows[i]![s]! : NaN, `${name} of ${id}`).toEqual(whole);
      });
    }
    const [healthAll] = healthOnDays(db, DEFAULT_SCORE_CONFIG, all.ids, [
      { day: dayNumber(day), ids: new Set(all.ids) },
    ]);
    const [healthSome] = healthOnDays(
      db,
      DEFAULT_SCORE_CONFIG,
      ids,
      [{ day: dayNumber(day), ids: new Set(ids) }],
      true,
    );
    expect(healthSome!.size).toBe(ids.length);
    for (const id of ids) expect(healthSome!.get(id)).toEqual(healthAll!.get(id));
  });

  it("folds every past day's metric aggregates from the health's one read: the numbers of each day's SQL, for a sample or the book", () => {
    const { db } = tempDb();
    const { end } = syntheticBook(db, BOOK);
    // Holes inside series, and a contact's own series of the same metric (summed with the account's).
    db.prepare(
      "DELETE FROM metrics WHERE account_id = 'acc_0003' AND date BETWEEN '2025-05-01' AND '2025-05-20'",
    ).run();
    db.prepare("DELETE FROM metrics WHERE account_id = 'acc_0010' AND date = '2025-06-02'").run();
    db.prepare("INSERT INTO contacts (contact_id, account_id) VALUES ('c_1', 'acc_0003')").run();
    db.prepare(
      "INSERT INTO metrics (account_id, metric, contact_id, date, value) VALUES ('acc_0003', 'active_users', 'c_1', '2025-06-10', 2), ('acc_0003', 'active_users', 'c_1', '2025-06-12', 0)",
    ).run();
    const days = [40, 33, 26, 12].map((back) => dayNumber(end) - back);
    const key = (m: MetricAggregate) => `${m.account_id}/${m.metric}`;
    const sorted = (rows: MetricAggregate[]) => [...rows].sort((a, b) => (key(a) < key(b) ? -1 : 1));
    const s = featureStatements(db);
    const ids = ['acc_0003', 'acc_0010', 'acc_0100', 'acc_0399'];
    const book = featureStatements(db)
      .accountsAll.all()
      .map((a) => a.account_id);
    // First walked, then (the sample) through the series cache a whole-book run keeps.
    const runs = [
      { sample: ids, cached: false },
      { sample: null, cached: false },
      { sample: ids, cached: true },
    ];
    for (const { sample, cached } of runs) {
      if (cached) {
        // Kept from before any day a read of the past days starts on, so the cache serves them.
        const from = dayNumber(BOOK.start) - 400;
        const window = { metricsFrom: from, eventsFrom: from, to: dayNumber(end), liveOnly: false };
        const keep = new MetricAggregator(dayNumber(end));
        db.transaction(() => bundleReader(db).range('', '\uffff', window, keep, { keepFrom: from }))();
        expect(db.prepare('SELECT count(*) FROM series_cache').pluck().get()).toBeGreaterThan(0);
      }
      // Every account of the read active on every day, so each day's SQL has the same accounts.
      const read = sample ?? book;
      const folded = days.map((day) => new MetricAggregator(day));
      const active = days.map((day) => ({ day, ids: new Set(read) }));
      healthOnDays(db, DEFAULT_SCORE_CONFIG, read, active, sample !== null, foldIntoEach(folded));
      days.forEach((day, k) => {
        const bounds = boundsFor(dayString(day));
        const sql = sorted(
          sample ? s.metricsSome.all({ ...bounds, ids: JSON.stringify(ids) }) : s.metricsAll.all(bounds),
        );
        const ours = sorted(folded[k]!.rows());
        expect(ours.map(key)).toEqual(sql.map(key));
        ours.forEach((m, i) => {
          const want = sql[i]!;
          expect({ ...m, s28: 0, s90: 0 }).toEqual({ ...want, s28: 0, s90: 0 });
          expect(m.s28).toBeCloseTo(want.s28, 9);
          expect(m.s90).toBeCloseTo(want.s90, 9);
        });
      });
    }
  });

  it(
    'builds every past day from the same sampled accounts, and the report says the backtest was measured on a sample',
    () => {
      const { db } = tempDb();
      const { end } = syntheticBook(db, BOOK);
      const settings = { ...DEFAULT_BACKTEST, maxSampleAccounts: 150 };
      const set = buildSamples(db, DEFAULT_SCORE_CONFIG, end, settings);
      expect(set.sample).toEqual({ accounts: 150, of: 400 });
      const sample = new Set(
        sampleOfAccounts(
          db
            .prepare<[], { account_id: string }>('SELECT account_id FROM accounts')
            .all()
            .map((a) => a.account_id),
          settings,
        ),
      );
      expect(set.origins.length).toBeGreaterThan(8);
      for (const o of set.origins) for (const id of o.ids) expect(sample.has(id)).toBe(true);
      // An account of the sample active on two past days is in both (the folds and bootstrap stay whole).
      const first = new Set(set.origins[0]!.ids);
      const last = set.origins[set.origins.length - 1]!;
      expect(last.ids.filter((id) => first.has(id)).length).toBeGreaterThan(50);

      const model = churnModelFor(db, { asOf: end, fit: true, settings });
      const q = qualityOf(db, model);
      expect(q.sample).toEqual({ accounts: 150, of: 400 });
      expect(q.backtest_note).toContain('Measured on a sample of 150 accounts of 400');
    },
    FIT_TIMEOUT,
  );

  it(
    'leaves a book within the budget whole: no sample, and no words about one',
    () => {
      const { db } = tempDb();
      const { end } = syntheticBook(db, { ...BOOK, accounts: 200 });
      const model = churnModelFor(db, { asOf: end, fit: true });
      const q = qualityOf(db, model);
      expect(q.sample).toBeNull();
      expect(q.backtest_note).not.toContain('sample of');
      expect(q.samples).toBeGreaterThan(0);
    },
    FIT_TIMEOUT,
  );
});
