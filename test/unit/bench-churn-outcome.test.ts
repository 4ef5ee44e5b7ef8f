import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { newestModel, recordChurnOutcome } from '../../bench/figures/churn-outcome.ts';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';
import { loadDemoBook } from '../../src/domain/demo/index.ts';
import { configRepo } from '../../src/domain/risk/config-repo.ts';
import { modelSignature } from '../../src/domain/risk/model/churn-model.ts';
import { DEFAULT_BACKTEST } from '../../src/domain/risk/model/samples.ts';
import { tempDb, tempDir } from '../support/temp.ts';

const AS_OF = '2026-06-30';

describe('the bench refit day: a churn outcome recorded through the importer', () => {
  it('churns one active account on the day, which changes the outcomes the churn model is fitted on', () => {
    const { db } = tempDb();
    loadDemoBook(db, { accounts: 40, seed: 7, asOf: AS_OF, days: 20 });
    const version = configRepo(db).active().version;
    const before = modelSignature(db, AS_OF, version, DEFAULT_BACKTEST);

    const dir = tempDir();
    const id = recordChurnOutcome(db, AS_OF, dir);
    expect(readdirSync(dir)).toEqual([]);

    const account = accountsRepo(db).get(id)!;
    expect(account).toMatchObject({ status: 'churned', churned_at: AS_OF });
    const after = modelSignature(db, AS_OF, version, DEFAULT_BACKTEST);
    expect(after.churners).toBe(before.churners + 1);
    expect(after.outcomes).not.toBe(before.outcomes);
    // The next call picks another account: the churned one is no longer active.
    expect(recordChurnOutcome(db, AS_OF, tempDir())).not.toBe(id);
    expect(newestModel(db)).toBeNull();
  });
});
