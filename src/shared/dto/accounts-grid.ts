import { z } from 'zod';
import type { Page } from './core.ts';
import type { DataGap } from './data-gap.ts';

export const GRID_SORTS = [
  'name',
  'arr',
  'score',
  'p_churn',
  'renewal',
  'last_touch',
  'data_age',
  'owner',
  'segment',
] as const;
export type GridSort = (typeof GRID_SORTS)[number];

/** An account's status in the book (accounts.status): a churned one is a lost customer, not a live one. */
export const ACCOUNT_STATUSES = ['active', 'churned'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** The export job's title in progress events, by which the Accounts screen finds its own bar. */
export const gridExportTitle = (format: 'csv' | 'xlsx') => `Exporting accounts as ${format.toUpperCase()}`;

export interface GridRow {
  accountId: string;
  name: string;
  owner: string | null;
  segment: string | null;
  plan: string | null;
  status: AccountStatus;
  /** The day it churned (churned accounts only; null when the book does not say). */
  churnedOn: string | null;
  arr: number;
  currency: string;
  /** ARR in USD at the configured rates (Settings → Health score, `fxToUsd`): what ARR sorts by. */
  arrUsd: number;
  /** False when the currency has no configured rate (counted at par). */
  fxKnown: boolean;
  /** Score, band and P(churn) are null with stale data or no data (dataGap says which). */
  score: number | null;
  band: 'red' | 'yellow' | 'green' | null;
  /** The week-over-week trend and its change in points (src/shared/trend-words.ts); null with a data gap. */
  trend: 'up' | 'down' | 'flat' | 'new' | null;
  scoreDelta: number | null;
  pChurn: number | null;
  dataGap: DataGap | null;
  renewalDate: string | null;
  lastTouchOn: string | null;
  /** The newest day of any data the engine reads (≤ as-of; the scored day's, or newer), and its age in days. */
  newestDataOn: string | null;
  dataAgeDays: number | null;
  /** Daily scores of the last 30 days, oldest first (for the sparkline). */
  history: (number | null)[];
}

export type GridPage = Page<GridRow> & { asOf: string; scoredAsOf: string | null };

export const gridFilterShape = {
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
    .optional(),
  search: z.string().max(200).default(''),
  band: z.enum(['red', 'yellow', 'green']).nullish(),
  segment: z.string().max(200).nullish(),
  /** Only active or only churned accounts; null or absent: both. */
  status: z.enum(ACCOUNT_STATUSES).nullish(),
  /** 'all', 'me' or an owner email. */
  owner: z.string().max(320).default('all'),
  sort: z.enum(GRID_SORTS).default('arr'),
  direction: z.enum(['asc', 'desc']).default('desc'),
};

export const GRID_COLUMNS = [
  'name',
  'health',
  'trend',
  'p_churn',
  'arr',
  'renewal',
  'last_touch',
  'data_age',
  'owner',
  'segment',
] as const;
export type GridColumn = (typeof GRID_COLUMNS)[number];

export const gridSchemas = {
  list: z
    .object({
      ...gridFilterShape,
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(200),
    })
    .strict(),
  export: z
    .object({ ...gridFilterShape, format: z.enum(['csv', 'xlsx']), columns: z.array(z.enum(GRID_COLUMNS)).min(1) })
    .strict(),
};
