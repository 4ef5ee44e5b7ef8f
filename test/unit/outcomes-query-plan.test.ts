import { describe, expect, it } from 'vitest';
import { OUTCOME_SQL } from '../../src/domain/interventions/outcome-data.ts';
import { tempDb } from '../support/temp.ts';

const plan = (sql: string, params: unknown[]) => {
  const { db } = tempDb();
  return db
    .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
    .all(...params)
    .map((r) => r.detail)
    .join('\n');
};

describe('success-criterion reads use the hot-read indexes', () => {
  it('events by account, type and time are an index range on the account and time, never a scan', () => {
    // Without statistics SQLite may pick either of the two account indexes; both bound the time.
    expect(plan(OUTCOME_SQL.events, ['a', 'payment_succeeded', '2026-01-01', '2026-02-01'])).toMatch(
      /^SEARCH events USING INDEX events_account_(type_)?time \(account_id=\? (AND type=\? )?AND occurred_at>\? AND occurred_at<\?\)$/,
    );
  });

  it('a metric series is a primary-key range', () => {
    expect(plan(OUTCOME_SQL.metric, ['a', 'active_users', '', '2026-01-01', '2026-02-01'])).toMatch(
      /SEARCH metrics USING PRIMARY KEY \(account_id=\? AND metric=\? AND contact_id=\? AND date>\? AND date<\?\)/,
    );
    expect(plan(OUTCOME_SQL.metricByContact, ['a', 'logins', '2026-01-01', '2026-02-01'])).toMatch(
      /SEARCH metrics USING PRIMARY KEY \(account_id=\? AND metric=\?/,
    );
  });
});
