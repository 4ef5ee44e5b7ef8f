/**
 * Which days of daily score history each account has under a configuration version, as one
 * contiguous range per account (risk_history_coverage, migration 10). The backfill is decided per
 * account from it: an account imported after the first run, or one that churned between runs, gets
 * every day of the history window it was active, not only the days the book had not yet scored.
 */
import type { Db } from '../db/open.ts';
import { batchedWrite, valuesOf } from '../db/batched.ts';
import { perConnection } from '../db/per-connection.ts';
import { dayNumber, dayString } from './days.ts';

export interface Coverage {
  account_id: string;
  config_version: number;
  from_day: string;
  through_day: string;
}

const COLUMNS = ['account_id', 'config_version', 'from_day', 'through_day'] as const;

export const historyCoverageRepo = perConnection((db: Db) => {
  const range = db.prepare<[string, string], Coverage>(
    'SELECT * FROM risk_history_coverage WHERE account_id >= ? AND account_id <= ?',
  );
  const some = db.prepare<[string], Coverage>(
    'SELECT c.* FROM json_each(?) j JOIN risk_history_coverage c ON c.account_id = j.value',
  );
  const upsert = batchedWrite<Coverage>(
    db,
    COLUMNS,
    100,
    (rows) => `INSERT INTO risk_history_coverage (${COLUMNS.join(', ')}) ${valuesOf(COLUMNS, rows)}
     ON CONFLICT (account_id) DO UPDATE SET config_version = excluded.config_version, from_day = excluded.from_day,
       through_day = excluded.through_day`,
  );
  // An account needs days when it was active on some day of [from, last] that its stored range
  // (under this version) does not hold. Accounts churned by `from`, or with no churn date, need none.
  const NEEDS = `(a.created_at IS NULL OR substr(a.created_at, 1, 10) <= @last)
         AND NOT (a.status = 'churned' AND (a.churned_at IS NULL OR substr(a.churned_at, 1, 10) <= @from))
         AND (c.account_id IS NULL OR c.config_version <> @version
              OR c.from_day > max(@from, coalesce(substr(a.created_at, 1, 10), @from))
              OR c.through_day < CASE WHEN a.status = 'churned' AND substr(a.churned_at, 1, 10) <= @asOf
                                      THEN min(@last, date(a.churned_at, '-1 day')) ELSE @last END)`;
  // Of those, the first day any of them lacks: a new day after yesterday's run needs only yesterday,
  // so the run reads windows for one more day instead of the whole history (issue 16).
  const needing = db.prepare<{ from: string; last: string; asOf: string; version: number }, string | null>(
    `SELECT min(CASE WHEN c.account_id IS NULL OR c.config_version <> @version
                       OR c.from_day > max(@from, coalesce(substr(a.created_at, 1, 10), @from))
                     THEN max(@from, coalesce(substr(a.created_at, 1, 10), @from))
                     ELSE date(c.through_day, '+1 day') END)
     FROM accounts a LEFT JOIN risk_history_coverage c ON c.account_id = a.account_id
       WHERE ${NEEDS}`,
  );
  // Which of them (listed in a JSON array, or every account) lack some day, in id order (history-fill.ts).
  type NeedParams = { ids?: string; from: string; last: string; asOf: string; version: number };
  const needingOf = (accounts: string) =>
    db
      .prepare<NeedParams, string>(
        `SELECT a.account_id FROM ${accounts} LEFT JOIN risk_history_coverage c ON c.account_id = a.account_id
         WHERE ${NEEDS} ORDER BY a.account_id`,
      )
      .pluck();
  const needingListed = needingOf('json_each(@ids) j CROSS JOIN accounts a ON a.account_id = j.value');
  const needingAll = needingOf('accounts a');
  // Coverage from `since` on is dropped: a range that starts on or after it goes, one that runs
  // past it ends the day before (NULL: every day). Of listed accounts (a JSON array) or of every
  // account: two statements each, because `@ids IS NULL OR account_id IN (…)` scanned the whole
  // table for a few accounts (issue 16: it grows with the book).
  const forgetting = (which: string) => ({
    drop: db.prepare<{ ids?: string; since: string | null }>(
      `DELETE FROM risk_history_coverage WHERE ${which} AND (@since IS NULL OR from_day >= @since)`,
    ),
    trim: db.prepare<{ ids?: string; since: string | null }>(
      `UPDATE risk_history_coverage SET through_day = date(@since, '-1 day')
       WHERE @since IS NOT NULL AND ${which} AND through_day >= @since`,
    ),
  });
  const listed = forgetting('account_id IN (SELECT value FROM json_each(@ids))');
  const every = forgetting('1');
  const forget = (ids: string | null, since: string | null) => {
    const s = ids === null ? every : listed;
    const params = ids === null ? { since } : { ids, since };
    s.drop.run(params);
    s.trim.run(params);
  };
  return {
    /** The accounts' history from `since` (null: every day) is to be scored again: their data changed. */
    forget: (accountIds: readonly string[], since: string | null = null) => forget(JSON.stringify(accountIds), since),
    forgetAll: (since: string | null = null) => forget(null, since),
    /** The first day of [from, asOf − 1] some account lacks under `version`, or null when none does. */
    firstMissing(from: number, asOfDay: number, version: number): number | null {
      const day = needing
        .pluck()
        .get({ from: dayString(from), last: dayString(asOfDay - 1), asOf: dayString(asOfDay), version });
      return day ? Math.max(from, dayNumber(day)) : null;
    },
    /**
     * The accounts (of `accountIds`, or of the whole book when null) that lack some day of
     * [from, asOf − 1] under `version`, ascending.
     */
    needing(accountIds: readonly string[] | null, from: number, asOfDay: number, version: number): string[] {
      const params = { from: dayString(from), last: dayString(asOfDay - 1), asOf: dayString(asOfDay), version };
      return accountIds === null
        ? needingAll.all(params)
        : needingListed.all({ ...params, ids: JSON.stringify(accountIds) });
    },
    /** Coverage of the accounts with lo ≤ id ≤ hi, by account id. */
    range: (lo: string, hi: string): Map<string, Coverage> => new Map(range.all(lo, hi).map((c) => [c.account_id, c])),
    /** Coverage of these accounts (a rescore of scattered accounts), by account id. */
    of: (accountIds: readonly string[]): Map<string, Coverage> =>
      new Map(some.all(JSON.stringify(accountIds)).map((c) => [c.account_id, c])),
    upsert: (row: Coverage) => void upsert([row]),
    /** upsert of many rows (a whole-book run's), in order. */
    upsertAll: (rows: readonly Coverage[]) => void upsert(rows),
  };
});

/**
 * The days of [from, to] an account still needs, given what is stored: all of them under another
 * version, else those outside the stored range. Ascending.
 */
export function missingDays(
  from: number,
  to: number,
  stored: { version: number; from: number; through: number } | null,
  version: number,
): number[] {
  const days: number[] = [];
  for (let d = from; d <= to; d++) {
    if (stored && stored.version === version && d >= stored.from && d <= stored.through) continue;
    days.push(d);
  }
  return days;
}
