import { accountsGrid } from '../../domain/accounts/grid.ts';
import { todayIso } from '../../domain/contract/dates.ts';
import { accountsRepo } from '../../domain/db/repos/accounts.ts';
import { snapshotStaleness } from '../../domain/risk/rescore.ts';
import { gridExportTitle, type AccountStatus } from '../../shared/dto/accounts-grid.ts';
import type { ExportResult } from '../../shared/dto/interventions.ts';
import { deliverFile } from '../services/deliver-file.ts';
import type { AppContext } from '../context.ts';
import type { HandlerMap } from '../dispatcher.ts';
import { progressReporter } from './progress.ts';
import { ownerFilter, scheduleScoring } from './risk.ts';

type Filters = {
  asOf?: string;
  search: string;
  band?: 'red' | 'yellow' | 'green' | null;
  segment?: string | null;
  status?: AccountStatus | null;
  owner: string;
};

const query = (ctx: AppContext, input: Filters) => ({
  asOf: input.asOf ?? todayIso(ctx.now()),
  search: input.search,
  band: input.band ?? null,
  segment: input.segment ?? null,
  status: input.status ?? null,
  owner: ownerFilter(ctx, input.owner),
});

export const accountsGridHandlers = {
  'accounts.grid': (input, ctx) => {
    const asOf = input.asOf ?? todayIso(ctx.now());
    // As on Today: a book not yet scored for the day is scored in the background; the grid reloads after.
    if (input.offset === 0 && snapshotStaleness(ctx.db, asOf) !== 'current' && accountsRepo(ctx.db).count() > 0)
      void scheduleScoring(ctx, asOf).catch(() => undefined);
    return accountsGrid(ctx.db, {
      ...query(ctx, input),
      sort: input.sort,
      direction: input.direction,
      offset: input.offset,
      limit: input.limit,
    });
  },
  /**
   * The grid's current view as a file: saved through the native dialog, or returned for a
   * download. A job (a worker thread), so other requests are answered while it reads the book.
   */
  'accounts.export': async (input, ctx): Promise<ExportResult> => {
    const label = gridExportTitle(input.format);
    const file = await ctx.jobs.run(
      'accounts.export',
      {
        query: { ...query(ctx, input), sort: input.sort, direction: input.direction },
        columns: [...input.columns],
        format: input.format,
      },
      { label, onProgress: progressReporter(ctx, label) },
    );
    return deliverFile(ctx, { ...file, format: input.format });
  },
} satisfies Partial<HandlerMap>;
