/**
 * The renderer's only door to data. Screens use the hooks in ./hooks.ts (queries cached by
 * ./query-client.ts), or `api.call` (throws ApiCallError) and `api.result` (returns the ApiResult
 * untouched) for one-off actions.
 */
import type { ApiError, ApiEvent, ApiInput, ApiMethod, ApiOutput, ApiResult, ForesightApi } from '../../shared/api.ts';
import type { ErrorCode } from '../../shared/error-codes.ts';
import { createHttpApi } from './http-transport.ts';

/** A failed call, carrying the app's error code (e.g. INVALID_INPUT, UNAUTHORISED, NETWORK). */
export class ApiCallError extends Error {
  /** One of src/shared/error-codes.ts: branch on it, never on the message. */
  readonly code: ErrorCode;
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

export const api = {
  /** Resolves to the call's value, or rejects with an ApiCallError. */
  async call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
    const result = await api.result(method, input);
    if (!result.ok) throw new ApiCallError(method, result.error);
    return result.value;
  },

  /** Resolves to the raw ApiResult and never rejects, for callers that branch on failure. */
  async result<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiResult<ApiOutput<M>>> {
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
