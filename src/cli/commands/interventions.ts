import { plural } from '../../domain/risk/explain.ts';
import type { Command } from 'commander';
import { isIsoDay, todayIso } from '../../domain/contract/dates.ts';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { listInterventions } from '../../domain/interventions/list.ts';
import { runOutcomeEvaluation } from '../../app/jobs/outcomes.ts';
import { INTERVENTION_STATUSES, type InterventionStatus } from '../../shared/dto/interventions.ts';
import { tallyCounts, tallyText } from '../../shared/intervention-tally.ts';
import { emit, UsageError } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';
import { wholeNumber } from './interventions-options.ts';

interface InterventionsOptions {
  status?: string;
  trigger?: string;
  account?: string;
  owner?: string;
  asOf?: string;
  limit: number;
}

export function registerInterventions(program: Command): void {
  withGlobalOptions(program.command('interventions'))
    .description('list logged interventions with their outcome, evaluated as of today (or --as-of)')
    .option('--status <status>', INTERVENTION_STATUSES.join('|'))
    .option('--trigger <id>', 'only this trigger')
    .option('--account <id>', 'only this account')
    .option('--owner <email>', 'only this owner')
    .option('--as-of <date>', 'evaluate success criteria as of this day (YYYY-MM-DD)')
    .option('--limit <n>', 'at most this many rows', wholeNumber('--limit', 1, 100_000), 200)
    .action((options: InterventionsOptions, command: Command) => {
      const { dbPath, json } = globals(command);
      if (options.status !== undefined && !(INTERVENTION_STATUSES as readonly string[]).includes(options.status)) {
        throw new UsageError(`--status must be one of ${INTERVENTION_STATUSES.join(', ')}, not "${options.status}".`);
      }
      if (options.asOf !== undefined && !isIsoDay(options.asOf))
        throw new UsageError(`--as-of must be a date (YYYY-MM-DD), not "${options.asOf}".`);
      const { db } = openDatabase(dbPath);
      try {
        const asOf = options.asOf ?? todayIso(new Date());
        runOutcomeEvaluation(db, { accountIds: null, asOf });
        const result = listInterventions(db, {
          status: (options.status as InterventionStatus | undefined) ?? null,
          triggerId: options.trigger ?? null,
          accountId: options.account ?? null,
          ownerEmail: options.owner ?? null,
          limit: options.limit,
        });
        emit(json, { as_of: asOf, total: result.total, counts: result.counts, interventions: result.rows }, () => {
          const merged = result.merged
            ? ` ${plural(result.merged, 'intervention')} merged from colleagues ${result.merged === 1 ? 'counts' : 'count'} in the outcome report ("foresight outcomes"); this list shows the ones logged in this book.`
            : '';
          if (result.rows.length === 0) return `No interventions of this book match.${merged}`;
          const lines = result.rows.map((r) =>
            [
              r.status.padEnd(9),
              (r.sent_at ?? r.planned_at ?? '').slice(0, 10).padEnd(10),
              `due ${r.due_on ?? '—'}`.padEnd(14),
              r.account_id.padEnd(14),
              r.trigger_id.padEnd(24),
              r.evidence ?? '',
            ].join('  '),
          );
          const counts = tallyText(tallyCounts(result.counts));
          return [
            `${plural(result.total, 'intervention')} as of ${asOf}${counts ? ` (${counts})` : ''}:`,
            ...lines,
          ].join('\n');
        });
      } finally {
        closeDatabase(db);
      }
    });
}
