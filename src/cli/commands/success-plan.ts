/**
 * Account notes and the success plan from the command line:
 * `note add`, `note edit`, `note delete`, `notes`, `goal add`, `goal set`, `goal delete`, `goals`.
 */
import type { Command } from 'commander';
import type { Db } from '../../domain/db/open.ts';
import { closeDatabase, openDatabase } from '../../domain/db/open.ts';
import { metaRepo } from '../../domain/db/repos/meta.ts';
import { todayIso } from '../../domain/contract/dates.ts';
import { addGoal, editGoal, listGoals, removeGoal } from '../../domain/success-plan/goals.ts';
import { addNote, editNote, listNotes, removeNote } from '../../domain/success-plan/notes.ts';
import {
  GOAL_STATUS_LABELS,
  GOAL_STATUSES,
  isGoalOverdue,
  type AccountGoal,
  type AccountNote,
} from '../../shared/dto/success-plan.ts';
import { OWNER_IDENTITY_KEY } from '../../app/handlers/risk.ts';
import { emit, UsageError } from '../io.ts';
import { globals, withGlobalOptions } from '../options.ts';

const STATUS_HELP = GOAL_STATUSES.join('|');

function noteLine(n: AccountNote): string {
  return `#${n.noteId}  ${n.notedOn}  ${n.authorEmail ?? 'unsigned'}: ${n.text}`;
}

/** One goal; an open goal past its target day says "Overdue", as on the account page. */
function goalLine(g: AccountGoal, today: string): string {
  const status = `${GOAL_STATUS_LABELS[g.status]}${isGoalOverdue(g, today) ? ', overdue' : ''}`;
  return `#${g.goalId}  due ${g.dueOn}  ${status.padEnd(8)}  ${g.title}${g.metric ? ` (metric: ${g.metric})` : ''}`;
}

