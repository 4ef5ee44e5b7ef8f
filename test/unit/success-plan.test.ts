/**
 * Account notes and the success plan on a real SQLite file: add, edit, delete and list; bad input
 * as one sentence; the next open goal as template tokens in the account's language; and the CLI.
 */
import { describe, expect, it } from 'vitest';
import { accountsRepo } from '../../src/domain/db/repos/accounts.ts';
import type { Db } from '../../src/domain/db/open.ts';
import { previewViewFor } from '../../src/domain/outreach/draft.ts';
import { checkTemplateText, renderText } from '../../src/domain/outreach/render.ts';
import { sampleView } from '../../src/domain/outreach/view.ts';
import {
  addGoal,
  editGoal,
  listGoals,
  nextGoal,
  parseGoalStatus,
  removeGoal,
} from '../../src/domain/success-plan/goals.ts';
import { addNote, editNote, listNotes, removeNote } from '../../src/domain/success-plan/notes.ts';
import type { AccountGoal, AccountNote } from '../../src/shared/dto/success-plan.ts';
import { runCli } from '../support/cli.ts';
import { sampleAccount, tempDb } from '../support/temp.ts';

const NOW = new Date('2026-03-10T10:00:00Z');
const TODAY = '2026-03-10';

function book(): Db {
  const { db } = tempDb();
  accountsRepo(db).upsert(sampleAccount());
  accountsRepo(db).upsert(sampleAccount({ account_id: 'acc_2', name: 'Globex', locale: 'en-US' }));
  return db;
}

describe('account notes', () => {
  it('adds dated, signed notes, lists them newest first, edits and deletes them', () => {
    const db = book();
    const first = addNote(
      db,
      { accountId: 'acc_1', text: ' Budget is decided in September ', on: '2026-02-01', authorEmail: 'me@x.example' },
      NOW,
    );
    const second = addNote(db, { accountId: 'acc_1', text: 'Prefers email to calls' }, NOW);
    expect(first).toMatchObject({
      notedOn: '2026-02-01',
      authorEmail: 'me@x.example',
      text: 'Budget is decided in September',
    });
    expect(second.notedOn).toBe(TODAY);
    expect(listNotes(db, 'acc_1').map((n) => n.noteId)).toEqual([second.noteId, first.noteId]);
    expect(listNotes(db, 'acc_2')).toEqual([]);

    const later = new Date('2026-03-11T09:00:00Z');
    const edited = editNote(db, { noteId: first.noteId, text: 'Budget is decided in October' }, later);
    expect(edited).toMatchObject({
      text: 'Budget is decided in October',
      notedOn: '2026-02-01',
      updatedAt: later.toISOString(),
    });
    removeNote(db, second.noteId);
    expect(listNotes(db, 'acc_1').map((n) => n.text)).toEqual(['Budget is decided in October']);
  });

  it('refuses bad input with one sentence each', () => {
    const db = book();
    expect(() => addNote(db, { accountId: 'nope', text: 'x' }, NOW)).toThrow('There is no account with the id "nope".');
    expect(() => addNote(db, { accountId: 'acc_1', text: '   ' }, NOW)).toThrow(/^Write the note/);
    expect(() => addNote(db, { accountId: 'acc_1', text: 'x'.repeat(5001) }, NOW)).toThrow(
      'The note is 5,001 characters; keep it to 5,000.',
    );
    expect(() => addNote(db, { accountId: 'acc_1', text: 'x', on: '2026-03-11' }, NOW)).toThrow(/in the future/);
    expect(() => addNote(db, { accountId: 'acc_1', text: 'x', on: '10/03/2026' }, NOW)).toThrow(
      `The note's date "10/03/2026" is not a day written as YYYY-MM-DD.`,
    );
    expect(() => addNote(db, { accountId: 'acc_1', text: 'x', authorEmail: 'not an email' }, NOW)).toThrow(
      'The note\'s author "not an email" is not an email address.',
    );
    expect(addNote(db, { accountId: 'acc_1', text: 'x', authorEmail: ' maya@example.com ' }, NOW).authorEmail).toBe(
      'maya@example.com',
    );
    expect(() => removeNote(db, 99)).toThrow('There is no note 99; it may have been deleted.');
  });
});

