// A whole-book scoring run hands the churn model the metric aggregates it folded while reading
// (src/domain/risk/series-aggregates.ts) instead of letting it scan the metrics table again; these
// must be the numbers the model's own SQL gives (model/feature-sql.ts), or P(churn) would depend
// on which path built the features.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/index.ts';
import { dayNumber } from '../../src/domain/risk/days.ts';
import { bundleReader } from '../../src/domain/risk/load.ts';
import { churnModelFor } from '../../src/domain/risk/model/churn-model.ts';
import { featureStatements, type MetricAggregate } from '../../src/domain/risk/model/feature-sql.ts';
import { boundsFor } from '../../src/domain/risk/model/features.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import { MetricAggregator } from '../../src/domain/risk/series-aggregates.ts';
import { tempDb } from '../support/temp.ts';

const D = '2026-03-31';
const key = (a: MetricAggregate) => `${a.account_id}|${a.metric}`;

function book(): Db {
  const { db } = tempDb();
  // 400 accounts: enough churned customers for the churn model to learn (its minimum counts accounts).
  loadDemoBook(db, { accounts: 400, seed: 5, asOf: D });
  // Holes inside a series, a metric the engine does not read and a per-person metric other than
  // logins: each must still count as the SQL counts it.
  db.prepare(
    "DELETE FROM metrics WHERE account_id = (SELECT min(account_id) FROM accounts) AND date IN ('2026-03-10', '2026-03-20')",
  ).run();
  const insert = db.prepare('INSERT INTO metrics (account_id, metric, contact_id, date, value) VALUES (?, ?, ?, ?, ?)');
  const contact = db
    .prepare<[], { account_id: string; contact_id: string }>('SELECT account_id, contact_id FROM contacts LIMIT 1')
    .get()!;
  for (let d = 0; d < 40; d += 3) {
    const date = `2026-0${d < 28 ? 2 : 3}-${String((d % 28) + 1).padStart(2, '0')}`;
    insert.run(contact.account_id, 'exports', '', date, d % 2 === 0 ? 0 : 2.5);
    insert.run(contact.account_id, 'reports_viewed', contact.contact_id, date, d);
  }
  return db;
}

describe('the churn model metric aggregates a scoring run folds while reading', () => {
  it('are the numbers the model’s SQL gives, for every account and metric', () => {
    const db = book();
    const aggregator = new MetricAggregator(dayNumber(D));
    const window = { metricsFrom: dayNumber(D) - 30, eventsFrom: dayNumber(D) - 30, to: dayNumber(D) };
    bundleReader(db).range('', '\uffff', window, aggregator);
    const folded = new Map(aggregator.rows().map((a) => [key(a), a]));
    const sql = featureStatements(db).metricsAll.all(boundsFor(D));
    expect(sql.length).toBeGreaterThan(300);
    expect([...folded.keys()].sort()).toEqual(sql.map(key).sort());
    for (const row of sql) {
      const mine = folded.get(key(row))!;
      expect(mine).toMatchObject({
        d28: row.d28,
        d56: row.d56,
        d90: row.d90,
        first_day: row.first_day,
        last_positive: row.last_positive,
      });
      expect(mine.s28).toBeCloseTo(row.s28, 6);
      expect(mine.s90).toBeCloseTo(row.s90, 6);
    }
    expect(sql.some((r) => r.metric === 'reports_viewed')).toBe(true);
  });

  it('leave the bundles as the engine reads them, and P(churn) as the SQL path gives it', () => {
    const db = book();
    const window = { metricsFrom: dayNumber(D) - 30, eventsFrom: dayNumber(D) - 30, to: dayNumber(D) };
    const plain = bundleReader(db).range('', '\uffff', window);
    const folding = bundleReader(db).range('', '\uffff', window, new MetricAggregator(dayNumber(D)));
    expect(folding).toEqual(plain);

    // Learned, so P(churn) comes from the features (the default curve would not read them).
    expect(churnModelFor(db, { asOf: D, fit: true }).method).toBe('learned');
    scoreAll(db, { asOf: D });
    const read = () =>
      db
        .prepare<[string], { account_id: string; p_churn: number }>(
          'SELECT account_id, p_churn FROM risk_snapshots WHERE as_of = ? ORDER BY account_id',
        )
        .all(D);
    const folded = read();
    // A partial run builds the model's features with its SQL (it reads only some accounts).
    scoreAll(db, { asOf: D, accountIds: folded.map((r) => r.account_id) });
    const bySql = read();
    expect(bySql.map((r) => r.account_id)).toEqual(folded.map((r) => r.account_id));
    bySql.forEach((r, i) => expect(r.p_churn).toBeCloseTo(folded[i]!.p_churn, 9));
  });
});
