/**
 * The web preview's side of the API contract: calls are POST /api/<method> and events arrive as
 * server-sent events. It implements the same ForesightApi as the Electron preload, so nothing above
 * this file knows which transport it is talking to.
 */
import type { ApiError, ApiEvent, ApiInput, ApiMethod, ApiOutput, ApiResult, ForesightApi } from '../../shared/api.ts';
import type { ErrorCode } from '../../shared/error-codes.ts';
import { setConnection } from './connection.ts';

export interface HttpApiOptions {
  token: string;
  /** Origin the API lives on; same origin as the page unless a test says otherwise. */
  baseUrl?: string;
}

export function createHttpApi({ token, baseUrl = '' }: HttpApiOptions): ForesightApi {
  const listeners = new Set<(event: ApiEvent) => void>();
  let source: EventSource | null = null;
  let lostConnection = false;

  const dispatch = (event: ApiEvent) => {
    for (const listener of [...listeners]) listener(event);
  };

  // One EventSource is shared by every subscriber and closed when the last one leaves, so a
  // screen that subscribes and unsubscribes on every render cannot leak connections.
  const connect = () => {
    source = new EventSource(`${baseUrl}/api/events?token=${encodeURIComponent(token)}`);
    source.onmessage = (message: MessageEvent<string>) => {
      const event = parseEvent(message.data);
      if (event) dispatch(event);
    };
    source.onerror = () => {
      lostConnection = true;
      // CONNECTING: the server is gone and the browser retries. CLOSED: the server answered but
      // refused the stream (a restarted server does not know this tab's token); no retry follows.
      setConnection(source?.readyState === EventSource.CLOSED ? 'refused' : 'lost');
    };
    source.onopen = () => {
      setConnection('connected');
      // Changes made while the stream was down were never announced; tell every view to refetch.
      if (lostConnection) dispatch({ type: 'data-changed', kinds: ['all'] });
      lostConnection = false;
    };
  };

  return {
    transport: 'http',

    async call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiResult<ApiOutput<M>>> {
      let response: Response;
      try {
        response = await fetch(`${baseUrl}/api/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Foresight-Token': token },
          body: JSON.stringify(input ?? {}),
        });
      } catch (error) {
        setConnection('lost');
        return failure(
          'NETWORK',
          `Could not reach the Foresight web preview (${describe(error)}). Is it still running?`,
        );
      }
      try {
        // The server answers errors with an ApiResult body too (401, 413…), so the body is
        // authoritative and the status code only matters when the body is not one.
        const body: unknown = await response.json();
        if (isApiResult(body)) {
          // The server answered: reachable again (a failed call may have said "lost"), unless it
          // refused this tab's token.
          setConnection(!body.ok && body.error.code === 'UNAUTHORISED' ? 'refused' : 'connected');
          return body as ApiResult<ApiOutput<M>>;
        }
      } catch {
        // fall through to the generic failure below
      }
      return failure('BAD_RESPONSE', `${method} returned an unreadable response (HTTP ${response.status}).`);
    },

    onEvent(listener) {
      listeners.add(listener);
      if (!source) connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
  };
}

function failure(code: ErrorCode, message: string): { ok: false; error: ApiError } {
  return { ok: false, error: { code, message } };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isApiResult(body: unknown): body is ApiResult<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false;
  return body.ok === true ? 'value' in body : typeof (body as { error?: unknown }).error === 'object';
}

function parseEvent(data: string): ApiEvent | null {
  try {
    const event: unknown = JSON.parse(data);
    return typeof event === 'object' && event !== null && 'type' in event ? (event as ApiEvent) : null;
  } catch {
    return null;
  }
}
