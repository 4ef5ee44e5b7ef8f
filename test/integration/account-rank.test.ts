/**
 * `foresight account X` prints the account's rank in the day's at-risk list. It is counted on the
 * ranking index down to the account's own entry (account-view.ts, RANK_SQL) instead of numbering the
 * whole day's list; it must give the list's rank for every entry, ties on the ranking columns
 * included, and none for an account that is not at risk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/index.ts';
import { accountRisk, RANK_SQL } from '../../src/domain/risk/account-view.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';

const AS_OF = '2026-03-31';

let db: Db;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'foresight-rank-'));
  db = openDatabase(join(dir, 'book.db'), { create: true }).db;
  loadDemoBook(db, { accounts: 200, seed: 11, asOf: AS_OF });
  scoreAll(db, { asOf: AS_OF });
  const atRisk = db
    .prepare('SELECT account_id FROM risk_snapshots WHERE as_of = ? AND at_risk = 1 ORDER BY account_id')
    .pluck()
    .all(AS_OF) as string[];
  // Ties on every ranking column in turn: the same expected ARR at risk, then the same ARR, then the
  // same score, so the account id decides the last pair.
  const tie = db.prepare(
    'UPDATE risk_snapshots SET ear_usd = ?, arr_usd = ?, score_key = ? WHERE as_of = ? AND account_id = ?',
  );
  [
    [5_000, 9_000, 40],
    [5_000, 9_000, 40],
    [5_000, 9_000, 55],
    [5_000, 12_000, 40],
    [5_000, 3_000, 40],
  ].forEach(([ear, arr, score], i) => tie.run(ear, arr, score, AS_OF, atRisk[i * 5 + 1]));
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('account rank', () => {
  it('is the at-risk list position for every entry, and none for an account not at risk', () => {
    const listed = db
      .prepare(
        'SELECT account_id, at_risk FROM risk_snapshots WHERE as_of = ? ORDER BY at_risk DESC, ear_usd DESC, arr_usd DESC, score_key, account_id',
      )
      .all(AS_OF) as { account_id: string; at_risk: number }[];
    const atRisk = listed.filter((r) => r.at_risk === 1);
    expect(atRisk.length).toBeGreaterThan(10);
    expect(listed.length).toBeGreaterThan(atRisk.length);
    const rank = db.prepare<{ asOf: string; accountId: string }, { rank: number }>(RANK_SQL);
    for (const [i, r] of listed.entries())
      expect(rank.get({ asOf: AS_OF, accountId: r.account_id })?.rank ?? null).toBe(r.at_risk ? i + 1 : null);
    // The account view carries it.
    expect(accountRisk(db, atRisk[3]!.account_id, AS_OF, '2026-04-01T00:00:00Z').rank).toBe(4);
    const quiet = listed.find((r) => r.at_risk === 0)!.account_id;
    expect(accountRisk(db, quiet, AS_OF, '2026-04-01T00:00:00Z').rank).toBeNull();
  });

  it('is a seek of the account and a count on the ranking index, no table rows and no sort', () => {
    const plan = (
      db.prepare(`EXPLAIN QUERY PLAN ${RANK_SQL}`).all({ asOf: AS_OF, accountId: 'x' }) as { detail: string }[]
    ).map((r) => r.detail);
    expect(plan).toContain('SEARCH me USING INDEX sqlite_autoindex_risk_snapshots_1 (as_of=? AND account_id=?)');
    expect(
      plan.some((d) =>
        d.startsWith('SEARCH o USING COVERING INDEX risk_snapshots_rank (as_of=? AND at_risk=? AND ear_usd>'),
      ),
    ).toBe(true);
    expect(plan.join('\n')).not.toMatch(/TEMP B-TREE|SCAN/);
  });
});
