/**
 * Stale data shows nothing, in every reader (data-gap.ts): `churn-drivers` gives no P(churn) for an
 * account whose data stopped (it printed the no-score fallback, 11.0%, which `account` withholds),
 * and the morning digest says how many accounts it could not judge instead of a bare "New at-risk
 * accounts: 0" over a feed that stopped.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/domain/contract/dates.ts';
import { openDatabase, type Db } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/load.ts';
import { morningDigest } from '../../src/domain/digest/morning.ts';
import { churnDrivers } from '../../src/domain/risk/model/drivers.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import { digestText } from '../../src/cli/commands/digest.ts';
import { tempDir } from '../support/temp.ts';
import { join } from 'node:path';

const DATA_END = '2026-03-10';
const LATER = addDays(DATA_END, 20); // past the 7-day stale limit for every account
let db: Db;

beforeAll(() => {
  db = openDatabase(join(tempDir(), 'book.db'), { create: true }).db;
  loadDemoBook(db, { accounts: 60, seed: 5, asOf: DATA_END });
  scoreAll(db, { asOf: DATA_END, now: `${DATA_END}T09:00:00Z` });
  scoreAll(db, { asOf: LATER, now: `${LATER}T09:00:00Z` });
}, 120_000);

afterAll(() => db?.close());

const anActiveAccount = () =>
  db.prepare<[], string>("SELECT account_id FROM accounts WHERE status = 'active' ORDER BY account_id").pluck().get()!;

describe('stale data in churn-drivers and the digest', () => {
  it('churn-drivers gives no P(churn) and no reasons for an account whose data is stale', () => {
    const id = anActiveAccount();
    const fresh = churnDrivers(db, id, DATA_END);
    expect(fresh.p_churn).not.toBeNull();
    expect(fresh.data_gap).toBeNull();
    const stale = churnDrivers(db, id, LATER);
    expect(stale).toMatchObject({ p_churn: null, data_gap: 'stale', data_through: DATA_END, drivers: [] });
    expect(stale.note).toMatch(/^No P\(churn\) from stale data/);
  });

  it('the digest of a day whose data stopped says how many accounts it could not judge', () => {
    const active = db.prepare("SELECT count(*) FROM accounts WHERE status = 'active'").pluck().get() as number;
    const digest = morningDigest(db, { asOf: LATER });
    expect(digest.dataGaps).toEqual({ stale: active, noData: 0, dataThrough: DATA_END });
    expect(digestText(digest).split('\n')[2]).toBe(
      `Not judged: ${active} accounts with stale data (newest data ${DATA_END}); they cannot show as at risk until fresh data arrives.`,
    );
    expect(morningDigest(db, { asOf: DATA_END }).dataGaps.stale).toBe(0);
  });
});