describe('success-plan goals', () => {
  it('keeps open goals by target day before closed ones, and changes only the fields given', () => {
    const db = book();
    const rollout = addGoal(
      db,
      { accountId: 'acc_1', title: 'Roll out to support', due: '2026-05-01', metric: '40 weekly users' },
      NOW,
    );
    const qbr = addGoal(db, { accountId: 'acc_1', title: 'First QBR', due: '2026-04-01', status: 'on track' }, NOW);
    const sso = addGoal(db, { accountId: 'acc_1', title: 'Turn on SSO', due: '2026-03-20' }, NOW);
    expect(rollout.status).toBe('planned');
    expect(qbr.status).toBe('on_track');
    editGoal(db, { goalId: sso.goalId, status: 'done' }, NOW);
    expect(listGoals(db, 'acc_1').map((g) => [g.title, g.status])).toEqual([
      ['First QBR', 'on_track'],
      ['Roll out to support', 'planned'],
      ['Turn on SSO', 'done'],
    ]);
    const moved = editGoal(db, { goalId: rollout.goalId, due: '2026-06-01', metric: '' }, NOW);
    expect(moved).toMatchObject({ title: 'Roll out to support', dueOn: '2026-06-01', metric: null, status: 'planned' });
    removeGoal(db, qbr.goalId);
    expect(listGoals(db, 'acc_1')).toHaveLength(2);
  });

  it('the next goal is the soonest open one on or after the day; past, done and dropped goals are not next', () => {
    const db = book();
    addGoal(db, { accountId: 'acc_1', title: 'Overdue', due: '2026-03-01' }, NOW);
    const done = addGoal(db, { accountId: 'acc_1', title: 'Done already', due: '2026-03-15', status: 'done' }, NOW);
    addGoal(db, { accountId: 'acc_1', title: 'Later', due: '2026-06-01' }, NOW);
    const soon = addGoal(db, { accountId: 'acc_1', title: 'Soon', due: '2026-04-01', status: 'at risk' }, NOW);
    expect(nextGoal(db, 'acc_1', TODAY)?.goalId).toBe(soon.goalId);
    editGoal(db, { goalId: soon.goalId, status: 'dropped' }, NOW);
    expect(nextGoal(db, 'acc_1', TODAY)?.title).toBe('Later');
    expect(nextGoal(db, 'acc_2', TODAY)).toBeNull();
    expect(done.status).toBe('done');
  });

  it('reads a status the way people write it and refuses others in a sentence', () => {
    expect(parseGoalStatus('On-Track')).toBe('on_track');
    expect(parseGoalStatus('at risk')).toBe('at_risk');
    expect(() => parseGoalStatus('finished')).toThrow(
      'The goal status "finished" is not one of planned, on track, at risk, done, dropped.',
    );
    const db = book();
    expect(() => addGoal(db, { accountId: 'acc_1', title: '', due: '2026-04-01' }, NOW)).toThrow(/^Name the goal/);
    expect(() => addGoal(db, { accountId: 'acc_1', title: 'x', due: 'next week' }, NOW)).toThrow(
      `The goal's target date "next week" is not a day written as YYYY-MM-DD.`,
    );
    expect(() => editGoal(db, { goalId: 7, status: 'done' }, NOW)).toThrow(
      'There is no goal 7; it may have been deleted.',
    );
  });
});

