/**
 * The renderer's only door to data. Screens use `api.call` (throws ApiCallError) or `api.result`
 * (returns the ApiResult untouched), or the hooks in ./hooks.ts built on them.
 */
import type { ApiError, ApiEvent, ApiInput, ApiMethod, ApiOutput, ApiResult, ForesightApi } from '../../shared/api.ts';
import { createHttpApi } from './http-transport.ts';

export { createHttpApi } from './http-transport.ts';

/** A failed call, carrying the app's error code (e.g. INVALID_INPUT, UNAUTHORISED, NETWORK). */
export class ApiCallError extends Error {
  readonly code: string;
  readonly method: ApiMethod;

  constructor(method: ApiMethod, error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.method = method;
  }
}

const TOKEN_KEY = 'foresight.webToken';

/**
 * The web preview hands out its token in the URL. Keep it for this tab only (sessionStorage, so a
 * reload still works) and take it out of the address bar so it is not copied or screenshotted.
 */
export function takeWebToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      sessionStorage.setItem(TOKEN_KEY, fromUrl);
    } catch {
      // Storage can be disabled; the token then lives only as long as this page.
    }
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return fromUrl;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

let transport: ForesightApi | null = null;

/** The preload's IPC bridge inside Electron, otherwise the HTTP client of the web preview. */
export function getTransport(): ForesightApi {
  if (transport) return transport;
  const bridge = (window as { foresight?: ForesightApi }).foresight;
  transport = bridge ?? createHttpApi({ token: takeWebToken() ?? '' });
  return transport;
}

/** Lets tests or a storybook swap in a fake transport. */
export function setTransport(next: ForesightApi): void {
  transport = next;
}

/** Calls started ahead of the component that will ask for them (api.prefetch), by method and input. */
const PREFETCH_TTL_MS = 10_000;
const prefetched = new Map<string, Promise<ApiResult<unknown>>>();

export const api = {
  /**
   * Starts a call before any component asks for it, e.g. app.status while the shell's code is still
   * being evaluated at launch; the first api.result (or call) with the same method and input gets
   * its answer instead of asking again. Only for answers that cannot go stale in the meantime.
   */
  prefetch<M extends ApiMethod>(method: M, input: ApiInput<M>): void {
    const key = `${method}\n${JSON.stringify(input)}`;
    const answer = api.result(method, input);
    prefetched.set(key, answer);
    // Not asked for soon (the user went elsewhere), the answer would only be stale: forget it.
    window.setTimeout(() => {
      if (prefetched.get(key) === answer) prefetched.delete(key);
    }, PREFETCH_TTL_MS);
  },

  /** Resolves to the call's value, or rejects with an ApiCallError. */
  async call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
    const result = await api.result(method, input);
    if (!result.ok) throw new ApiCallError(method, result.error);
    return result.value;
  },

  /** Resolves to the raw ApiResult and never rejects, for callers that branch on failure. */
  async result<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiResult<ApiOutput<M>>> {
    if (prefetched.size > 0) {
      const key = `${method}\n${JSON.stringify(input)}`;
      const early = prefetched.get(key);
      if (early) {
        prefetched.delete(key);
        return early as Promise<ApiResult<ApiOutput<M>>>;
      }
    }
    try {
      return await getTransport().call(method, input);
    } catch (error) {
      // The IPC bridge can reject (e.g. the main process went away); normalise it like any failure.
      return {
        ok: false,
        error: { code: 'TRANSPORT', message: error instanceof Error ? error.message : String(error) },
      };
    }
  },

  onEvent(listener: (event: ApiEvent) => void): () => void {
    return getTransport().onEvent(listener);
  },

  get transport(): ForesightApi['transport'] {
    return getTransport().transport;
  },
};

/** A readable message for anything a call can throw. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
