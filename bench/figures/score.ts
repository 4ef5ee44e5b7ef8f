/**
 * Score and rank, and the incremental rescore, in one child process per sample on a fresh copy of
 * the scoring book: a full score (timed), then 1% of accounts get a changed metric value for the
 * as-of day, then the incremental rescore of those accounts (timed) and a full rescore (timed).
 */
import { closeDatabase, openDatabase } from '../../src/domain/db/open.ts';
import { findScore } from '../lib/subjects.ts';

export interface ScoreSample {
  scoreMs: number;
  incrementalMs: number;
  fullRescoreMs: number;
  changedAccounts: number;
  scorer: string;
}

/** Every k-th account by id, deterministic, about `fraction` of the book. */
export function pickChanged(accountIds: readonly string[], fraction: number): string[] {
  const step = Math.max(1, Math.round(1 / fraction));
  return accountIds.filter((_, index) => index % step === 0);
}

export async function scoreSample(input: { dbPath: string; asOf: string; fraction: number }): Promise<ScoreSample> {
  const found = await findScore();
  if (!found) throw new Error('NO_SUBJECT: there is no scoreAll function in src/domain/risk yet');
  const { db } = openDatabase(input.dbPath);
  try {
    let started = performance.now();
    await found.fn(db, { asOf: input.asOf });
    const scoreMs = performance.now() - started;

    const ids = db
      .prepare<[], { account_id: string }>('SELECT account_id FROM accounts ORDER BY account_id')
      .all()
      .map((r) => r.account_id);
    const changed = pickChanged(ids, input.fraction);
    // The change a nightly sync brings: today's active_users for these accounts drops by half.
    const bump = db.prepare(
      `UPDATE metrics SET value = value * 0.5 WHERE account_id = ? AND metric = 'active_users' AND contact_id = '' AND date = ?`,
    );
    db.transaction(() => changed.forEach((id) => bump.run(id, input.asOf)))();

    started = performance.now();
    await found.fn(db, { asOf: input.asOf, accountIds: changed });
    const incrementalMs = performance.now() - started;

    started = performance.now();
    await found.fn(db, { asOf: input.asOf });
    const fullRescoreMs = performance.now() - started;
    return { scoreMs, incrementalMs, fullRescoreMs, changedAccounts: changed.length, scorer: found.name };
  } finally {
    closeDatabase(db);
  }
}
