/** Account notes and the success plan's goals. Each change is announced as 'success-plan'. */
import { metaRepo } from '../../domain/db/repos/meta.ts';
import { addGoal, editGoal, listGoals, removeGoal } from '../../domain/success-plan/goals.ts';
import { addNote, editNote, listNotes, removeNote } from '../../domain/success-plan/notes.ts';
import type { AppContext } from '../context.ts';
import type { HandlerMap } from '../dispatcher.ts';
import { OWNER_IDENTITY_KEY } from './risk.ts';

function announced<T>(ctx: AppContext, value: T): T {
  ctx.emit({ type: 'data-changed', kinds: ['success-plan'] });
  return value;
}

export const successPlanHandlers = {
  'notes.list': (input, ctx) => listNotes(ctx.db, input.accountId),
  'notes.add': (input, ctx) => {
    // Signed by "me" (Settings → Preferences), the same identity activities are logged under.
    const authorEmail = metaRepo(ctx.db).get(OWNER_IDENTITY_KEY) ?? null;
    return announced(ctx, addNote(ctx.db, { ...input, authorEmail }, ctx.now()));
  },
  'notes.edit': (input, ctx) => announced(ctx, editNote(ctx.db, input, ctx.now())),
  'notes.remove': (input, ctx) => announced(ctx, removeNote(ctx.db, input.noteId)),
  'goals.list': (input, ctx) => listGoals(ctx.db, input.accountId),
  'goals.add': (input, ctx) => announced(ctx, addGoal(ctx.db, input, ctx.now())),
  'goals.edit': (input, ctx) => announced(ctx, editGoal(ctx.db, input, ctx.now())),
  'goals.remove': (input, ctx) => announced(ctx, removeGoal(ctx.db, input.goalId)),
} satisfies Partial<HandlerMap>;
