/**
 * The churn model's features for a few rescored accounts (touched-features.ts): built from their own
 * reads plus the day's kept book part, they equal the whole-book build's rows while the data is the same.
 */
import { describe, expect, it } from 'vitest';
import { loadDemoBook } from '../../src/domain/demo/index.ts';
import { buildFeatures } from '../../src/domain/risk/model/features.ts';
import { featureRows } from '../../src/domain/risk/model/touched-features.ts';
import { tempDb } from '../support/temp.ts';

const D = '2026-06-30';

function book() {
  const { db } = tempDb();
  loadDemoBook(db, { accounts: 80, seed: 11, asOf: D });
  db.exec("DELETE FROM app_meta WHERE key = 'risk.model_peers'");
  const frame = buildFeatures(db, D);
  return { db, names: frame.names, ids: frame.ids };
}

describe("a few accounts' churn-model features", () => {
  it('equal the whole-book rows, peers and absent event types included, once the day keeps its book part', () => {
    const { db, names, ids } = book();
    expect(names.some((n) => n.endsWith(':vs_peers'))).toBe(true);
    const whole = featureRows(db, D, names, { keep: true });
    expect(whole.size).toBe(ids.length);
    const some = ids.filter((_, i) => i % 10 === 3).slice(0, 8);
    const touched = featureRows(db, D, names, { accountIds: some });
    expect([...touched.keys()]).toEqual(some);
    // At least one of them lacks an event type the book holds, and is told "none" as in the whole book.
    const n180 = names.filter((n) => n.startsWith('e:') && n.endsWith(':n180')).map((n) => names.indexOf(n));
    expect(some.some((id) => n180.some((j) => whole.get(id)![j] === 0))).toBe(true);
    for (const id of some) expect(touched.get(id)).toEqual(whole.get(id));
  });

  it('read the whole book when the day has no kept part, another day is kept, or too many accounts changed', () => {
    const { db, names, ids } = book();
    const few = ids.slice(0, 2);
    expect(featureRows(db, D, names, { accountIds: few }).size).toBe(ids.length);
    featureRows(db, '2026-06-29', names, { keep: true });
    expect(featureRows(db, D, names, { accountIds: few }).size).toBe(ids.length);
    featureRows(db, D, names, { keep: true });
    expect(featureRows(db, D, names, { accountIds: few }).size).toBe(few.length);
    const many = ids.slice(0, Math.ceil(ids.length * 0.2));
    expect(featureRows(db, D, names, { accountIds: many }).size).toBe(ids.length);
  });
});
