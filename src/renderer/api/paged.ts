/**
 * Infinite, server-paged lists for calls that take {offset, limit} and return Page<T>. The book can
 * hold 50,000 accounts, so lists load a page at a time as the table scrolls (see DataTable's
 * onEndReached) instead of asking for everything. Built on TanStack Query's useInfiniteQuery: a
 * reload after a change refetches every page the user has scrolled through, not just the first.
 */
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { ApiInput, ApiMethod, ApiOutput } from '../../shared/api.ts';
import type { Page } from '../../shared/dto/core.ts';
import { api, type ApiCallError } from './client.ts';
import { queryClient, type ReloadOn } from './query-client.ts';

/** API methods whose value is a Page<T>. */
export type PagedMethod = { [K in ApiMethod]: ApiOutput<K> extends Page<unknown> ? K : never }[ApiMethod];
export type RowOf<M extends PagedMethod> = ApiOutput<M> extends Page<infer Row> ? Row : never;
/** The method's input minus the paging fields, which this hook owns. */
export type PageFilter<M extends PagedMethod> = Omit<ApiInput<M>, 'offset' | 'limit'>;

export interface PagedOptions {
  /** Rows per request; the contract allows at most 1000. Default 200. */
  pageSize?: number;
  /**
   * Rows in the filter's first request, when fewer than pageSize paint sooner (a screenful or
   * two); the rest follow a page at a time as the table asks. Default pageSize.
   */
  firstPageSize?: number;
  /** As in useApiQuery: which data-changed kinds reload the list (default any; false = never). */
  reloadOn?: ReloadOn;
}

export interface PagedState<Row, Value = Page<Row>> {
  /** Rows loaded so far, in server order. Kept from the previous filter while a new one loads. */
  rows: Row[];
  /**
   * The first page's whole answer (totals and whatever else the call returns beside its rows), or
   * null before one arrives; like rows, kept from the previous filter while a new one loads. Saves
   * a second call for a list's header.
   */
  page: Value | null;
  /** Total rows matching the filter, or null before the first page arrives. */
  total: number | null;
  /** True while the filter's first page or a further page is loading. */
  loading: boolean;
  /**
   * True when the rows shown belong to the current filter: false while a new search loads, but
   * still true during a background reload of the same filter (so sorting and counts stay put).
   */
  current: boolean;
  error: ApiCallError | null;
  hasMore: boolean;
  loadMore: () => void;
  reload: () => void;
}

const MAX_LIMIT = 1000;

interface PageParam {
  offset: number;
  limit: number;
}

/** The cache key of a paged list: distinct from useApiQuery's, whose value is one page, not many. */
function pagedQueryKey<M extends PagedMethod>(method: M, filter: PageFilter<M>) {
  return ['paged', method, filter ?? {}] as const;
}

function pagedOptions<M extends PagedMethod>(
  method: M,
  filter: PageFilter<M>,
  firstPageSize: number,
  pageSize: number,
) {
  return {
    queryKey: pagedQueryKey(method, filter),
    queryFn: ({ pageParam }: { pageParam: PageParam }) =>
      api.call(method, { ...filter, ...pageParam } as ApiInput<M>) as Promise<ApiOutput<M> & Page<RowOf<M>>>,
    initialPageParam: { offset: 0, limit: Math.min(firstPageSize, MAX_LIMIT) } as PageParam,
    getNextPageParam: (last: Page<RowOf<M>>): PageParam | undefined => {
      const next = last.offset + last.rows.length;
      return next < last.total && last.rows.length > 0 ? { offset: next, limit: pageSize } : undefined;
    },
  };
}

export function usePagedQuery<M extends PagedMethod>(
  method: M,
  filter: PageFilter<M>,
  options: PagedOptions = {},
): PagedState<RowOf<M>, ApiOutput<M>> {
  const pageSize = Math.min(options.pageSize ?? 200, MAX_LIMIT);
  const firstPageSize = Math.min(options.firstPageSize ?? pageSize, pageSize);
  const query = useInfiniteQuery({
    ...pagedOptions(method, filter, firstPageSize, pageSize),
    placeholderData: keepPreviousData,
    meta: { reloadOn: options.reloadOn },
  });
  const { data, fetchNextPage, refetch, isFetching, isPlaceholderData, hasNextPage } = query;
  const rows = useMemo(() => data?.pages.flatMap((page) => page.rows) ?? [], [data]);
  const hasMore = hasNextPage && !isPlaceholderData;
  // One page at a time, and never while the list is being refetched (its offsets are moving). A
  // request made meanwhile is kept for when the fetch ends: the table asks only when its last row
  // comes into view, and would not ask again if the user stopped scrolling there.
  const filterJson = JSON.stringify(filter ?? {});
  const wanted = useRef<string | null>(null);
  const loadMore = useCallback(() => {
    if (!hasMore) return;
    if (isFetching) wanted.current = filterJson;
    else void fetchNextPage({ cancelRefetch: false });
  }, [hasMore, isFetching, fetchNextPage, filterJson]);
  useEffect(() => {
    if (isFetching || wanted.current === null) return;
    const still = wanted.current === filterJson && hasMore;
    wanted.current = null;
    if (still) void fetchNextPage({ cancelRefetch: false });
  }, [isFetching, hasMore, fetchNextPage, filterJson]);
  const reload = useCallback(() => void refetch(), [refetch]);
  return {
    rows,
    page: data?.pages[0] ?? null,
    total: data?.pages.at(-1)?.total ?? null,
    loading: isFetching,
    current: data !== undefined && !isPlaceholderData,
    error: isPlaceholderData ? null : query.error,
    hasMore,
    loadMore,
    reload,
  };
}

/** Starts a paged list's first page before the screen that shows it mounts (see routes.tsx). */
export function prefetchPaged<M extends PagedMethod>(
  method: M,
  filter: PageFilter<M>,
  firstPageSize: number,
  pageSize: number,
): void {
  void queryClient.prefetchInfiniteQuery(pagedOptions(method, filter, firstPageSize, pageSize));
}
