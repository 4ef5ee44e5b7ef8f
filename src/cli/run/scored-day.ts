/**
 * What every command that reads a day's ranking does first: the day asked for (`--as-of`, today
 * when absent), scored if its stored snapshot is not current. Its own module, apart from
 * run/risks.ts, so `foresight account` does not load the list's readers (issue 16: each module a
 * one-shot command loads is start-up time).
 */
import { isIsoDay, todayIso } from '../../domain/contract/dates.ts';
import type { Db } from '../../domain/db/open.ts';
import { snapshotStaleness } from '../../domain/risk/staleness.ts';
import { progressLine, UsageError } from '../io.ts';

/**
 * Makes sure the stored snapshot for `asOf` is current (scoring the whole book in-process when it
 * is not), so the output is a pure function of the data, the configuration and the day.
 */
export async function ensureScored(db: Db, dbPath: string, asOf: string, json: boolean): Promise<void> {
  if (snapshotStaleness(db, asOf) === 'current') return;
  const bar = progressLine(!json);
  // Loaded only when scoring is needed: the job runner brings every job's code (the importer, the
  // outcome evaluation, papaparse), which a read of an already scored day does not need.
  const { inlineJobRunner } = await import('../../app/jobs/runner.ts');
  await inlineJobRunner(dbPath).run(
    'risk.score',
    { asOf, accountIds: null, now: new Date().toISOString() },
    {
      label: `Scoring accounts as of ${asOf}`,
      // The run's part ("Preparing the risk model", "Scoring accounts", "Saving the ranked list").
      onProgress: (p) => bar.update(`${p.label ?? 'Scoring accounts'} (as of ${asOf})`, p.processed, p.total),
    },
  );
  bar.done();
}

export function parseAsOf(value: string | undefined): string {
  if (value === undefined) return todayIso(new Date());
  if (!isIsoDay(value)) throw new UsageError(`--as-of must be a date (YYYY-MM-DD), not "${value}".`);
  return value;
}
