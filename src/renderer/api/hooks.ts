/**
 * React hooks over `api`, backed by the shared query cache (./query-client.ts). Screens describe
 * what they need (method + input) and get data, error and loading back; reloading after the data
 * changes elsewhere is automatic.
 */
import { keepPreviousData as keepPrevious, useMutation, useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useEffectEvent } from 'react';
import type { ApiEvent, ApiInput, ApiMethod, ApiOutput } from '../../shared/api.ts';
import { api, type ApiCallError } from './client.ts';
import { apiQueryKey, type ReloadOn } from './query-client.ts';

export interface QueryOptions {
  /** When false nothing is fetched (e.g. until a required id is known). Default true. */
  enabled?: boolean;
  /**
   * Keep showing the previous input's data while the new one loads, so a list does not blank out
   * on every keystroke of a search. Default false: a detail view must not show the wrong record.
   */
  keepPreviousData?: boolean;
  /**
   * Change kinds (e.g. ['accounts']) whose 'data-changed' events trigger a reload; 'all' (a restore,
   * a demo load) always does. Default: any change reloads. False: never (an editor's own draft).
   */
  reloadOn?: ReloadOn;
}

export interface QueryState<T> {
  /** The latest successful value; undefined until the first one arrives. */
  data: T | undefined;
  error: ApiCallError | null;
  /** True while a request for the current input is in flight, including background reloads. */
  loading: boolean;
  reload: () => void;
}

export function useApiQuery<M extends ApiMethod>(
  method: M,
  input: ApiInput<M>,
  options: QueryOptions = {},
): QueryState<ApiOutput<M>> {
  const { enabled = true, keepPreviousData = false, reloadOn } = options;
  const query = useQuery({
    queryKey: apiQueryKey(method, input),
    queryFn: () => api.call(method, input),
    enabled,
    placeholderData: keepPreviousData ? keepPrevious : undefined,
    meta: { reloadOn },
  });
  const { refetch } = query;
  const reload = useCallback(() => void refetch(), [refetch]);
  return {
    data: query.data,
    // While the previous input's data stands in, its error (if any) is not this input's.
    error: query.isPlaceholderData ? null : query.error,
    loading: enabled && query.isFetching,
    reload,
  };
}

export interface MutationState<M extends ApiMethod> {
  /** Runs the call; resolves to its value or rejects with ApiCallError (also kept in `error`). */
  run: (input: ApiInput<M>) => Promise<ApiOutput<M>>;
  running: boolean;
  error: ApiCallError | null;
  reset: () => void;
}

/**
 * For calls that change something: tracks running/error so buttons can show it. The app announces
 * what the call changed with a 'data-changed' event, which refreshes the queries that show it.
 */
export function useApiMutation<M extends ApiMethod>(method: M): MutationState<M> {
  const mutation = useMutation({ mutationFn: (input: ApiInput<M>) => api.call(method, input) });
  return { run: mutation.mutateAsync, running: mutation.isPending, error: mutation.error, reset: mutation.reset };
}

/** Subscribes to app events for the component's lifetime; the listener may change freely. */
export function useApiEvent(listener: (event: ApiEvent) => void): void {
  const onEvent = useEffectEvent(listener);
  useEffect(() => api.onEvent((event) => onEvent(event)), []);
}
