/**
 * The risk.list input of the Today screen, in one place: the screen builds it from its state, and
 * the app's launch prefetches the first page with it (routes.tsx), so both must make the same
 * request (the query cache matches them by method and input).
 */
import type { ApiInput } from '../../../shared/api.ts';
import type { Band, RiskSortColumn } from '../../../shared/dto/risk.ts';
import { prefetchPaged } from '../../api/paged.ts';
import { prefetchApi } from '../../api/query-client.ts';

/** Rows in the first request for a filter: two screenfuls; the rest come 200 at a time. */
export const FIRST_PAGE_ROWS = 50;
export const PAGE_ROWS = 200;

export type TodayFilter = Omit<ApiInput<'risk.list'>, 'offset' | 'limit'>;

export function todayAsOf(query: URLSearchParams): string | undefined {
  const asOf = query.get('asOf');
  return asOf && /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? asOf : undefined;
}

export function todayFilter(options: {
  asOf: string | undefined;
  owner: string;
  segment: string | null;
  band: Band | null;
  trigger: string | null;
  search: string;
  sort: RiskSortColumn;
  direction: 'asc' | 'desc';
}): TodayFilter {
  return {
    ...(options.asOf ? { asOf: options.asOf } : {}),
    owner: options.owner,
    segment: options.segment,
    band: options.band,
    trigger: options.trigger,
    search: options.search,
    sort: options.sort,
    direction: options.direction,
  };
}

/**
 * Performance (docs/performance.md, "UI: first rows"): asks for what Today asks first (its facets
 * and the first page as everyone's list, ranked), while the shell is still starting, so the answer
 * is there or on its way when the screen mounts.
 */
export function prefetchToday(query: URLSearchParams): void {
  prefetchApi('risk.facets', {});
  const filter = todayFilter({
    asOf: todayAsOf(query),
    owner: 'all',
    segment: null,
    band: null,
    trigger: null,
    search: '',
    sort: 'rank',
    direction: 'asc',
  });
  prefetchPaged('risk.list', filter, FIRST_PAGE_ROWS, PAGE_ROWS);
}
