/**
 * Account notes: what everyone working on the account should know ("Budget is decided in
 * September", "Prefers email to calls"), dated and signed. Unlike a logged activity, a note is kept
 * up to date: it can be edited or deleted.
 */
import type { Db } from '../db/open.ts';
import { UserFacingError } from '../errors.ts';
import { NOTE_MAX, type AccountNote } from '../../shared/dto/success-plan.ts';
import { checkedAccount, checkedAuthor, checkedDay, checkedText } from './checks.ts';
import { successPlanRepo } from './repo.ts';

const NOTE_TEXT = { field: 'The note', required: 'Write the note; an empty note tells the next person nothing.' };

function checkedNoteDay(on: string | undefined, now: Date): string {
  const today = now.toISOString().slice(0, 10);
  if (on === undefined || on.trim() === '') return today;
  const day = checkedDay(on, "The note's date");
  if (day > today)
    throw new UserFacingError('INVALID_DATE', `The note's date ${day} is in the future; date it today or earlier.`);
  return day;
}

export function addNote(
  db: Db,
  input: { accountId: string; text: string; on?: string; authorEmail?: string | null },
  now: Date,
): AccountNote {
  const account = checkedAccount(db, input.accountId);
  return successPlanRepo(db).addNote({
    account_id: account.account_id,
    noted_on: checkedNoteDay(input.on, now),
    author_email: checkedAuthor(input.authorEmail, "The note's author"),
    text: checkedText(input.text, NOTE_MAX, NOTE_TEXT),
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
  });
}

function existingNote(db: Db, noteId: number): AccountNote {
  const note = successPlanRepo(db).note(noteId);
  if (!note) throw new UserFacingError('NOTE_NOT_FOUND', `There is no note ${noteId}; it may have been deleted.`);
  return note;
}

export function editNote(db: Db, input: { noteId: number; text: string; on?: string }, now: Date): AccountNote {
  const note = existingNote(db, input.noteId);
  return successPlanRepo(db).updateNote({
    note_id: note.noteId,
    noted_on: input.on === undefined ? note.notedOn : checkedNoteDay(input.on, now),
    text: checkedText(input.text, NOTE_MAX, NOTE_TEXT),
    updated_at: now.toISOString(),
  })!;
}

export function removeNote(db: Db, noteId: number): AccountNote {
  const note = existingNote(db, noteId);
  successPlanRepo(db).removeNote(noteId);
  return note;
}

/** The account's notes, newest first. */
export function listNotes(db: Db, accountId: string): AccountNote[] {
  checkedAccount(db, accountId);
  return successPlanRepo(db).notes(accountId);
}