describe('the next goal as template tokens', () => {
  const TEXT =
    '{{#next_goal.title}}Next: {{next_goal.title}} by {{next_goal.due}}{{#next_goal.metric}} ({{next_goal.metric}}){{/next_goal.metric}}.{{/next_goal.title}}';

  it('are known to the template check', () => {
    expect(checkTemplateText(TEXT, 'body')).toEqual([]);
    expect(checkTemplateText('{{next_goal.titel}}', 'body')[0]?.message).toContain('did you mean {{next_goal.title}}?');
  });

  it("render the account's next goal with its date written in the account's language, and nothing without one", () => {
    const db = book();
    addGoal(
      db,
      { accountId: 'acc_1', title: 'Roll out to support', due: '2026-04-30', metric: '40 weekly users' },
      NOW,
    );
    addGoal(db, { accountId: 'acc_2', title: 'First QBR', due: '2026-04-30' }, NOW);
    // acc_1 is German (de-DE): an English template writes the date in English with the region's order.
    expect(renderText(TEXT, previewViewFor(db, 'acc_1', null, NOW).view)).toBe(
      'Next: Roll out to support by 30 April 2026 (40 weekly users).',
    );
    expect(renderText(TEXT, previewViewFor(db, 'acc_2', null, NOW).view)).toBe('Next: First QBR by April 30, 2026.');
    const empty = tempDb().db;
    accountsRepo(empty).upsert(sampleAccount());
    expect(renderText(TEXT, previewViewFor(empty, 'acc_1', null, NOW).view)).toBe('');
  });

  it('the sample view has a goal, so the editor previews the tokens', () => {
    expect(renderText(TEXT, sampleView(null, TODAY))).toBe(
      'Next: Roll out to the support team by April 24, 2026 (40 weekly active users).',
    );
  });
});

describe('foresight note / notes / goal / goals', () => {
  it('adds, lists as JSON, changes a status and refuses a bad one in a sentence', () => {
    const { db, path } = tempDb();
    accountsRepo(db).upsert(sampleAccount());
    db.close();
    const note = runCli([
      'note',
      'add',
      'acc_1',
      '--text',
      'Budget in September',
      '--author',
      'me@x.example',
      '--db',
      path,
      '--json',
    ]);
    expect(note.code).toBe(0);
    expect(note.json<AccountNote>()).toMatchObject({
      accountId: 'acc_1',
      text: 'Budget in September',
      authorEmail: 'me@x.example',
    });

    const goal = runCli([
      'goal',
      'add',
      'acc_1',
      '--title',
      'First QBR',
      '--due',
      '2026-04-30',
      '--db',
      path,
      '--json',
    ]).json<AccountGoal>();
    const set = runCli(['goal', 'set', String(goal.goalId), '--status', 'at risk', '--db', path]);
    expect(set.stdout).toContain(`#${goal.goalId}  due 2026-04-30  At risk`);
    const goals = runCli(['goals', 'acc_1', '--db', path, '--json']).json<{ goals: AccountGoal[] }>().goals;
    expect(goals.map((g) => [g.title, g.status])).toEqual([['First QBR', 'at_risk']]);

    // An open goal past its day is "Overdue", as on the account page; a done one is not.
    const old = runCli(['goal', 'add', 'acc_1', '--title', 'Kick-off', '--due', '2020-01-15', '--db', path, '--json']);
    const oldId = old.json<AccountGoal>().goalId;
    expect(runCli(['goals', 'acc_1', '--db', path]).stdout).toContain(`#${oldId}  due 2020-01-15  Planned, overdue`);
    runCli(['goal', 'set', String(oldId), '--status', 'done', '--db', path]);
    expect(runCli(['goals', 'acc_1', '--db', path]).stdout).toMatch(
      new RegExp(`#${oldId}  due 2020-01-15  Done +Kick-off`),
    );

    const bad = runCli(['goal', 'set', String(goal.goalId), '--status', 'finished', '--db', path]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr.trim()).toBe(
      'The goal status "finished" is not one of planned, on track, at risk, done, dropped.',
    );
  });
});
