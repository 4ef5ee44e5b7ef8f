// A whole-book scoring run folds the churn model's event aggregates of the engine's types from the
// events it reads anyway (src/domain/risk/event-aggregates.ts), and the features read only the other
// types from the table; the rows must be the model's own SQL's (model/feature-sql.ts), bit for bit
// and in the same order, or the features (and the book part a rescore reuses) would depend on the path.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/index.ts';
import { dayNumber } from '../../src/domain/risk/days.ts';
import { compareBinary, EventAggregator } from '../../src/domain/risk/event-aggregates.ts';
import { ENGINE_EVENT_TYPES } from '../../src/domain/risk/load-sql.ts';
import { bundleReader } from '../../src/domain/risk/load.ts';
import { churnModelFor, churnScorer } from '../../src/domain/risk/model/churn-model.ts';
import { featureStatements, withMetricAggregates } from '../../src/domain/risk/model/feature-sql.ts';
import { boundsFor, buildFeatureColumns } from '../../src/domain/risk/model/features.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import { MetricAggregator } from '../../src/domain/risk/series-aggregates.ts';
import { tempDb } from '../support/temp.ts';

const D = '2026-03-31';

function book(edges = true): Db {
  const { db } = tempDb();
  // 400 accounts: enough churned customers for the churn model to learn (its minimum counts accounts).
  loadDemoBook(db, { accounts: 400, seed: 5, asOf: D });
  const ids = db.prepare<[], string>('SELECT account_id FROM accounts ORDER BY account_id LIMIT 3').pluck().all();
  const insert = db.prepare(
    'INSERT INTO events (event_id, account_id, occurred_at, type, value) VALUES (?, ?, ?, ?, ?)',
  );
  let n = 0;
  const add = (account: string, at: string, type: string, value: number | null) =>
    insert.run(`x${n++}`, account, at, type, value);
  if (!edges) {
    // A type of the book's own beside the engine's, as a learned model can read it.
    for (const [i, account] of ids.entries()) add(account, `2026-03-0${i + 1}T10:00:00.000Z`, 'webinar', i);
    return db;
  }
  // Values whose plain sum differs from a compensated one, on an engine type and on others; the
  // edges of the 180, 90 and 28 days; the same instant twice; no value; types that sort apart in
  // UTF-16 and in UTF-8 (a character above U+FFFF against U+E000), beside the engine's types.
  const values = [0.1, 0.2, 0.3, 1e16, 1, -1e16, 0.7, 3.3, null, 2.5e-8];
  for (const [k, type] of ['payment_succeeded', 'webinar', 'zz\u{1F600}', 'zz\uE000', 'Ü-upgrade'].entries()) {
    const account = ids[k % ids.length] as string;
    values.forEach((value, i) => add(account, `2026-03-${String(10 + i).padStart(2, '0')}T08:00:00.000Z`, type, value));
    add(account, '2026-03-15T08:00:00.000Z', type, 0.1);
    add(account, '2025-10-03T00:00:00.000Z', type, 4); // the first instant of the 180 days
    add(account, '2025-10-02T23:59:59.999Z', type, 8); // the last one before them
    add(account, '2025-12-31T23:59:59.999Z', type, 16); // just before the 90 days
    add(account, '2026-01-01T00:00:00.000Z', type, 32); // their first instant
    add(account, '2026-03-04T00:00:00.000Z', type, 64); // the first of the 28 days
    add(account, '2026-03-31T23:59:59.999Z', type, 128); // the last instant of the day
    add(account, '2026-04-01T00:00:00.000Z', type, 256); // the next day: never read
  }
  add(ids[0] as string, '2026-03-20T00:00:00.000Z', 'churned', null);
  return db;
}

/** The fold of every account's events, as the whole-book run makes it. */
function fold(db: Db): EventAggregator {
  const day = dayNumber(D);
  const aggregator = new EventAggregator(day, ENGINE_EVENT_TYPES);
  const window = { metricsFrom: day - 30, eventsFrom: aggregator.from, to: day };
  for (const bundle of bundleReader(db).range('', '\uffff', window)) aggregator.add(bundle);
  return aggregator;
}

describe('the churn model event aggregates a scoring run folds while reading', () => {
  it('are the rows the model’s SQL gives, in its order, bit for bit', () => {
    const db = book();
    const bounds = boundsFor(D);
    const bySql = [...featureStatements(db).eventsAll.iterate(bounds)];
    const folded = withMetricAggregates(
      db,
      D,
      [],
      () => [...featureStatements(db).eventsAll.iterate(bounds)],
      fold(db),
    );
    expect(bySql.length).toBeGreaterThan(300);
    expect(folded).toEqual(bySql);
    // The cases above are there: a mean a plain sum gets wrong, and a type sorted by bytes.
    const mean = bySql.find((r) => r.type === 'payment_succeeded' && r.n180 >= 15)!;
    expect(mean.value90).not.toBe(0);
    expect(bySql.some((r) => r.type === 'webinar')).toBe(true);
    expect(bySql.some((r) => r.type === 'churned')).toBe(false);
  });

  it('sort text as SQLite does (UTF-8 bytes)', () => {
    const words = ['b', 'a', 'zz\u{1F600}', 'zz\uE000', 'Ü', 'ab', 'a\u0000', ''];
    const { db } = tempDb();
    const bySqlite = db
      .prepare<[string], string>('SELECT value FROM json_each(?) ORDER BY value')
      .pluck()
      .all(JSON.stringify(words));
    expect([...words].sort(compareBinary)).toEqual(bySqlite);
  });

  it('build the same features, and the same stored P(churn), as the table read', () => {
    const db = book(false);
    const plain = buildFeatureColumns(db, D);
    const handed = withMetricAggregates(db, D, featureStatements(db).metricsAll.all(boundsFor(D)), () =>
      buildFeatureColumns(db, D),
    );
    const folded = withMetricAggregates(
      db,
      D,
      featureStatements(db).metricsAll.all(boundsFor(D)),
      () => buildFeatureColumns(db, D),
      fold(db),
    );
    expect(folded).toEqual(handed);
    expect(folded.names).toEqual(plain.names);
    expect(folded.ids).toEqual(plain.ids);

    // A learned model reads the features: the run (its folds) and the tables give every account's P(churn).
    const model = churnModelFor(db, { asOf: D, fit: true });
    expect(model.method).toBe('learned');
    scoreAll(db, { asOf: D });
    const stored = db
      .prepare<
        [string],
        {
          account_id: string;
          p_churn: number;
          score: number | null;
          stale: number;
          trigger_ids: string;
          components: string;
        }
      >(
        `SELECT s.account_id, s.p_churn, s.score, s.stale, s.trigger_ids, c.components FROM risk_snapshots s
         JOIN risk_scores c ON c.account_id = s.account_id AND c.as_of = s.as_of WHERE s.as_of = ? ORDER BY s.account_id`,
      )
      .all(D);
    expect(stored.length).toBeGreaterThan(40);
    // The path before the events' fold: the run's metric fold, every event type from the table.
    const day = dayNumber(D);
    const metrics = new MetricAggregator(day);
    bundleReader(db).range('', '\uffff', { metricsFrom: day - 30, eventsFrom: day - 30, to: day }, metrics);
    const unfolded = withMetricAggregates(db, D, metrics.rows(), () => churnScorer(db, model, D));
    for (const r of stored)
      expect(r.p_churn).toBe(unfolded.probability(r.account_id, r.stale ? null : r.score, r.components, r.trigger_ids));
  });
});
