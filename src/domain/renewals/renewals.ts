/**
 * Renewals: overdue ones (the date has passed and the account is still active) and those within
 * the next N days, with health, P(churn) and the ARR expected to renew, ARR × (1 − P(churn)),
 * totalled by month. Health and P(churn) come from the latest scored day ≤ as-of, so the report
 * says exactly what the ranked list says; an account with stale data or no data gets no score and
 * no forecast (data-gap.ts), and the totals say how many were left out and why.
 */
import { addDays, daysBetween } from '../contract/dates.ts';
import type { Db } from '../db/open.ts';
import { configRepo } from '../risk/config-repo.ts';
import { fxRate } from '../risk/config.ts';
import { dataGapOf, unlessGap } from '../risk/data-gap.ts';
import { riskStore } from '../risk/store.ts';
import type { RenewalMonth, RenewalRow, RenewalsReport } from '../../shared/dto/renewals.ts';

interface Row {
  account_id: string;
  name: string;
  owner_email: string | null;
  segment: string | null;
  arr: number;
  currency: string;
  renewal_date: string;
  score: number | null;
  band: RenewalRow['band'];
  p_churn: number | null;
  last_touch_on: string | null;
  calibration_id: number | null;
  stale: number | null;
}

function statement(db: Db) {
  return db.prepare<{ until: string; snap: string; owner: string | null }, Row>(
    `SELECT a.account_id, a.name, a.owner_email, a.segment, a.arr, a.currency, a.renewal_date,
            s.score, s.band, s.p_churn, s.last_touch_on, s.calibration_id, s.stale
     FROM accounts a LEFT JOIN risk_snapshots s ON s.as_of = @snap AND s.account_id = a.account_id
     WHERE a.status = 'active' AND a.renewal_date IS NOT NULL AND a.renewal_date <= @until
       AND (@owner IS NULL OR a.owner_email = @owner COLLATE NOCASE)
     ORDER BY a.renewal_date, a.account_id`,
  );
}

export interface RenewalsOptions {
  asOf: string;
  withinDays: number;
  /** Only this owner's accounts; null for everyone's. */
  owner?: string | null;
}

export function renewalsReport(db: Db, options: RenewalsOptions): RenewalsReport {
  const { config } = configRepo(db).active();
  const scored = riskStore(db).latestSnapshotDay(options.asOf);
  const raw = statement(db).all({
    until: addDays(options.asOf, options.withinDays),
    snap: scored?.as_of ?? '',
    owner: options.owner ?? null,
  });
  const rows = raw.map((r) => toRow(r, options.asOf, fxRate(config, r.currency).rate));
  // Overdue first (longest overdue at the top), then by date: both are the query's date order.
  const months = byMonth(rows);
  const forecast = rows.filter((r) => r.expectedRenewUsd !== null);
  return {
    asOf: options.asOf,
    scoredAsOf: scored?.as_of ?? null,
    withinDays: options.withinDays,
    pChurnSource:
      raw.length === 0 || !scored ? null : raw.some((r) => r.calibration_id !== null) ? 'fitted' : 'default',
    horizonDays: config.churnCurve.horizonDays,
    rows,
    months,
    totals: {
      accounts: rows.length,
      overdue: rows.filter((r) => r.overdue).length,
      arrUsd: sum(rows.map((r) => r.arrUsd)),
      expectedRenewUsd: sum(forecast.map((r) => r.expectedRenewUsd as number)),
      unforecast: rows.length - forecast.length,
      unforecastStale: rows.filter((r) => r.dataGap === 'stale').length,
    },
  };
}

function toRow(r: Row, asOf: string, rate: number): RenewalRow {
  const daysToRenewal = daysBetween(asOf, r.renewal_date);
  // Stale data or no data: no health to forecast from (data-gap.ts).
  const gap = dataGapOf(r);
  const pChurn = unlessGap(gap, r.p_churn);
  const arrUsd = r.arr * rate;
  return {
    accountId: r.account_id,
    name: r.name,
    owner: r.owner_email,
    segment: r.segment,
    renewalDate: r.renewal_date,
    daysToRenewal,
    overdue: daysToRenewal < 0,
    arr: r.arr,
    currency: r.currency,
    arrUsd,
    score: unlessGap(gap, r.score),
    band: unlessGap(gap, r.band),
    pChurn,
    dataGap: gap,
    expectedRenewUsd: pChurn === null ? null : arrUsd * (1 - pChurn),
    lastTouchOn: r.last_touch_on,
  };
}

function byMonth(rows: readonly RenewalRow[]): RenewalMonth[] {
  const months = new Map<string, RenewalMonth>();
  for (const row of rows) {
    const key = row.overdue ? 'overdue' : row.renewalDate.slice(0, 7);
    const month = months.get(key) ?? { month: key, accounts: 0, arrUsd: 0, expectedRenewUsd: 0, unforecast: 0 };
    month.accounts += 1;
    month.arrUsd += row.arrUsd;
    if (row.expectedRenewUsd === null) month.unforecast += 1;
    else month.expectedRenewUsd += row.expectedRenewUsd;
    months.set(key, month);
  }
  return [...months.values()];
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
