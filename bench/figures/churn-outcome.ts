/**
 * A new churn outcome recorded the way a user's data brings one: an accounts file whose row for
 * one active account now says `status=churned, churned_at=<the day>`, imported by the app's own
 * importer (`importFiles`, the path of `foresight import`, the app's import dialog and the demo's
 * account rows alike: the account row's status and churned_at are what the churn model's outcome
 * signature reads, model/churn-model.ts `modelSignature`). Also what the model counts to decide
 * whether a stored model still fits the day.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountDbRow } from '../../src/domain/db/repos/accounts.ts';
import type { Db } from '../../src/domain/db/open.ts';
import { importFiles } from '../../src/domain/ingest/import-files.ts';
import { csvLine } from '../lib/csv.ts';
import { ACCOUNT_CSV_COLUMNS } from '../workload.ts';

/** The newest stored churn model, or null when none is stored. */
export interface StoredModel {
  id: number;
  signature: string;
}

export const newestModel = (db: Db): StoredModel | null =>
  db
    .prepare<[], StoredModel>('SELECT model_id AS id, signature FROM risk_models ORDER BY model_id DESC LIMIT 1')
    .get() ?? null;

/**
 * Marks the first active account (by id) churned on `asOf` through a one-row accounts file written
 * to `dir` (removed after the import), and returns its id. Throws when the importer did not write the row, so the figure never
 * times a day without the new outcome.
 */
export function recordChurnOutcome(db: Db, asOf: string, dir: string): string {
  const account = db
    .prepare<[string], AccountDbRow>(
      `SELECT * FROM accounts WHERE status = 'active' AND (created_at IS NULL OR created_at <= ?)
       ORDER BY account_id LIMIT 1`,
    )
    .get(asOf);
  if (!account) throw new Error('the scoring book has no active account to churn');
  const churned: Record<string, unknown> = {
    ...account,
    status: 'churned',
    churned_at: asOf,
    updated_at: `${asOf}T12:00:00.000Z`,
  };
  const file = join(dir, 'churn-outcome-accounts.csv');
  writeFileSync(file, csvLine(ACCOUNT_CSV_COLUMNS) + csvLine(ACCOUNT_CSV_COLUMNS.map((c) => churned[c])));
  let summary: ReturnType<typeof importFiles>;
  try {
    summary = importFiles(db, [file], { now: () => new Date(`${asOf}T12:00:00.000Z`) });
  } finally {
    rmSync(file, { force: true });
  }
  if (summary.accepted.accounts !== 1)
    throw new Error(
      `the churn of ${account.account_id} was not imported (accepted ${summary.accepted.accounts}, rejected ${summary.rejected}: ${summary.errors[0]?.message ?? 'no reason given'})`,
    );
  return account.account_id;
}
