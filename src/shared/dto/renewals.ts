import { z } from 'zod';
import type { DataGap } from './data-gap.ts';

export const RENEWAL_WINDOWS = [30, 90, 180] as const;

export interface RenewalRow {
  accountId: string;
  name: string;
  owner: string | null;
  segment: string | null;
  renewalDate: string;
  /** Negative when the renewal date has passed and the account is still active (overdue). */
  daysToRenewal: number;
  overdue: boolean;
  arr: number;
  currency: string;
  /** ARR in USD with the configured rates (Settings → Health score, `fxToUsd`). */
  arrUsd: number;
  score: number | null;
  band: 'red' | 'yellow' | 'green' | null;
  /** Null with stale data or no data (dataGap): no forecast is claimed. */
  pChurn: number | null;
  dataGap: DataGap | null;
  /** ARR × (1 − P(churn)), in USD; null without a P(churn). */
  expectedRenewUsd: number | null;
  lastTouchOn: string | null;
}

export interface RenewalMonth {
  /** YYYY-MM, or 'overdue'. */
  month: string;
  accounts: number;
  arrUsd: number;
  /** Of the accounts with a forecast. */
  expectedRenewUsd: number;
  /** Accounts in the month without a forecast (no health score). */
  unforecast: number;
}

export interface RenewalsReport {
  asOf: string;
  /** The day of the scores used; null when the book has not been scored yet. */
  scoredAsOf: string | null;
  withinDays: number;
  /** 'fitted': P(churn) from a curve fitted to this book's churn; 'default': the built-in curve. */
  pChurnSource: 'fitted' | 'default' | null;
  /** P(churn) is over this many days; a renewal further out may churn later than that. */
  horizonDays: number;
  rows: RenewalRow[];
  months: RenewalMonth[];
  /** unforecast: accounts left out of expectedRenewUsd (stale data or no data); unforecastStale: those with stale data. */
  totals: {
    accounts: number;
    overdue: number;
    arrUsd: number;
    expectedRenewUsd: number;
    unforecast: number;
    unforecastStale: number;
  };
}

export const renewalSchemas = {
  list: z
    .object({
      withinDays: z.number().int().min(1).max(730).default(90),
      asOf: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
        .optional(),
      /** 'all', 'me' or an owner email. */
      owner: z.string().max(320).default('all'),
    })
    .strict(),
};
