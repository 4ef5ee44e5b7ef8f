/**
 * The renderer's one cache of server data (TanStack Query). Every query is keyed by its API method
 * and input, so two components asking for the same thing share one request and one answer, and a
 * push event from the app invalidates exactly the queries that depend on what changed.
 */
import { notifyManager, QueryClient, type Query } from '@tanstack/react-query';
import type { ApiInput, ApiMethod } from '../../shared/api.ts';
import { changeTouches, type ChangeKind, type DataChangedEvent } from '../../shared/events.ts';
import { api, type ApiCallError } from './client.ts';

/**
 * Which 'data-changed' kinds make a query refetch: undefined = any change; a list = changes
 * touching one of those kinds (and 'all'); false = never (an editor's own draft, which a change
 * elsewhere must not replace).
 */
export type ReloadOn = readonly ChangeKind[] | false | undefined;

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: ApiCallError;
    queryMeta: { reloadOn?: ReloadOn };
  }
}

/** The cache key of a call: its method, then its input (hashed by value, so key order is irrelevant). */
export function apiQueryKey<M extends ApiMethod>(method: M, input: ApiInput<M>): readonly [M, ApiInput<M>] {
  return [method, (input ?? {}) as ApiInput<M>];
}

function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A local app: the API is always reachable, whatever navigator.onLine says.
        networkMode: 'always',
        // Answers are reported at once (a wrong id does not get better by asking again); the
        // "Try again" button is one click away, and a lost event stream refetches everything.
        retry: false,
        // Push events say when data changed, so focus alone is no reason to ask again.
        refetchOnWindowFocus: false,
        // A screen mounting right after an answer arrived (the launch's prefetch, a quick tab
        // switch) uses it rather than asking again; changes arrive as invalidations regardless.
        staleTime: 2_000,
      },
      mutations: { networkMode: 'always' },
    },
  });
}

// Components hear of an answer in the task it arrives in rather than a setTimeout later (TanStack's
// default), one task hop fewer between a search's response and its rows (docs/performance.md).
notifyManager.setScheduler((callback) => queueMicrotask(callback));

export const queryClient = createQueryClient();

/** Whether a 'data-changed' event of `kinds` should make `query` refetch. */
function shouldReload(query: Query, kinds: DataChangedEvent['kinds']): boolean {
  const reloadOn = query.meta?.reloadOn;
  if (reloadOn === false) return false;
  if (reloadOn === undefined) return true;
  return changeTouches(kinds, reloadOn);
}

/**
 * Mount once: turns the app's 'data-changed' events into invalidations. Queries on screen refetch
 * at once; the others are marked stale and refetch when a screen asks for them again.
 */
export function invalidateOnChanges(client: QueryClient): () => void {
  return api.onEvent((event) => {
    if (event.type !== 'data-changed') return;
    void client.invalidateQueries({ predicate: (query) => shouldReload(query, event.kinds) });
  });
}

/**
 * Starts a call before any component asks for it (e.g. app.status while the shell's code is still
 * being evaluated at launch); the component that asks later gets the same answer from the cache.
 */
export function prefetchApi<M extends ApiMethod>(method: M, input: ApiInput<M>): void {
  void queryClient.prefetchQuery({
    queryKey: apiQueryKey(method, input),
    queryFn: () => api.call(method, input),
  });
}
