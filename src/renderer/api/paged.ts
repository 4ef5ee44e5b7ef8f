/**
 * Infinite, server-paged lists for calls that take {offset, limit} and return Page<T>. The book can
 * hold 50,000 accounts, so lists load a page at a time as the table scrolls (see DataTable's
 * onEndReached) instead of asking for everything.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiInput, ApiMethod, ApiOutput } from '../../shared/api.ts';
import type { Page } from '../../shared/dto/core.ts';
import { api, ApiCallError } from './client.ts';
import { useDataChanged } from './hooks.ts';

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
  reloadOn?: readonly string[] | false;
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

interface Loaded<Row, Value> {
  key: string;
  filterKey: string;
  rows: Row[];
  page: Value | null;
  total: number | null;
  error: ApiCallError | null;
}

const MAX_LIMIT = 1000;

export function usePagedQuery<M extends PagedMethod>(
  method: M,
  filter: PageFilter<M>,
  options: PagedOptions = {},
): PagedState<RowOf<M>, ApiOutput<M>> {
  const pageSize = Math.min(options.pageSize ?? 200, MAX_LIMIT);
  const firstPageSize = Math.min(options.firstPageSize ?? pageSize, pageSize);
  const filterJson = JSON.stringify(filter ?? {});
  const [version, setVersion] = useState(0);
  const filterKey = `${method}\n${filterJson}`;
  const key = `${filterKey}\n${version}`;
  const [loaded, setLoaded] = useState<Loaded<RowOf<M>, ApiOutput<M>>>({
    key: '',
    filterKey: '',
    rows: [],
    page: null,
    total: null,
    error: null,
  });
  const [moreInFlight, setMoreInFlight] = useState<string | null>(null);
  // How many rows the user has scrolled through, so a reload refetches them rather than
  // collapsing the list back to one page under their scroll position.
  const loadedCount = useRef(0);
  const inFlight = useRef<string | null>(null);
  const lastFilter = useRef<string | null>(null);

  const fetchPage = useCallback(
    (offset: number, limit: number) =>
      api.result(method, { ...(JSON.parse(filterJson) as object), offset, limit } as ApiInput<M>),
    [method, filterJson],
  );

  useEffect(() => {
    let current = true;
    // A new filter starts from the top; only a reload of the same filter keeps its depth.
    if (lastFilter.current !== filterKey) loadedCount.current = 0;
    lastFilter.current = filterKey;
    const limit = Math.min(Math.max(firstPageSize, loadedCount.current), MAX_LIMIT);
    void fetchPage(0, limit).then((result) => {
      if (!current) return;
      if (result.ok) {
        const page = result.value as Page<RowOf<M>>;
        loadedCount.current = page.rows.length;
        setLoaded({ key, filterKey, rows: page.rows, page: result.value, total: page.total, error: null });
      } else {
        setLoaded((previous) => ({ ...previous, key, filterKey, error: new ApiCallError(method, result.error) }));
      }
    });
    return () => {
      current = false;
    };
  }, [key, filterKey, fetchPage, firstPageSize, method]);

  const isCurrent = loaded.key === key;
  const hasMore = isCurrent && loaded.total !== null && loaded.rows.length < loaded.total;

  const loadMore = useCallback(() => {
    if (!hasMore || inFlight.current === key) return;
    inFlight.current = key;
    setMoreInFlight(key);
    void fetchPage(loaded.rows.length, pageSize).then((result) => {
      if (inFlight.current === key) inFlight.current = null;
      setMoreInFlight((k) => (k === key ? null : k));
      setLoaded((previous) => {
        if (previous.key !== key) return previous;
        if (!result.ok) return { ...previous, error: new ApiCallError(method, result.error) };
        const page = result.value as Page<RowOf<M>>;
        // Drop the page if another loadMore already appended this offset.
        if (page.offset !== previous.rows.length) return previous;
        const rows = previous.rows.concat(page.rows);
        loadedCount.current = rows.length;
        return { ...previous, rows, total: page.total, error: null };
      });
    });
  }, [hasMore, key, fetchPage, loaded.rows.length, pageSize, method]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  useDataChanged(reload, options.reloadOn);

  return {
    rows: loaded.rows,
    page: loaded.page,
    total: loaded.total,
    loading: !isCurrent || moreInFlight === key,
    current: loaded.filterKey === filterKey,
    error: isCurrent ? loaded.error : null,
    hasMore,
    loadMore,
    reload,
  };
}
