import { savedViews } from '../../domain/views/saved-views.ts';
import type { HandlerMap } from '../dispatcher.ts';

export const viewHandlers = {
  'views.list': (input, ctx) => savedViews(ctx.db).list(input.screen),
  'views.save': (input, ctx) =>
    savedViews(ctx.db).save(input.screen, input.name, input.query, ctx.now(), input.replace),
  'views.rename': (input, ctx) => savedViews(ctx.db).rename(input.screen, input.from, input.to, ctx.now()),
  'views.remove': (input, ctx) => savedViews(ctx.db).remove(input.screen, input.name),
} satisfies Partial<HandlerMap>;