/** "#3" and "3" both name note or goal 3. */
function parseId(value: string, what: 'note' | 'goal'): number {
  const id = Number(value.replace(/^#/, ''));
  if (!Number.isInteger(id) || id <= 0)
    throw new UsageError(
      `The ${what} id must be a whole number such as 3 (see "foresight ${what}s <account>"), not "${value}".`,
    );
  return id;
}

function withDb<T>(command: Command, run: (db: Db) => T): T {
  const { dbPath } = globals(command);
  const { db } = openDatabase(dbPath);
  try {
    return run(db);
  } finally {
    closeDatabase(db);
  }
}

export function registerNote(program: Command): void {
  const note = program.command('note').description("keep an account's notes: what everyone working on it should know");
  withGlobalOptions(note.command('add'))
    .description('add a dated note, signed with your owner email')
    .argument('<account_id>', 'the account')
    .requiredOption('--text <text>', 'the note')
    .option('--on <date>', 'the day it is about (YYYY-MM-DD; default today)')
    .option('--author <email>', 'who wrote it (default: your owner email from Settings)')
    .action((accountId: string, options: { text: string; on?: string; author?: string }, command: Command) => {
      const { json } = globals(command);
      withDb(command, (db) => {
        const authorEmail = options.author ?? metaRepo(db).get(OWNER_IDENTITY_KEY) ?? null;
        const row = addNote(db, { accountId, text: options.text, on: options.on, authorEmail }, new Date());
        emit(json, row, () => `Added note #${row.noteId} to ${accountId}.\n${noteLine(row)}`);
      });
    });
  withGlobalOptions(note.command('edit'))
    .description("change a note's text (and day)")
    .argument('<note_id>', 'the note, e.g. 3')
    .requiredOption('--text <text>', 'the new text')
    .option('--on <date>', 'the day it is about (YYYY-MM-DD)')
    .action((id: string, options: { text: string; on?: string }, command: Command) => {
      const { json } = globals(command);
      withDb(command, (db) => {
        const row = editNote(db, { noteId: parseId(id, 'note'), text: options.text, on: options.on }, new Date());
        emit(json, row, () => `Changed note #${row.noteId}.\n${noteLine(row)}`);
      });
    });
  withGlobalOptions(note.command('delete'))
    .description('delete a note')
    .argument('<note_id>', 'the note, e.g. 3')
    .action((id: string, _options: unknown, command: Command) => {
      const { json } = globals(command);
      withDb(command, (db) => {
        const row = removeNote(db, parseId(id, 'note'));
        emit(json, row, () => `Deleted note #${row.noteId} of ${row.accountId}.`);
      });
    });
}

export function registerNotes(program: Command): void {
  withGlobalOptions(program.command('notes'))
    .description("an account's notes, newest first")
    .argument('<account_id>', 'the account')
    .action((accountId: string, _options: unknown, command: Command) => {
      const { json } = globals(command);
      withDb(command, (db) => {
        const notes = listNotes(db, accountId);
        emit(json, { accountId, notes }, () =>
          notes.length === 0 ? `No notes for ${accountId} yet.` : notes.map(noteLine).join('\n'),
        );
      });
    });
}

interface GoalOptions {
  title?: string;
  due?: string;
  status?: string;
  metric?: string;
}

export function registerGoal(program: Command): void {
  const goal = program.command('goal').description("keep an account's success plan: goals with target dates");
  withGlobalOptions(goal.command('add'))
    .description('add a goal to the success plan')
    .argument('<account_id>', 'the account')
    .requiredOption('--title <text>', 'the goal, e.g. "Roll out to the support team"')
    .requiredOption('--due <date>', 'the target day (YYYY-MM-DD)')
    .option('--status <status>', `${STATUS_HELP} (default planned)`)
    .option('--metric <text>', 'how success is measured, e.g. "40 weekly active users"')
    .action((accountId: string, options: GoalOptions, command: Command) => {
      const { json } = globals(command);
      withDb(command, (db) => {
        const row = addGoal(
          db,
          {
            accountId,
            title: options.title ?? '',
            due: options.due ?? '',
            status: options.status,
            metric: options.metric,
          },
          new Date(),
        );
        emit(json, row, () => `Added goal #${row.goalId} to ${accountId}.\n${goalLine(row, todayIso())}`);
      });
    });
  withGlobalOptions(goal.command('set'))
    .description("change a goal's status, title, target day or metric")
    .argument('<goal_id>', 'the goal, e.g. 3')
    .option('--status <status>', STATUS_HELP)
    .option('--title <text>', 'the new title')
    .option('--due <date>', 'the new target day (YYYY-MM-DD)')
    .option('--metric <text>', 'the new metric ("" removes it)')
    .action((id: string, options: GoalOptions, command: Command) => {
      const { json } = globals(command);
      if (Object.values(options).every((value) => value === undefined))
        throw new UsageError('Say what to change: --status, --title, --due or --metric.');
      withDb(command, (db) => {
        const row = editGoal(db, { goalId: parseId(id, 'goal'), ...options }, new Date());
        emit(json, row, () => `Changed goal #${row.goalId}.\n${goalLine(row, todayIso())}`);
      });
    });
  withGlobalOptions(goal.command('delete'))
    .description('delete a goal')
    .argument('<goal_id>', 'the goal, e.g. 3')
    .action((id: string, _options: unknown, command: Command) => {
      const { json } = globals(command);
      withDb(command, (db) => {
        const row = removeGoal(db, parseId(id, 'goal'));
        emit(json, row, () => `Deleted goal #${row.goalId} of ${row.accountId}.`);
      });
    });
}

export function registerGoals(program: Command): void {
  withGlobalOptions(program.command('goals'))
    .description("an account's success plan: open goals by target day, then done and dropped ones")
    .argument('<account_id>', 'the account')
    .action((accountId: string, _options: unknown, command: Command) => {
      const { json } = globals(command);
      withDb(command, (db) => {
        const goals = listGoals(db, accountId);
        emit(json, { accountId, goals }, () =>
          goals.length === 0
            ? `No goals in ${accountId}'s success plan yet.`
            : goals.map((g) => goalLine(g, todayIso())).join('\n'),
        );
      });
    });
}
