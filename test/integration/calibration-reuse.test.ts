/**
 * The churn curve in use on a day is the one fitted as of the day's fit day (score-plan.ts,
 * planCalibration; model/stored-model.ts, ANCHOR_DAYS), as the churn model is: a new day then
 * mostly reads only the live accounts' events, and the curve is the same whichever days were
 * scored first. New churn refits at once; the figures a run reports, and the account view's
 * curve, are those of the stored fit with its own day.
 */
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/domain/db/open.ts';
import { loadDemoBook } from '../../src/domain/demo/index.ts';
import { dayNumber, dayString } from '../../src/domain/risk/days.ts';
import { ANCHOR_DAYS, churnModelFor } from '../../src/domain/risk/model/churn-model.ts';
import { scoreAll } from '../../src/domain/risk/score-all.ts';
import { riskStore } from '../../src/domain/risk/store.ts';
import { tempDb } from '../support/temp.ts';

const D = '2026-03-31';
const day = (offset: number) => dayString(dayNumber(D) + offset);

const calibrations = (db: Db) =>
  db
    .prepare<[], { calibration_id: number; as_of: string }>(
      'SELECT calibration_id, as_of FROM risk_calibration ORDER BY calibration_id',
    )
    .all();

function book(): Db {
  const { db } = tempDb();
  loadDemoBook(db, { accounts: 40, seed: 5, asOf: D });
  return db;
}

describe('calibration reuse', () => {
  it("reuses the stored fit of the day's fit day on the next days, with its own day and figures, until new churn", () => {
    const db = book();
    const first = scoreAll(db, { asOf: D, calibrate: 'auto' });
    expect(first.calibration.reused).toBe(false);
    const fitted = calibrations(db);
    expect(fitted).toHaveLength(1);
    // The fit day: on or after the anchor (2026-03-26, a day number divisible by ANCHOR_DAYS), on or before D.
    const fitDay = fitted[0]!.as_of;
    expect(fitDay >= day(-5) && fitDay <= D).toBe(true);

    const next = scoreAll(db, { asOf: day(1), calibrate: 'auto' });
    expect(next.calibration).toEqual({ ...first.calibration, reused: true });
    expect(calibrations(db)).toEqual(fitted);
    // What the account view and quality figures read for the new day: the stored fit, with its day.
    const version = next.configVersion;
    expect(riskStore(db).calibrationAtOrBefore(day(1), version)?.as_of).toBe(fitDay);

    // A new churn on day 2 refits at once, dated day 2.
    const active = db
      .prepare<[], string>("SELECT account_id FROM accounts WHERE status <> 'churned' ORDER BY account_id LIMIT 1")
      .pluck()
      .get()!;
    db.prepare("UPDATE accounts SET status = 'churned', churned_at = ? WHERE account_id = ?").run(day(2), active);
    const churned = scoreAll(db, { asOf: day(2), calibrate: 'auto' });
    expect(churned.calibration.reused).toBe(false);
    expect(churned.calibration.id).not.toBe(first.calibration.id);
    expect(calibrations(db).map((c) => c.as_of)).toEqual([fitDay, day(2)]);
  });

  it('refits on the next anchor day, and always when asked (as of the same fit day)', () => {
    const db = book();
    scoreAll(db, { asOf: D, calibrate: 'auto' });
    const fitDay = calibrations(db)[0]!.as_of;
    expect(scoreAll(db, { asOf: day(1), calibrate: true }).calibration.reused).toBe(false);
    // 2026-04-02 is the next anchor day (day number divisible by ANCHOR_DAYS).
    expect(dayNumber(day(2)) % ANCHOR_DAYS).toBe(0);
    expect(scoreAll(db, { asOf: day(2), calibrate: 'auto' }).calibration.reused).toBe(false);
    expect(scoreAll(db, { asOf: day(3), calibrate: 'auto' }).calibration.reused).toBe(true);
    expect(calibrations(db).map((c) => c.as_of)).toEqual([fitDay, fitDay, day(2)]);
  });

  it('fits the same curve for a day whichever day was scored first', () => {
    const curve = (db: Db, asOf: string) => {
      const id = scoreAll(db, { asOf, calibrate: 'auto' }).calibration.id;
      return db
        .prepare(
          'SELECT as_of, signature, method, intercept, slope, samples, outcomes, auc FROM risk_calibration WHERE calibration_id = ?',
        )
        .get(id);
    };
    const [direct, earlier, later] = [book(), book(), book()];
    scoreAll(earlier, { asOf: day(-3), calibrate: 'auto' });
    scoreAll(later, { asOf: day(6), calibrate: 'auto' });
    const expected = curve(direct, day(1));
    expect(curve(earlier, day(1))).toEqual(expected);
    expect(curve(later, day(1))).toEqual(expected);
  });

  it('scores a day the same with a reused fit as with a fresh one, but for the fit it names', () => {
    const read = (db: Db, asOf: string) =>
      db
        .prepare('SELECT * FROM risk_snapshots WHERE as_of = ? ORDER BY account_id')
        .all(asOf)
        .map((r) => ({ ...(r as object), computed_at: null, calibration_id: null }));
    const books = [book(), book()];
    for (const db of books) {
      scoreAll(db, { asOf: D, calibrate: 'auto' });
      churnModelFor(db, { asOf: day(1), fit: true });
    }
    const [reusing, fresh] = books as [Db, Db];
    expect(scoreAll(reusing, { asOf: day(1), calibrate: 'auto' }).calibration.reused).toBe(true);
    expect(scoreAll(fresh, { asOf: day(1), calibrate: true }).calibration.reused).toBe(false);
    expect(read(reusing, day(1))).toEqual(read(fresh, day(1)));
  });
});
