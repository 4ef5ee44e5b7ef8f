/**
 * React hooks over `api`. Screens describe what they need (method + input) and get data, error
 * and loading back; reloading after the data changes elsewhere is automatic.
 */
import { useCallback, useEffect, useEffectEvent, useMemo, useState } from 'react';
import type { ApiEvent, ApiInput, ApiMethod, ApiOutput, ApiResult } from '../../shared/api.ts';
import { api, ApiCallError } from './client.ts';

export interface QueryOptions {
  /** When false nothing is fetched (e.g. until a required id is known). Default true. */
  enabled?: boolean;
  /**
   * Keep showing the previous input's data while the new one loads, so a list does not blank out
   * on every keystroke of a search. Default false: a detail view must not show the wrong record.
   */
  keepPreviousData?: boolean;
  /**
   * Record kinds (e.g. ['accounts']) whose 'data-changed' events trigger a reload. Default: any
   * change reloads. Pass false to never reload automatically.
   */
  reloadOn?: readonly string[] | false;
}

export interface QueryState<T> {
  /** The latest successful value; undefined until the first one arrives. */
  data: T | undefined;
  error: ApiCallError | null;
  /** True while a request for the current input is in flight, including background reloads. */
  loading: boolean;
  reload: () => void;
}

interface Settled {
  method: ApiMethod;
  inputJson: string;
  version: number;
  result: ApiResult<unknown>;
}

export function useApiQuery<M extends ApiMethod>(
  method: M,
  input: ApiInput<M>,
  options: QueryOptions = {},
): QueryState<ApiOutput<M>> {
  const { enabled = true, keepPreviousData = false, reloadOn } = options;
  // The input travels as JSON over both transports anyway, so its JSON is the identity of the
  // request: callers can pass a fresh object literal on every render without refetch loops.
  const inputJson = JSON.stringify(input ?? {});
  const [version, setVersion] = useState(0);
  const [settled, setSettled] = useState<Settled | null>(null);

  useEffect(() => {
    if (!enabled) return;
    let current = true;
    void api.result(method, JSON.parse(inputJson) as ApiInput<M>).then((result) => {
      if (current) setSettled({ method, inputJson, version, result });
    });
    return () => {
      current = false;
    };
  }, [method, inputJson, version, enabled]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  useDataChanged(reload, reloadOn);

  const sameRequest = settled !== null && settled.method === method && settled.inputJson === inputJson;
  const usable = settled !== null && (sameRequest || keepPreviousData);
  const result = usable ? settled.result : null;
  // Memoised so the error keeps its identity between renders and is safe in effect deps.
  const error = useMemo(
    () =>
      sameRequest && settled && !settled.result.ok ? new ApiCallError(settled.method, settled.result.error) : null,
    [sameRequest, settled],
  );
  return {
    data: result?.ok ? (result.value as ApiOutput<M>) : undefined,
    error,
    loading: enabled && (!sameRequest || settled.version !== version),
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

/** For calls that change something: tracks running/error so buttons can show it. */
export function useApiMutation<M extends ApiMethod>(method: M): MutationState<M> {
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiCallError | null>(null);

  const run = useCallback(
    async (input: ApiInput<M>) => {
      setRunning(true);
      setError(null);
      try {
        return await api.call(method, input);
      } catch (caught) {
        const failure =
          caught instanceof ApiCallError
            ? caught
            : new ApiCallError(method, { code: 'UNKNOWN', message: String(caught) });
        setError(failure);
        throw failure;
      } finally {
        setRunning(false);
      }
    },
    [method],
  );
  const reset = useCallback(() => setError(null), []);
  return { run, running, error, reset };
}

/** Subscribes to app events for the component's lifetime; the listener may change freely. */
export function useApiEvent(listener: (event: ApiEvent) => void): void {
  const onEvent = useEffectEvent(listener);
  useEffect(() => api.onEvent((event) => onEvent(event)), []);
}

/**
 * Calls `onChange` when a 'data-changed' event touches one of `kinds` (any kind by default; false
 * disables). An event with an empty kinds list means "unknown, assume everything".
 */
export function useDataChanged(onChange: () => void, kinds?: readonly string[] | false): void {
  const kindsKey = kinds === false ? null : (kinds ?? []).join('\n');
  const handle = useEffectEvent(onChange);
  useEffect(() => {
    if (kindsKey === null) return;
    const wanted = kindsKey === '' ? [] : kindsKey.split('\n');
    return api.onEvent((event) => {
      if (event.type !== 'data-changed') return;
      const relevant =
        wanted.length === 0 || event.kinds.length === 0 || event.kinds.some((kind) => wanted.includes(kind));
      if (relevant) handle();
    });
  }, [kindsKey]);
}
