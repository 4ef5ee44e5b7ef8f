/**
 * What a scoring run says it did is what the ranked list shows: the accounts at risk, with stale
 * data and with no data, counted as written, after the churn model has agreed each band (a band it
 * overrules to yellow puts the account on the list). The import's closing line, the Sync screen
 * and the "Scores recomputed" toast read these counts.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/load.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import { tempDir } from '../support/temp.ts';

const AS_OF = '2026-12-07';

describe("a run's counts", () => {
  it('equal the stored day: at risk, stale and no data, with the model overruling some bands', () => {
    const { db } = openDatabase(join(tempDir(), 'counts.db'), { create: true });
    try {
      // 400 accounts: enough churned customers for the churn model to learn (its minimum counts accounts).
      loadDemoBook(db, { accounts: 400, seed: 42, asOf: AS_OF });
      // Some accounts' data stops early (stale) and some have none at all (no data).
      db.prepare(
        `DELETE FROM metrics WHERE account_id IN (SELECT account_id FROM accounts ORDER BY account_id LIMIT 3)`,
      ).run();
      db.prepare(
        `DELETE FROM events WHERE account_id IN (SELECT account_id FROM accounts ORDER BY account_id LIMIT 3)`,
      ).run();
      db.prepare(
        `DELETE FROM metrics WHERE date > '2026-11-01' AND account_id IN (SELECT account_id FROM accounts ORDER BY account_id LIMIT 3 OFFSET 3)`,
      ).run();
      db.prepare(
        `DELETE FROM events WHERE occurred_at > '2026-11-01' AND account_id IN (SELECT account_id FROM accounts ORDER BY account_id LIMIT 3 OFFSET 3)`,
      ).run();
      const result = scoreAll(db, { asOf: AS_OF, now: `${AS_OF}T10:00:00.000Z`, calibrate: 'auto' });
      const stored = db
        .prepare<[string], { n: number; atRisk: number; stale: number; noData: number; overruled: number }>(
          `SELECT count(*) AS n, sum(at_risk) AS atRisk, sum(stale) AS stale,
                  sum(band IS NULL AND stale = 0) AS noData,
                  sum(top_reason LIKE 'The churn model sees risk%') AS overruled
             FROM risk_snapshots WHERE as_of = ?`,
        )
        .get(AS_OF)!;
      // The path under test is taken: the model moved some accounts onto the list, and some are unbanded.
      expect(stored.overruled).toBeGreaterThan(0);
      expect(stored.stale).toBeGreaterThan(0);
      expect(stored.noData).toBeGreaterThan(0);
      expect({ scored: result.scored, atRisk: result.atRisk, stale: result.stale, noData: result.noData }).toEqual({
        scored: stored.n,
        atRisk: stored.atRisk,
        stale: stored.stale,
        noData: stored.noData,
      });
    } finally {
      closeDatabase(db);
    }
  });
});
