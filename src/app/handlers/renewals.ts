import { todayIso } from '../../domain/contract/dates.ts';
import { renewalsReport } from '../../domain/renewals/renewals.ts';
import type { HandlerMap } from '../dispatcher.ts';
import { ownerFilter } from './risk.ts';

export const renewalHandlers = {
  'renewals.list': (input, ctx) =>
    renewalsReport(ctx.db, {
      asOf: input.asOf ?? todayIso(ctx.now()),
      withinDays: input.withinDays,
      owner: ownerFilter(ctx, input.owner),
    }),
} satisfies Partial<HandlerMap>;
