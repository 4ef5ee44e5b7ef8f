/**
 * The one rule for what a scored day may show of an account: nothing from stale data or no data
 * (src/shared/dto/data-gap.ts). Every reader of scores and P(churn) (the ranked list's book, the
 * account page, the Accounts grid and its export, renewals) asks it, so no surface shows a score or
 * forecast another one withholds.
 */
import type { DataGap } from '../../shared/dto/data-gap.ts';

/** Why the account has nothing to show on the day, or null when it has a score from fresh data. */
export function dataGapOf(row: { stale: boolean | number | null; score: number | null }): DataGap | null {
  if (row.stale === true || row.stale === 1) return 'stale';
  return row.score === null ? 'no_data' : null;
}

/** The value when the account has fresh data, else null. */
export function unlessGap<T>(gap: DataGap | null, value: T): T | null {
  return gap === null ? value : null;
}
