import { todayIso } from '../../domain/contract/dates.ts';
import { accountsRepo } from '../../domain/db/repos/accounts.ts';
import { META_KEYS, metaRepo } from '../../domain/db/repos/meta.ts';
import type { ApiParsedInput } from '../../shared/api.ts';
import type { HandlerMap } from '../dispatcher.ts';
import { newestDataOn } from '../../domain/risk/rescore.ts';
import { readStatus } from '../services/status.ts';
import { progressReporter } from './progress.ts';

export const coreHandlers = {
  'app.status': (_input, ctx) => readStatus(ctx.db, ctx.dbPath, ctx.now(), newestDataOn),

  'demo.load': async (input, ctx) => {
    const label = `Loading ${input.accounts.toLocaleString('en')} demo accounts`;
    await ctx.jobs.run(
      'demo.load',
      { accounts: input.accounts, seed: input.seed, asOf: todayIso(ctx.now()) },
      { label, onProgress: progressReporter(ctx, label) },
    );
    metaRepo(ctx.db).remove(META_KEYS.demoDismissed);
    ctx.emit({ type: 'data-changed', kinds: ['all'] });
    return await readStatus(ctx.db, ctx.dbPath, ctx.now(), newestDataOn);
  },

  'demo.clear': async (_input, ctx) => {
    await ctx.jobs.run(
      'demo.clear',
      { asOf: todayIso(ctx.now()) },
      { label: 'Clearing demo data', onProgress: progressReporter(ctx, 'Clearing demo data') },
    );
    metaRepo(ctx.db).set(META_KEYS.demoDismissed, '1');
    ctx.emit({ type: 'data-changed', kinds: ['all'] });
    return await readStatus(ctx.db, ctx.dbPath, ctx.now(), newestDataOn);
  },

  'app.reportError': (input, ctx) => {
    ctx.log(describeRendererError(input));
    return { logged: true };
  },

  'accounts.list': (input, ctx) => {
    const { rows, total } = accountsRepo(ctx.db).search(input.search.trim(), input.offset, input.limit);
    return { rows, total, offset: input.offset };
  },
} satisfies Partial<HandlerMap>;

/** One log entry for a renderer failure: where, what, and both stacks (the JS one and React's). */
function describeRendererError(report: ApiParsedInput<'app.reportError'>): string {
  const where = report.screen ? ` on ${report.screen}` : '';
  return [
    `[renderer] ${report.source}${where}: ${report.message}`,
    report.stack ?? '(no stack)',
    ...(report.componentStack ? [`React components:${report.componentStack}`] : []),
  ].join('\n');
}
