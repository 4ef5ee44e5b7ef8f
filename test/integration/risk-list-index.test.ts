/**
 * The at-risk list filters and sorts in memory (src/domain/risk/list-index.ts). It must list the
 * very rows, in the very order, with the very totals that the SQL it replaced gave: that SQL is kept
 * here as the reference and run on a scored demo book with awkward names, owners and searches
 * (non-ASCII letters, which LIKE and NOCASE do not fold, characters beyond U+FFFF, % and _).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/index.ts';
import { compareText, foldAscii } from '../../src/domain/risk/list-index.ts';
import { riskList, type RiskListQuery } from '../../src/domain/risk/list.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import { RISK_SORT_COLUMNS } from '../../src/shared/dto/risk.ts';
import { rankedQuery } from '../support/ranked-query.ts';

const AS_OF = '2026-03-31';

const REFERENCE_SORT: Record<(typeof RISK_SORT_COLUMNS)[number], string> = {
  rank: 'r.rank',
  name: 'a.name COLLATE NOCASE',
  arr: 's.arr_usd',
  score: 's.score_key',
  trend: 'coalesce(s.score_delta, 0)',
  renewal: "coalesce(a.renewal_date, '9999-12-31')",
  owner: "coalesce(a.owner_email, '~')",
  last_touch: "coalesce(s.last_touch_on, '0000-00-00')",
  expected: 's.ear_usd',
};

const RANKED = `WITH ranked AS (
  SELECT account_id, row_number() OVER (ORDER BY ear_usd DESC, arr_usd DESC, score_key, account_id) AS rank
  FROM risk_snapshots WHERE as_of = @asOf AND at_risk = 1
)`;
const FILTER = `(@owner IS NULL OR a.owner_email = @owner COLLATE NOCASE)
  AND (@segment IS NULL OR a.segment = @segment)
  AND (@band IS NULL OR s.band = @band)
  AND (@trigger IS NULL OR instr(s.trigger_ids, ',' || @trigger || ',') > 0)
  AND (@pattern = '%%' OR a.name LIKE @pattern ESCAPE '\\' OR a.account_id LIKE @pattern ESCAPE '\\' OR a.owner_email LIKE @pattern ESCAPE '\\')`;

function reference(db: Db, q: RiskListQuery) {
  const params = {
    asOf: q.asOf,
    owner: q.owner,
    segment: q.segment,
    band: q.band,
    trigger: q.trigger,
    pattern: `%${q.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
  };
  const rows = db
    .prepare(
      `${RANKED} SELECT r.rank, a.account_id FROM ranked r JOIN risk_snapshots s ON s.as_of = @asOf AND s.account_id = r.account_id
       JOIN accounts a ON a.account_id = r.account_id WHERE ${FILTER}
       ORDER BY ${REFERENCE_SORT[q.sort]} ${q.direction === 'desc' ? 'DESC' : 'ASC'}, r.rank LIMIT @limit OFFSET @offset`,
    )
    .raw()
    .all({ ...params, limit: q.limit, offset: q.offset });
  const totals = db
    .prepare(
      `SELECT count(*) AS n, total(s.arr_usd) AS arr, total(s.ear_usd) AS ear FROM risk_snapshots s JOIN accounts a ON a.account_id = s.account_id WHERE s.as_of = @asOf AND s.at_risk = 1 AND ${FILTER}`,
    )
    .get(params) as { n: number; arr: number; ear: number };
  return { rows, totals };
}

// One scored book for the whole file (tempDb closes its database after each test).
let db: Db;
let dir: string;
const base: RiskListQuery = rankedQuery(AS_OF, 5000);

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'foresight-list-'));
  db = openDatabase(join(dir, 'book.db'), { create: true }).db;
  loadDemoBook(db, { accounts: 400, seed: 42, asOf: AS_OF });
  scoreAll(db, { asOf: AS_OF });
  const atRisk = db
    .prepare('SELECT account_id FROM risk_snapshots WHERE as_of = ? AND at_risk = 1 ORDER BY account_id')
    .pluck()
    .all(AS_OF) as string[];
  const awkward = [
    'Émile & Co',
    'émile GmbH',
    'ÉMILE sa',
    'emile',
    'Zeta_100% Ltd',
    'zeta',
    'a\u{1F600} smile',
    'a\uFFFD replacement',
    'a\uE000 private',
    'ＡＢＣ fullwidth',
    'Ärger AG',
    'ärger ag',
  ];
  awkward.forEach((name, i) =>
    db.prepare('UPDATE accounts SET name = ? WHERE account_id = ?').run(name, atRisk[i * 3]),
  );
  db.prepare('UPDATE accounts SET owner_email = ? WHERE account_id = ?').run('Dana.Reyes@Example.com', atRisk[1]);
  db.prepare('UPDATE accounts SET owner_email = NULL WHERE account_id = ?').run(atRisk[4]);
});

describe('the in-memory at-risk list', () => {
  it('sorts like SQLite, in both directions, on every column', () => {
    for (const sort of RISK_SORT_COLUMNS) {
      for (const direction of ['asc', 'desc'] as const) {
        const q = { ...base, sort, direction };
        const ours = riskList(db, q);
        expect(
          ours.rows.map((r) => [r.rank, r.accountId]),
          `${sort} ${direction}`,
        ).toEqual(reference(db, q).rows);
      }
    }
  });

  it('filters and totals like SQLite (LIKE and NOCASE fold ASCII only)', () => {
    const owner = db
      .prepare("SELECT owner_email FROM accounts WHERE owner_email LIKE 'dana%' LIMIT 1")
      .pluck()
      .get() as string;
    const trigger = (
      db
        .prepare(
          "SELECT trigger_ids FROM risk_snapshots WHERE as_of = ? AND at_risk = 1 AND trigger_ids <> ',' LIMIT 1",
        )
        .pluck()
        .get(AS_OF) as string
    ).split(',')[1]!;
    const segment = db
      .prepare('SELECT segment FROM accounts WHERE segment IS NOT NULL LIMIT 1')
      .pluck()
      .get() as string;
    const queries: Partial<RiskListQuery>[] = [
      ...[
        'a',
        'A',
        'émile',
        'ÉMILE',
        'EMILE',
        'ärger',
        '_',
        '%',
        '100%',
        'zeta_',
        '\u{1F600}',
        'ＡＢＣ',
        'abc',
        '@EXAMPLE',
        'acc',
        ' inc ',
        'no such thing',
      ].map((search) => ({ search })),
      { owner: owner.toUpperCase() },
      { owner: 'dana.reyes@example.com' },
      { trigger },
      { band: 'red' },
      { segment },
      { segment, band: 'yellow', search: 'e' },
      { search: 'a', sort: 'name', direction: 'desc', offset: 5, limit: 7 },
      { sort: 'owner', offset: 40, limit: 20 },
    ];
    let nonEmpty = 0;
    for (const partial of queries) {
      const q = { ...base, ...partial };
      const ours = riskList(db, q);
      const theirs = reference(db, q);
      const label = JSON.stringify(partial);
      expect(
        ours.rows.map((r) => [r.rank, r.accountId]),
        label,
      ).toEqual(theirs.rows);
      expect(ours.total, label).toBe(theirs.totals.n);
      expect(ours.totals.arrUsd, label).toBeCloseTo(theirs.totals.arr, 6);
      expect(ours.totals.expectedArrAtRiskUsd, label).toBeCloseTo(theirs.totals.ear, 6);
      if (ours.rows.length > 0) nonEmpty++;
    }
    expect(nonEmpty).toBeGreaterThan(15);
  });

  it('sees a change as soon as it is written', () => {
    const q = { ...base, search: 'renamed just now' };
    expect(riskList(db, q).total).toBe(0);
    const id = riskList(db, base).rows[10]!.accountId;
    db.prepare('UPDATE accounts SET name = ? WHERE account_id = ?').run('Renamed just now', id);
    expect(riskList(db, q).rows.map((r) => r.accountId)).toEqual([id]);
  });
});

describe('SQLite text rules', () => {
  it('folds ASCII letters only and orders text by code point', () => {
    expect(foldAscii('ÉMILE Émile')).toBe('Émile Émile');
    const words = ['b', 'a\u{1F600}', 'a\uFFFD', 'a\uE000', 'A', 'a', 'ä', ''];
    const bySqlite = db.prepare(`SELECT value FROM json_each(?) ORDER BY value`).pluck().all(JSON.stringify(words));
    expect([...words].sort(compareText)).toEqual(bySqlite);
  });
});
