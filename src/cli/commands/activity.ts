import type { Command } from 'commander';
import { addActivity, listActivities } from '../../domain/activities/activities.ts';
import { todayIso } from '../../domain/contract/dates.ts';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { rescoreAfterChange, snapshotStaleness } from '../../domain/risk/rescore.ts';
import { ACTIVITY_TYPES, type ActivityRow, type ActivityType } from '../../shared/dto/activities.ts';
import { emit, UsageError } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';

interface AddOptions {
  type: string;
  at?: string;
  contact?: string;
  summary: string;
  outcome?: string;
}

function line(a: ActivityRow): string {
  const who = a.contact_name ?? a.contact_id;
  const touch = a.is_touch ? '' : ' (note, not a touch)';
  return `${a.occurred_at.slice(0, 10)}  ${a.type.padEnd(7)} ${who ? `with ${who}: ` : ''}${a.summary}${a.outcome ? ` → ${a.outcome}` : ''}${touch}`;
}

export function registerActivity(program: Command): void {
  const activity = program.command('activity').description('log what you did with an account');
  withGlobalOptions(activity.command('add'))
    .description('log a call, meeting, email or note; all but a note count as a CSM touch')
    .argument('<account_id>', 'the account')
    .requiredOption('--type <type>', ACTIVITY_TYPES.join('|'))
    .requiredOption('--summary <text>', 'what happened')
    .option('--at <date>', 'when (YYYY-MM-DD or ISO 8601 time; default now)')
    .option('--contact <id>', "the contact's id")
    .option('--outcome <text>', 'the result, e.g. "agreed to a QBR"')
    .action((accountId: string, options: AddOptions, command: Command) => {
      const { dbPath, json } = globals(command);
      if (!(ACTIVITY_TYPES as readonly string[]).includes(options.type))
        throw new UsageError(`--type must be one of ${ACTIVITY_TYPES.join(', ')}, not "${options.type}".`);
      const { db } = openDatabase(dbPath);
      try {
        const now = new Date();
        const row = addActivity(
          db,
          {
            accountId,
            type: options.type as ActivityType,
            at: options.at,
            contactId: options.contact ?? null,
            summary: options.summary,
            outcome: options.outcome ?? null,
          },
          now,
        );
        // Today's stored scores, if current, take the touch at once; otherwise the next scoring does.
        const asOf = todayIso(now);
        if (row.is_touch && snapshotStaleness(db, asOf) === 'current')
          rescoreAfterChange(db, { accountIds: [accountId], asOf, now: now.toISOString() });
        emit(json, row, () => `Logged ${row.type} ${row.activity_id} for ${accountId}.\n${line(row)}`);
      } finally {
        closeDatabase(db);
      }
    });
}

export function registerActivities(program: Command): void {
  withGlobalOptions(program.command('activities'))
    .description("an account's logged calls, meetings, emails and notes, newest first")
    .argument('<account_id>', 'the account')
    .action((accountId: string, _options: unknown, command: Command) => {
      const { dbPath, json } = globals(command);
      const { db } = openDatabase(dbPath);
      try {
        const rows = listActivities(db, accountId);
        emit(json, { accountId, activities: rows }, () =>
          rows.length === 0 ? `No activities logged for ${accountId} yet.` : rows.map(line).join('\n'),
        );
      } finally {
        closeDatabase(db);
      }
    });
}
