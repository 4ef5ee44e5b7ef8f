/**
 * `foresight risks --top N` reads the first N entries of the day's at-risk list straight from SQL
 * (src/domain/risk/list-top.ts) instead of loading the whole list (list.ts, list-index.ts). It must
 * print exactly what the full-list path printed: the same entries, ranks and totals, with ties on
 * the ranking columns, a snapshot whose account is gone, and the filters the command accepts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/index.ts';
import { dailyScores } from '../../src/domain/risk/history-fill.ts';
import { riskList, SPARKLINE_DAYS } from '../../src/domain/risk/list.ts';
import { riskListTop, TOP_TOTALS_SQL, TOP_WALK_SQL, type TopQuery } from '../../src/domain/risk/list-top.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';

const AS_OF = '2026-03-31';

let db: Db;
let dir: string;
let atRisk: string[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'foresight-top-'));
  db = openDatabase(join(dir, 'book.db'), { create: true }).db;
  loadDemoBook(db, { accounts: 300, seed: 7, asOf: AS_OF });
  scoreAll(db, { asOf: AS_OF });
  atRisk = db
    .prepare('SELECT account_id FROM risk_snapshots WHERE as_of = ? AND at_risk = 1 ORDER BY account_id')
    .pluck()
    .all(AS_OF) as string[];
  // Ties on the ranking columns, above every other entry: five accounts with the same expected ARR at
  // risk, three of them with the same ARR too and two of those with the same score, so the last key
  // (the account id) decides.
  const top =
    (db
      .prepare('SELECT max(ear_usd) FROM risk_snapshots WHERE as_of = ? AND at_risk = 1')
      .pluck()
      .get(AS_OF) as number) + 1;
  const tie = db.prepare(
    'UPDATE risk_snapshots SET ear_usd = ?, arr_usd = ?, score_key = ? WHERE as_of = ? AND account_id = ?',
  );
  [
    [top, 9_000, 40],
    [top, 9_000, 40],
    [top, 9_000, 55],
    [top, 12_000, 40],
    [top, 3_000, 40],
  ].forEach(([ear, arr, score], i) => tie.run(ear, arr, score, AS_OF, atRisk[i * 7 + 2]));
  // An owner spelled with capitals (the filter folds ASCII case), and a snapshot left behind by an
  // account that is gone: it keeps its rank, but is not listed.
  db.prepare('UPDATE accounts SET owner_email = ? WHERE account_id = ?').run('Dana.Reyes@Example.com', atRisk[1]);
  db.pragma('foreign_keys = OFF');
  db.prepare('DELETE FROM accounts WHERE account_id = ?').run(atRisk[7 * 2 + 2]);
  db.pragma('foreign_keys = ON');
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What `risks --top` printed before: the full in-memory list, sorted by rank. */
function fullList(q: TopQuery) {
  return riskList(db, {
    ...q,
    band: null,
    trigger: null,
    search: '',
    sort: 'rank',
    direction: 'asc',
    offset: 0,
  });
}

describe('risks --top from SQL', () => {
  it('lists the same entries, ranks and totals as the full list, with ties, a gone account and every filter', () => {
    const owner = db.prepare('SELECT owner_email FROM accounts WHERE account_id = ?').pluck().get(atRisk[3]) as string;
    const segment = db.prepare('SELECT segment FROM accounts WHERE account_id = ?').pluck().get(atRisk[5]) as string;
    const filters: Pick<TopQuery, 'owner' | 'segment'>[] = [
      { owner: null, segment: null },
      { owner, segment: null },
      { owner: owner.toUpperCase(), segment: null },
      { owner: 'dana.reyes@example.com', segment: null },
      { owner: null, segment },
      { owner, segment },
      { owner: 'nobody@example.com', segment: null },
    ];
    let compared = 0;
    for (const filter of filters)
      for (const limit of [1, 3, 10, 100_000]) {
        const q = { asOf: AS_OF, ...filter, limit };
        const label = JSON.stringify(q);
        // With the same sparklines as the full list (the CLI asks for none).
        const ours = riskListTop(db, q, (ids) => dailyScores(db, ids, AS_OF, SPARKLINE_DAYS));
        const before = fullList(q);
        expect(ours.rows, label).toEqual(before.rows);
        expect(ours.total, label).toBe(before.total);
        expect(ours.totals, label).toEqual(before.totals);
        compared += ours.rows.length;
      }
    expect(compared).toBeGreaterThan(100);
    // The ties in key order (ARR, then score, then id), and the gone account's rank (4) skipped, not reused.
    const all = riskListTop(db, { asOf: AS_OF, owner: null, segment: null, limit: 100_000 }).rows;
    expect(all.slice(0, 4).map((r) => [r.rank, r.accountId])).toEqual([
      [1, atRisk[23]],
      [2, atRisk[2]],
      [3, atRisk[9]],
      [5, atRisk[30]],
    ]);
    expect(all.length).toBe(atRisk.length - 1);
    expect(all.at(-1)!.rank).toBe(atRisk.length);
  });

  it('walks risk_snapshots_rank without sorting, and sums over it in rank order', () => {
    const plan = (sql: string, params: unknown) =>
      db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(params)
        .map((r) => (r as { detail: string }).detail)
        .join('\n');
    const walk = plan(TOP_WALK_SQL, AS_OF);
    expect(walk).toMatch(/SEARCH s USING COVERING INDEX risk_snapshots_rank \(as_of=\? AND at_risk=\?\)/);
    expect(walk).not.toMatch(/TEMP B-TREE|SCAN/);
    const totals = plan(TOP_TOTALS_SQL, { asOf: AS_OF, owner: 'x@example.com', segment: 'smb' });
    expect(totals).toMatch(/SEARCH s USING COVERING INDEX risk_snapshots_rank \(as_of=\? AND at_risk=\?\)/);
    expect(totals).toMatch(/SEARCH a USING INDEX sqlite_autoindex_accounts_1 \(account_id=\?\)/);
  });
});
