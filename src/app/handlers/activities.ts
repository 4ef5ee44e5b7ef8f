import { addActivity, listActivities } from '../../domain/activities/activities.ts';
import { metaRepo } from '../../domain/db/repos/meta.ts';
import type { HandlerMap } from '../dispatcher.ts';
import { rescoreTouchedAccount } from '../services/touch-rescore.ts';
import { OWNER_IDENTITY_KEY } from './risk.ts';

export const activityHandlers = {
  'activities.add': (input, ctx) => {
    const authorEmail = metaRepo(ctx.db).get(OWNER_IDENTITY_KEY) ?? null;
    const row = addActivity(ctx.db, { ...input, authorEmail }, ctx.now());
    rescoreTouchedAccount(ctx, row.account_id);
    return row;
  },
  'activities.list': (input, ctx) => listActivities(ctx.db, input.accountId),
} satisfies Partial<HandlerMap>;
