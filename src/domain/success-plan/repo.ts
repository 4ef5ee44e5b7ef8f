/** SQL for account notes and success-plan goals (migration 19), as prepared statements per connection. */
import type { Db } from '../db/open.ts';
import { perConnection } from '../db/per-connection.ts';
import type { AccountGoal, AccountNote, GoalStatus } from '../../shared/dto/success-plan.ts';

interface NoteDbRow {
  note_id: number;
  account_id: string;
  noted_on: string;
  author_email: string | null;
  text: string;
  created_at: string;
  updated_at: string;
}

interface GoalDbRow {
  goal_id: number;
  account_id: string;
  title: string;
  due_on: string;
  status: GoalStatus;
  metric: string | null;
  created_at: string;
  updated_at: string;
}

const toNote = (r: NoteDbRow): AccountNote => ({
  noteId: r.note_id,
  accountId: r.account_id,
  notedOn: r.noted_on,
  authorEmail: r.author_email,
  text: r.text,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toGoal = (r: GoalDbRow): AccountGoal => ({
  goalId: r.goal_id,
  accountId: r.account_id,
  title: r.title,
  dueOn: r.due_on,
  status: r.status,
  metric: r.metric,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export type NewNote = Omit<NoteDbRow, 'note_id'>;
export type NoteChange = Pick<NoteDbRow, 'note_id' | 'noted_on' | 'text' | 'updated_at'>;
export type NewGoal = Omit<GoalDbRow, 'goal_id'>;
export type GoalChange = Omit<GoalDbRow, 'account_id' | 'created_at'>;

export const successPlanRepo = perConnection((db: Db) => {
  const notes = {
    insert: db.prepare<NewNote>(
      `INSERT INTO account_notes (account_id, noted_on, author_email, text, created_at, updated_at)
       VALUES (@account_id, @noted_on, @author_email, @text, @created_at, @updated_at)`,
    ),
    update: db.prepare<NoteChange>(
      'UPDATE account_notes SET noted_on = @noted_on, text = @text, updated_at = @updated_at WHERE note_id = @note_id',
    ),
    get: db.prepare<[number], NoteDbRow>('SELECT * FROM account_notes WHERE note_id = ?'),
    // Newest first; served by account_notes_account.
    forAccount: db.prepare<[string], NoteDbRow>(
      'SELECT * FROM account_notes WHERE account_id = ? ORDER BY noted_on DESC, note_id DESC',
    ),
    remove: db.prepare<[number]>('DELETE FROM account_notes WHERE note_id = ?'),
  };
  const goals = {
    insert: db.prepare<NewGoal>(
      `INSERT INTO account_goals (account_id, title, due_on, status, metric, created_at, updated_at)
       VALUES (@account_id, @title, @due_on, @status, @metric, @created_at, @updated_at)`,
    ),
    update: db.prepare<GoalChange>(
      `UPDATE account_goals SET title = @title, due_on = @due_on, status = @status, metric = @metric, updated_at = @updated_at
       WHERE goal_id = @goal_id`,
    ),
    get: db.prepare<[number], GoalDbRow>('SELECT * FROM account_goals WHERE goal_id = ?'),
    // Soonest target first; closed goals after the open ones.
    forAccount: db.prepare<[string], GoalDbRow>(
      `SELECT * FROM account_goals WHERE account_id = ?
       ORDER BY status IN ('done', 'dropped'), due_on, goal_id`,
    ),
    // The open goal with the soonest target day on or after asOf: what a template calls the next goal.
    next: db.prepare<{ accountId: string; asOf: string }, GoalDbRow>(
      `SELECT * FROM account_goals
       WHERE account_id = @accountId AND status IN ('planned', 'on_track', 'at_risk') AND due_on >= @asOf
       ORDER BY due_on, goal_id LIMIT 1`,
    ),
    remove: db.prepare<[number]>('DELETE FROM account_goals WHERE goal_id = ?'),
  };
  return {
    addNote(row: NewNote): AccountNote {
      const id = Number(notes.insert.run(row).lastInsertRowid);
      return toNote(notes.get.get(id)!);
    },
    updateNote(change: NoteChange): AccountNote | undefined {
      notes.update.run(change);
      const row = notes.get.get(change.note_id);
      return row && toNote(row);
    },
    note: (noteId: number): AccountNote | undefined => {
      const row = notes.get.get(noteId);
      return row && toNote(row);
    },
    notes: (accountId: string): AccountNote[] => notes.forAccount.all(accountId).map(toNote),
    removeNote: (noteId: number): boolean => notes.remove.run(noteId).changes > 0,

    addGoal(row: NewGoal): AccountGoal {
      const id = Number(goals.insert.run(row).lastInsertRowid);
      return toGoal(goals.get.get(id)!);
    },
    updateGoal(change: GoalChange): AccountGoal | undefined {
      goals.update.run(change);
      const row = goals.get.get(change.goal_id);
      return row && toGoal(row);
    },
    goal: (goalId: number): AccountGoal | undefined => {
      const row = goals.get.get(goalId);
      return row && toGoal(row);
    },
    goals: (accountId: string): AccountGoal[] => goals.forAccount.all(accountId).map(toGoal),
    nextGoal: (accountId: string, asOf: string): AccountGoal | undefined => {
      const row = goals.next.get({ accountId, asOf });
      return row && toGoal(row);
    },
    removeGoal: (goalId: number): boolean => goals.remove.run(goalId).changes > 0,
  };
});
